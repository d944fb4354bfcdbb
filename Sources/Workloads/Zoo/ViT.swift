import HybrixCore

/// Vision Transformer ViT-B/16 (Dosovitskiy et al., ICLR 2021) in the torchvision layout: 16×16
/// patches embedded by a stride-16 convolution, a learned class token prepended, learned position
/// embeddings added, 12 pre-LN encoder blocks (12-head attention, GELU MLP 3072), a final layer
/// norm, and the 1000-class head on the class token. Dropout is omitted at inference.
///
/// The size option is the image side: 224 gives 14×14 = 196 patches plus the class token. The
/// position table is kept at its trained 197 rows; at other sizes it is interpolated to the new
/// token count (as when fine-tuning at another resolution), so the parameter count does not change.
enum ViT {
  static let b16 = ZooModel(
    name: "vit-b16", aliases: ["vit-b-16", "vit_b_16", "vit"],
    summary: "ViT-B/16, ImageNet, 12 layers, d=768, 12 heads, 16×16 patches (Dosovitskiy et al. 2021)",
    family: .vision, defaultSize: 224,
    published: PublishedFigures(
      parameters: 86.57e6, macs: 17.56e9,
      source: "torchvision vit_b_16: 86,567,656 params, 17.56 GFLOPS (MACs) at 224×224; "
        + "Dosovitskiy et al. 2021 Table 1: 86M"),
    build: { b, s, _ throws(ConfigError) in
      try vit(
        "vit-b16", patch: 16, layers: 12, dim: 768, heads: 12, mlp: 3072, trainedSize: 224,
        batch: b, size: s)
    })

  static func vit(
    _ name: String, patch: Int, layers: Int, dim: Int, heads: Int, mlp: Int, trainedSize: Int,
    batch: Int, size: Int
  ) throws(ConfigError) -> GraphBuilder {
    var g = GraphBuilder(name: name)
    let image = try g.input("image", [batch, 3, size, size])
    let patches = try g.conv2d(
      "conv_proj", image, out: dim, kernel: patch, stride: patch, pad: 0, bias: true)
    let grid = g.dims(patches)
    let tokens = grid[2] * grid[3]
    var x = try g.reshape("patches.flatten", patches, to: [batch, dim, tokens], function: "flatten")
    x = try g.transpose("patches.transpose", x, perm: [0, 2, 1])
    // The class token is one learned row, broadcast over the batch and put before the patches.
    let classToken = try g.weight("class_token", [1, 1, dim])
    let classTokens = try g.move("class_token.expand", "expand", [classToken], outDims: [batch, 1, dim])
    x = try g.concat("class_token.concat", [classTokens, x], axis: 1)
    let trainedTokens = (trainedSize / patch) * (trainedSize / patch) + 1
    var positions = try g.weight("pos_embedding", [1, trainedTokens, dim])
    if tokens + 1 != trainedTokens {
      positions = try g.move(
        "pos_embedding.interpolate", "interpolate", [positions], outDims: [1, tokens + 1, dim])
    }
    x = try g.elementwise("pos_embedding.add", "add", [x, positions])
    let attention = AttentionConfig(modelDim: dim, heads: heads, bias: true)
    for l in 0..<layers {
      let p = "encoder.layers.\(l)"
      let a = try g.attention("\(p).self_attention", try g.layerNorm("\(p).ln_1", x), attention)
      x = try g.elementwise("\(p).attn_residual", "add", [x, a])
      var h = try g.linear("\(p).mlp.fc1", try g.layerNorm("\(p).ln_2", x), out: mlp)
      h = try g.elementwise("\(p).mlp.gelu", "gelu", [h])
      h = try g.linear("\(p).mlp.fc2", h, out: dim)
      x = try g.elementwise("\(p).mlp_residual", "add", [x, h])
    }
    x = try g.layerNorm("encoder.ln", x)
    let cls = try g.move("class_token.select", "slice", [x], outDims: [batch, dim])
    _ = try g.linear("heads.head", cls, out: 1000)
    return g
  }
}
