import HybrixCore

/// MobileViT-S (Mehta & Rastegari, ICLR 2022) in the apple/ml-cvnets layout: a stride-2 3×3 stem,
/// MobileNetV2 blocks (expansion 4, SiLU), three MobileViT blocks and a 1×1 expansion to 640
/// channels before pooling and the classifier. A MobileViT block: 3×3 conv (C→C) and 1×1 conv
/// (C→d, no norm) as the local representation; unfold into 2×2 patches (4 sequences of H·W/4
/// tokens per image); L pre-norm transformer layers (4 heads, FFN 2d, SiLU) and a LayerNorm; fold;
/// 1×1 conv (d→C); concatenation with the block's input and a 3×3 fusion conv (2C→C). Every
/// conv but the local 1×1 has BatchNorm and SiLU.
enum MobileViT {
  static let model = ZooModel(
    name: "mobilevit-s", aliases: ["mobilevit", "mobilevit_s"],
    summary: "MobileViT-S, ImageNet 256×256, MobileNetV2 blocks + 3 MobileViT blocks (Mehta & Rastegari 2022)",
    family: .vision, defaultSize: 256,
    published: PublishedFigures(
      parameters: 5.6e6, macs: nil,
      source: "Mehta & Rastegari, ICLR 2022, Table 1: MobileViT-S 5.6 M parameters (timm mobilevit_s: 5.58 M)"),
    build: { b, s, _ throws(ConfigError) in try mobileViTS(batch: b, size: s) })

  /// (MobileNetV2 output channels, stride, blocks) per stage, then the MobileViT block's
  /// (d, FFN, layers) where the stage has one.
  static let stages: [(out: Int, stride: Int, blocks: Int, vit: (d: Int, ffn: Int, layers: Int)?)] = [
    (32, 1, 1, nil), (64, 2, 3, nil), (96, 2, 1, (144, 288, 2)), (128, 2, 1, (192, 384, 4)), (160, 2, 1, (240, 480, 3)),
  ]

  static func mobileViTS(batch: Int, size: Int) throws(ConfigError) -> GraphBuilder {
    guard size % 32 == 0 else {
      throw ConfigError(path: "--image-size", message: "\(size)", expected: "a multiple of 32 (five stride-2 stages, then 2×2 patches)", hint: "MobileViT-S was trained at 256")
    }
    var g = GraphBuilder(name: "mobilevit-s")
    var x = try g.input("image", [batch, 3, size, size])
    x = try convBNReLU(&g, "stem", x, out: 16, kernel: 3, stride: 2, activation: "silu")
    for (i, s) in stages.enumerated() {
      for j in 0..<s.blocks {
        x = try mv2(&g, "layer\(i + 1).\(j)", x, out: s.out, stride: j == 0 ? s.stride : 1)
      }
      if let v = s.vit { x = try block(&g, "layer\(i + 1).mobilevit", x, d: v.d, ffn: v.ffn, layers: v.layers, batch: batch) }
    }
    x = try convBNReLU(&g, "conv_1x1_exp", x, out: 640, kernel: 1, stride: 1, activation: "silu")
    x = try g.globalPool("avgpool", "avgpool", x)
    x = try g.reshape("flatten", x, to: [batch, 640], function: "flatten")
    _ = try g.linear("classifier", x, out: 1000)
    return g
  }

  /// A MobileNetV2 block with expansion 4 and SiLU; the shortcut when size and width are kept.
  static func mv2(_ g: inout GraphBuilder, _ name: String, _ x: TensorID, out: Int, stride: Int) throws(ConfigError) -> TensorID {
    let c = g.dims(x)[1]
    var y = try convBNReLU(&g, "\(name).expand", x, out: 4 * c, kernel: 1, stride: 1, activation: "silu")
    y = try convBNReLU(&g, "\(name).depthwise", y, out: 4 * c, kernel: 3, stride: stride, groups: 4 * c, activation: "silu")
    y = try g.batchNorm("\(name).project.bn", try g.conv2d("\(name).project", y, out: out, kernel: 1))
    guard stride == 1, c == out else { return y }
    return try g.elementwise("\(name).add", "add", [x, y])
  }

  static func block(
    _ g: inout GraphBuilder, _ name: String, _ x: TensorID, d: Int, ffn: Int, layers: Int, batch: Int
  ) throws(ConfigError) -> TensorID {
    let dims = g.dims(x)
    let (c, h, w) = (dims[1], dims[2], dims[3])
    var y = try convBNReLU(&g, "\(name).local_3x3", x, out: c, kernel: 3, stride: 1, activation: "silu")
    y = try g.conv2d("\(name).local_1x1", y, out: d, kernel: 1)
    // Unfold: [B, d, H, W] → 2×2 patches → [4B, H·W/4, d].
    y = try g.reshape("\(name).unfold", y, to: [batch, d, h * w], function: "unfold")
    y = try g.transpose("\(name).unfold.transpose", y, perm: [0, 2, 1])
    var t = try g.reshape("\(name).unfold.patches", y, to: [4 * batch, h * w / 4, d])
    let attention = AttentionConfig(modelDim: d, heads: 4, bias: true)
    for l in 0..<layers {
      let p = "\(name).transformer.\(l)"
      let a = try g.attention("\(p).attn", try g.layerNorm("\(p).ln_1", t), attention)
      t = try g.elementwise("\(p).attn_residual", "add", [t, a])
      var f = try g.linear("\(p).ffn.fc1", try g.layerNorm("\(p).ln_2", t), out: ffn)
      f = try g.elementwise("\(p).ffn.silu", "silu", [f])
      f = try g.linear("\(p).ffn.fc2", f, out: d)
      t = try g.elementwise("\(p).ffn_residual", "add", [t, f])
    }
    t = try g.layerNorm("\(name).transformer.ln", t)
    // Fold back to [B, d, H, W].
    y = try g.reshape("\(name).fold", t, to: [batch, h * w, d], function: "fold")
    y = try g.transpose("\(name).fold.transpose", y, perm: [0, 2, 1])
    y = try g.reshape("\(name).fold.image", y, to: [batch, d, h, w])
    y = try convBNReLU(&g, "\(name).proj", y, out: c, kernel: 1, stride: 1, activation: "silu")
    let both = try g.concat("\(name).concat", [x, y], axis: 1)
    return try convBNReLU(&g, "\(name).fusion", both, out: c, kernel: 3, stride: 1, activation: "silu")
  }
}
