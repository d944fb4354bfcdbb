import HybrixCore

/// Shape of one multi-head attention layer.
public struct AttentionConfig: Hashable, Sendable {
  public var modelDim: Int
  public var heads: Int
  /// Key/value heads; fewer than `heads` for grouped-query attention (Llama-3).
  public var kvHeads: Int
  public var headDim: Int
  /// Whether the Q/K/V/output projections have biases.
  public var bias: Bool
  /// Rotary position embedding applied to queries and keys (Llama).
  public var rotary: Bool
  public init(
    modelDim: Int, heads: Int, kvHeads: Int? = nil, headDim: Int? = nil, bias: Bool,
    rotary: Bool = false
  ) {
    self.rotary = rotary
    self.modelDim = modelDim
    self.heads = heads
    self.kvHeads = kvHeads ?? heads
    self.headDim = headDim ?? modelDim / max(heads, 1)
    self.bias = bias
  }
}

extension GraphBuilder {
  /// Multi-head attention over `x[B, S, D]`, split into its products so that each can be placed:
  /// Q, K, V projections (static weights), QKᵀ and A·V (both operands dynamic), softmax, and the
  /// output projection.
  ///
  /// With `cacheLength` set (LLM decode), `x` holds the new tokens only; the keys and values of
  /// `cacheLength` positions (including the new ones) are read from the KV cache, and the new
  /// keys and values are appended to it. With `storesKV` (prefill), the computed keys and values
  /// are written to the cache. Grouped-query attention folds each group of query heads into the
  /// rows of one product, as fused kernels do.
  public mutating func attention(
    _ name: String, _ x: TensorID, _ c: AttentionConfig, cacheLength: Int? = nil,
    storesKV: Bool = false
  ) throws(ConfigError) -> TensorID {
    let xd = dims(x)
    guard xd.count == 3, c.heads >= 1, c.kvHeads >= 1, c.heads % c.kvHeads == 0 else {
      throw Self.shapeError(
        name, "input \(xd) with \(c.heads) heads and \(c.kvHeads) KV heads",
        expected: "x[B, S, D] and heads divisible by KV heads")
    }
    let (b, s) = (xd[0], xd[1])
    let group = c.heads / c.kvHeads
    let kvWidth = c.kvHeads * c.headDim
    var q = try linear("\(name).q_proj", x, out: c.heads * c.headDim, bias: c.bias)
    var k = try linear("\(name).k_proj", x, out: kvWidth, bias: c.bias)
    if c.rotary {
      q = try elementwise("\(name).q_rope", "rope", [q])
      k = try elementwise("\(name).k_rope", "rope", [k])
    }
    let v = try linear("\(name).v_proj", x, out: kvWidth, bias: c.bias)
    // Head split as a view: [B, S, H·hd] → [B, KVH, G·S, hd] (a strided view in fused kernels).
    let qh = try reshape("\(name).q_heads", q, to: [b, c.kvHeads, group * s, c.headDim])
    var kh = try reshape("\(name).k_heads", k, to: [b, c.kvHeads, s, c.headDim])
    var vh = try reshape("\(name).v_heads", v, to: [b, c.kvHeads, s, c.headDim])
    if let cacheLength {
      _ = try move("\(name).kv_append", "kv-store", [kh, vh], outDims: [2, b, c.kvHeads, s, c.headDim])
      kh = try tensor("\(name).k_cache", [b, c.kvHeads, cacheLength, c.headDim], role: .kvCache)
      vh = try tensor("\(name).v_cache", [b, c.kvHeads, cacheLength, c.headDim], role: .kvCache)
    } else if storesKV {
      _ = try move("\(name).kv_store", "kv-store", [kh, vh], outDims: [2, b, c.kvHeads, s, c.headDim])
    }
    let scores = try matmul("\(name).qk", qh, kh, transposeB: true, kind: .attentionScores)
    let probs = try softmax("\(name).softmax", scores)
    let context = try matmul("\(name).av", probs, vh, kind: .attentionValues)
    let merged = try reshape("\(name).merge_heads", context, to: [b, s, c.heads * c.headDim])
    return try linear("\(name).o_proj", merged, out: c.modelDim, bias: c.bias)
  }
}
