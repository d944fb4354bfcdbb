import HybrixCore

/// MobileBERT (Sun et al., ACL 2020) in the layout of HuggingFace `MobileBertModel` for
/// `google/mobilebert-uncased`: 24 layers of width 512 with a 128-wide bottleneck inside each.
///
/// Embeddings: 128-wide token embeddings, a trigram (each token's embedding concatenated with its
/// right and left neighbours', zero at the ends) expanded to 512 by a linear layer, plus position
/// and segment embeddings. Each layer: two bottleneck linears 512 → 128 (the layer input for the
/// residual, and the input shared by query and key), 4-head attention whose query and key read the
/// shared 128-wide input and whose value reads the 512-wide layer input, four stacked FFNs
/// 128 → 512 → 128, and an output bottleneck 128 → 512 with a residual from the layer input.
/// NoNorm (an elementwise scale and shift) replaces layer norm. The pooler of this checkpoint
/// (`classifier_activation: false`) only selects the first token.
enum MobileBERT {
  static let model = ZooModel(
    name: "mobilebert", aliases: ["mobilebert-uncased", "mobile-bert"],
    summary: "MobileBERT encoder, 24 layers, d=512, bottleneck 128, 4 heads, 4 FFNs (Sun et al. 2020)",
    family: .encoder, defaultSize: 128,
    published: PublishedFigures(
      parameters: 24.58e6, macs: nil,
      source: "HF google/mobilebert-uncased MobileBertModel: 24,581,888 params (tested here); "
        + "Sun et al., ACL 2020, Table 4: 25.3M"),
    build: { b, s, _ throws(ConfigError) in try mobileBERT(batch: b, size: s) })

  static let layers = 24
  static let vocab = 30522
  static let embedding = 128
  static let hidden = 512
  static let bottleneck = 128
  static let heads = 4
  static let intermediate = 512
  static let ffns = 4
  static let maxPositions = 512

  static func mobileBERT(batch: Int, size: Int) throws(ConfigError) -> GraphBuilder {
    guard size <= maxPositions else {
      throw ConfigError(
        path: "--seq", message: "mobilebert takes at most \(maxPositions) tokens, got \(size)",
        expected: "a sequence length in 1…\(maxPositions)",
        hint: "its learned position table has \(maxPositions) rows")
    }
    var g = GraphBuilder(name: "mobilebert")
    let ids = try g.input("input_ids", [batch, size])
    let types = try g.input("token_type_ids", [batch, size])
    let positions = try g.input("position_ids", [size])
    let we = try g.embedding("embeddings.word_embeddings", ids, rows: vocab, features: embedding)
    let tokenDims = [batch, size, embedding]
    let next = try g.move("embeddings.trigram.next", "shift", [we], outDims: tokenDims)
    let previous = try g.move("embeddings.trigram.previous", "shift", [we], outDims: tokenDims)
    let trigram = try g.concat("embeddings.trigram", [next, we, previous], axis: 2)
    let e = try g.linear("embeddings.embedding_transformation", trigram, out: hidden)
    let pe = try g.embedding(
      "embeddings.position_embeddings", positions, rows: maxPositions, features: hidden)
    let te = try g.embedding("embeddings.token_type_embeddings", types, rows: 2, features: hidden)
    let sum = try g.elementwise("embeddings.add", "add", [e, pe, te])
    var x = try noNorm(&g, "embeddings.LayerNorm", sum)
    for l in 0..<layers {
      x = try layer(&g, "encoder.layer.\(l)", x, batch: batch, size: size)
    }
    _ = try g.move("pooler", "slice", [x], outDims: [batch, hidden])
    return g
  }

  static func layer(_ g: inout GraphBuilder, _ p: String, _ x: TensorID, batch: Int, size: Int)
    throws(ConfigError) -> TensorID
  {
    // Two bottlenecks of the 512-wide input: the attention's residual and the query/key input.
    let layerInput = try bottleneckLayer(&g, "\(p).bottleneck.input", x)
    let shared = try bottleneckLayer(&g, "\(p).bottleneck.attention", x)
    // Self-attention: query and key from the shared bottleneck, value from the 512-wide input.
    let a = "\(p).attention.self"
    let headDim = bottleneck / heads
    let q = try g.linear("\(a).query", shared, out: bottleneck)
    let k = try g.linear("\(a).key", shared, out: bottleneck)
    let v = try g.linear("\(a).value", x, out: bottleneck)
    // Head split as a view, as in `GraphBuilder.attention`: [B, S, H·hd] → [B, H, S, hd].
    let qh = try g.reshape("\(a).query_heads", q, to: [batch, heads, size, headDim])
    let kh = try g.reshape("\(a).key_heads", k, to: [batch, heads, size, headDim])
    let vh = try g.reshape("\(a).value_heads", v, to: [batch, heads, size, headDim])
    let scores = try g.matmul("\(a).qk", qh, kh, transposeB: true, kind: .attentionScores)
    let probs = try g.softmax("\(a).softmax", scores)
    let context = try g.matmul("\(a).av", probs, vh, kind: .attentionValues)
    let merged = try g.reshape("\(a).merge_heads", context, to: [batch, size, bottleneck])
    var h = try g.linear("\(p).attention.output.dense", merged, out: bottleneck)
    h = try addNoNorm(&g, "\(p).attention.output", h, layerInput)
    // Stacked FFNs, the last being the layer's own intermediate/output pair.
    for f in 0..<ffns {
      let name = f < ffns - 1 ? "\(p).ffn.\(f)" : p
      var inner = try g.linear("\(name).intermediate.dense", h, out: intermediate)
      inner = try g.elementwise("\(name).intermediate.relu", "relu", [inner])
      let down = try g.linear("\(name).output.dense", inner, out: bottleneck)
      h = try addNoNorm(&g, "\(name).output", down, h)
    }
    let up = try g.linear("\(p).output.bottleneck.dense", h, out: hidden)
    return try addNoNorm(&g, "\(p).output.bottleneck", up, x)
  }

  /// A linear layer to the bottleneck width followed by NoNorm.
  static func bottleneckLayer(_ g: inout GraphBuilder, _ name: String, _ x: TensorID)
    throws(ConfigError) -> TensorID
  {
    try noNorm(&g, "\(name).LayerNorm", try g.linear("\(name).dense", x, out: bottleneck))
  }

  /// MobileBERT's NoNorm: `x · weight + bias` per feature, in place of layer norm.
  static func noNorm(_ g: inout GraphBuilder, _ name: String, _ x: TensorID)
    throws(ConfigError) -> TensorID
  {
    let d = g.dims(x).last ?? 1
    let scale = try g.weight("\(name).weight", [d])
    let shift = try g.weight("\(name).bias", [d])
    let scaled = try g.elementwise("\(name).scale", "mul", [x, scale])
    return try g.elementwise("\(name).shift", "add", [scaled, shift])
  }

  /// The residual sum `y + residual` followed by NoNorm.
  static func addNoNorm(_ g: inout GraphBuilder, _ name: String, _ y: TensorID, _ residual: TensorID)
    throws(ConfigError) -> TensorID
  {
    try noNorm(&g, "\(name).LayerNorm", try g.elementwise("\(name).residual", "add", [y, residual]))
  }
}
