import HybrixCore

/// Hyper-parameters of a transformer language model, as in its published configuration.
struct TransformerConfig: Sendable {
  var layers: Int
  var modelDim: Int
  var heads: Int
  var kvHeads: Int? = nil
  var ffDim: Int
  var vocab: Int
  /// Rows of the learned position table; `nil` for rotary positions.
  var learnedPositions: Int? = nil
  /// Extra rows at the start of the position table (OPT offsets positions by 2).
  var positionOffset = 0
  /// Token-type (segment) table rows (BERT).
  var tokenTypes = 0
  var bias = true
  var rmsNorm = false
  /// SwiGLU feed-forward (gate, up, down) instead of two linear layers.
  var gatedMLP = false
  var activation = "gelu"
  /// Output head shares the token embedding (GPT-2, OPT).
  var tiedHead = true
  /// Tokens per attention window that can be cached (for the error on too-long sequences).
  var maxContext: Int
  /// GPT-NeoX's parallel residual: attention and MLP both read the block's input (each through
  /// its own norm) and one add joins the three (`x + attn(ln1(x)) + mlp(ln2(x))`).
  var parallelResidual = false
}

/// Decoder-only and encoder-only transformers of the zoo.
enum Transformers {
  /// A pre-norm decoder (GPT-2, OPT, Llama) in `phase`: `size` is the sequence length (prefill,
  /// inference, train) or the context length (decode, one new token per sequence).
  static func decoder(_ name: String, _ c: TransformerConfig, batch: Int, size: Int, phase: Phase)
    throws(ConfigError) -> GraphBuilder
  {
    try checkLength(name, c, size, phase)
    var g = GraphBuilder(name: name)
    let newTokens = phase == .decode ? 1 : size
    let ids = try g.input("input_ids", [batch, newTokens])
    var x = try g.embedding("embed_tokens", ids, rows: c.vocab, features: c.modelDim)
    if let rows = c.learnedPositions {
      let positions = try g.input("position_ids", [newTokens])
      let pe = try g.embedding("embed_positions", positions, rows: rows + c.positionOffset, features: c.modelDim)
      x = try g.elementwise("embed_add", "add", [x, pe])
    }
    let attention = AttentionConfig(
      modelDim: c.modelDim, heads: c.heads, kvHeads: c.kvHeads, bias: c.bias,
      rotary: c.learnedPositions == nil)
    for l in 0..<c.layers {
      let p = "layers.\(l)"
      let h = try norm(&g, "\(p).attn_norm", x, c)
      let a = try g.attention(
        "\(p).attn", h, attention, cacheLength: phase == .decode ? size : nil,
        storesKV: phase == .prefill)
      if c.parallelResidual {
        let f = try mlp(&g, "\(p).mlp", try norm(&g, "\(p).mlp_norm", x, c), c)
        x = try g.elementwise("\(p).residual", "add", [x, a, f])
        continue
      }
      x = try g.elementwise("\(p).attn_residual", "add", [x, a])
      let h2 = try norm(&g, "\(p).mlp_norm", x, c)
      let f = try mlp(&g, "\(p).mlp", h2, c)
      x = try g.elementwise("\(p).mlp_residual", "add", [x, f])
    }
    x = try norm(&g, "final_norm", x, c)
    if phase == .prefill {
      // Serving needs only the last position's logits to pick the next token.
      x = try g.move("last_token", "slice", [x], outDims: [batch, 1, c.modelDim])
    }
    if c.tiedHead {
      guard let table = g.tensors.firstIndex(where: { $0.name == "embed_tokens.weight" }) else {
        preconditionFailure("decoder without token table")
      }
      _ = try g.matmul("lm_head", x, TensorID(table), transposeB: true)
    } else {
      _ = try g.linear("lm_head", x, out: c.vocab, bias: false)
    }
    return g
  }

  /// A post-norm encoder with token, position and segment embeddings and a pooler (BERT).
  static func encoder(_ name: String, _ c: TransformerConfig, batch: Int, size: Int)
    throws(ConfigError) -> GraphBuilder
  {
    try checkLength(name, c, size, .inference)
    var g = GraphBuilder(name: name)
    let ids = try g.input("input_ids", [batch, size])
    let types = try g.input("token_type_ids", [batch, size])
    let positions = try g.input("position_ids", [size])
    let we = try g.embedding("word_embeddings", ids, rows: c.vocab, features: c.modelDim)
    let pe = try g.embedding("position_embeddings", positions, rows: c.learnedPositions ?? size, features: c.modelDim)
    let te = try g.embedding("token_type_embeddings", types, rows: c.tokenTypes, features: c.modelDim)
    var x = try g.elementwise("embed_add", "add", [we, pe, te])
    x = try g.layerNorm("embed_norm", x)
    let attention = AttentionConfig(modelDim: c.modelDim, heads: c.heads, bias: c.bias)
    for l in 0..<c.layers {
      let p = "layers.\(l)"
      let a = try g.attention("\(p).attn", x, attention)
      x = try g.layerNorm("\(p).attn_norm", try g.elementwise("\(p).attn_residual", "add", [x, a]))
      let f = try mlp(&g, "\(p).mlp", x, c)
      x = try g.layerNorm("\(p).mlp_norm", try g.elementwise("\(p).mlp_residual", "add", [x, f]))
    }
    let cls = try g.move("cls_token", "slice", [x], outDims: [batch, c.modelDim])
    let pooled = try g.linear("pooler", cls, out: c.modelDim)
    _ = try g.elementwise("pooler_tanh", "tanh", [pooled])
    return g
  }

  static func norm(_ g: inout GraphBuilder, _ name: String, _ x: TensorID, _ c: TransformerConfig)
    throws(ConfigError) -> TensorID
  {
    try g.layerNorm(name, x, rms: c.rmsNorm)
  }

  static func mlp(_ g: inout GraphBuilder, _ name: String, _ x: TensorID, _ c: TransformerConfig)
    throws(ConfigError) -> TensorID
  {
    if c.gatedMLP {
      let gate = try g.linear("\(name).gate_proj", x, out: c.ffDim, bias: c.bias)
      let up = try g.linear("\(name).up_proj", x, out: c.ffDim, bias: c.bias)
      let act = try g.elementwise("\(name).act", c.activation, [gate])
      let prod = try g.elementwise("\(name).gate_mul", "mul", [act, up])
      return try g.linear("\(name).down_proj", prod, out: c.modelDim, bias: c.bias)
    }
    let h = try g.linear("\(name).fc1", x, out: c.ffDim, bias: c.bias)
    let act = try g.elementwise("\(name).act", c.activation, [h])
    return try g.linear("\(name).fc2", act, out: c.modelDim, bias: c.bias)
  }

  static func checkLength(_ name: String, _ c: TransformerConfig, _ size: Int, _ phase: Phase)
    throws(ConfigError)
  {
    guard size <= c.maxContext else {
      throw ConfigError(
        path: "--seq", message: "\(name) takes at most \(c.maxContext) tokens, got \(size)",
        expected: "a sequence length in 1…\(c.maxContext)",
        hint: c.learnedPositions != nil
          ? "its learned position table has \(c.maxContext) rows"
          : "its rotary positions were trained for \(c.maxContext) tokens")
    }
  }
}
