import HybrixCore

/// The reference graphs that Hybrix trains on Fashion-MNIST (28×28×1) beside the chains: a
/// residual network, a deeper VGG-style CNN and a small transformer over the image rows (the
/// stand-ins for the networks of the LionHeart paper). Their operator names are the node names
/// of the ONNX checkpoints `hybrix train` writes, so a mapping applies to the trained file.
enum FashionReference {
  static let resnet20 = ZooModel(
    name: "resnet20-fm", aliases: ["resnet20-fashion", "fashion-resnet20"],
    summary: "ResNet-20 for Fashion-MNIST 28×28×1: 3 stages of 3 basic blocks (16/32/64), 1×1 conv shortcuts",
    family: .vision, defaultSize: 28,
    published: PublishedFigures(
      parameters: 272_186, macs: 31_021_952,
      source: "counted by hand at 28×28 (He et al. 2016 §4.2, option-B 1×1 conv shortcuts, 1 input "
        + "channel): params convs 144 + 6·2,304 + 4,608 + 5·9,216 + 512 + 18,432 + 5·36,864 + 2,048, "
        + "BN 2·784, fc 650 = 272,186; MACs conv1 112,896, stage 1 6·1,806,336, stage 2 903,168 + "
        + "5·1,806,336 + 100,352, stage 3 the same, fc 640 = 31,021,952"),
    build: { b, s, _ throws(ConfigError) in try resnet(batch: b, size: s) })

  static let vgg = ZooModel(
    name: "vgg-fm", aliases: ["vgg-fashion", "fashion-vgg"],
    summary: "VGG-style Fashion-MNIST CNN: 3×(conv 3×3-BN-ReLU ×2, 2×2 max pool), 16-16-32-32-64-64, fc 128-10",
    family: .vision, defaultSize: 28,
    published: PublishedFigures(
      parameters: 147_162, macs: 7_413_248,
      source: "counted by hand at 28×28: params convs 144 + 2,304 + 4,608 + 9,216 + 18,432 + 36,864, "
        + "BN 448, fc1 576·128 + 128, fc2 1,290 = 147,162; MACs 112,896 + 1,806,336 + 903,168 + "
        + "1,806,336 + 903,168 + 1,806,336 + 73,728 + 1,280 = 7,413,248"),
    build: { b, s, _ throws(ConfigError) in try vggFM(batch: b, size: s) })

  static let transformer = ZooModel(
    name: "tiny-transformer-fm", aliases: ["fashion-transformer", "tiny-transformer"],
    summary: "Transformer over the 28 image rows as tokens: d 64, 2 pre-norm layers, 4 heads, GELU FFN 128, mean pool",
    family: .vision, defaultSize: 28,
    published: PublishedFigures(
      parameters: 71_370, macs: 2_086_528,
      source: "counted by hand: params embed 1,856, position 1,792, per layer LN 2·128 + QKVO "
        + "4·4,160 + fc1 8,320 + fc2 8,256 = 33,472 (×2), final LN 128, head 650 = 71,370; MACs "
        + "embed 50,176, per layer QKVO 458,752 + QKᵀ 50,176 + AV 50,176 + FFN 458,752 (×2), "
        + "head 640 = 2,086,528"),
    build: { b, s, _ throws(ConfigError) in try tinyTransformer(batch: b, size: s) })

  static func resnet(batch: Int, size: Int) throws(ConfigError) -> GraphBuilder {
    var g = GraphBuilder(name: "resnet20-fm")
    var x = try g.input("image", [batch, 1, size, size])
    x = try convBNReLU(&g, "conv1", x, out: 16, kernel: 3, stride: 1)
    for stage in 0..<3 {
      let width = 16 << stage
      for i in 0..<3 {
        let p = "layer\(stage + 1).\(i)"
        let stride = (stage > 0 && i == 0) ? 2 : 1
        var y = try convBNReLU(&g, "\(p).conv1", x, out: width, kernel: 3, stride: stride)
        y = try g.batchNorm("\(p).bn2", try g.conv2d("\(p).conv2", y, out: width, kernel: 3))
        var shortcut = x
        if stride != 1 {
          shortcut = try g.conv2d("\(p).downsample.0", x, out: width, kernel: 1, stride: stride, pad: 0)
          shortcut = try g.batchNorm("\(p).downsample.1", shortcut)
        }
        x = try g.elementwise("\(p).relu", "relu", [try g.elementwise("\(p).add", "add", [y, shortcut])])
      }
    }
    x = try g.globalPool("avgpool", "avgpool", x)
    x = try g.reshape("flatten", x, to: [batch, g.dims(x)[1]], function: "flatten")
    _ = try g.linear("fc", x, out: 10)
    return g
  }

  static func vggFM(batch: Int, size: Int) throws(ConfigError) -> GraphBuilder {
    var g = GraphBuilder(name: "vgg-fm")
    var x = try g.input("image", [batch, 1, size, size])
    for (stage, width) in [16, 32, 64].enumerated() {
      for i in 0..<2 {
        x = try convBNReLU(&g, "features.\(stage + 1).conv\(i + 1)", x, out: width, kernel: 3, stride: 1)
      }
      x = try g.pool("features.\(stage + 1).pool", "maxpool", x, kernel: [2, 2], strides: [2, 2])
    }
    let d = g.dims(x)
    x = try g.reshape("flatten", x, to: [batch, d[1] * d[2] * d[3]], function: "flatten")
    x = try g.elementwise("fc1.relu", "relu", [try g.linear("fc1", x, out: 128)])
    _ = try g.linear("fc2", x, out: 10)
    return g
  }

  static func tinyTransformer(batch: Int, size: Int) throws(ConfigError) -> GraphBuilder {
    let (d, heads, ffn, layers) = (64, 4, 128, 2)
    let hd = d / heads
    var g = GraphBuilder(name: "tiny-transformer-fm")
    let image = try g.input("image", [batch, 1, size, size])
    var x = try g.reshape("tokens", image, to: [batch, size, size])
    x = try g.linear("embed", x, out: d)
    let position = try g.weight("position.value", [1, size, d])
    x = try g.elementwise("position", "add", [x, position])
    for l in 0..<layers {
      let p = "blocks.\(l)"
      let h = try g.layerNorm("\(p).ln1", x)
      func heads_(_ t: TensorID, _ name: String, perm: [Int]) throws(ConfigError) -> TensorID {
        let split = try g.reshape("\(p).attn.\(name)_split", t, to: [batch, size, heads, hd])
        return try g.transpose("\(p).attn.\(name)_heads", split, perm: perm)
      }
      let q = try heads_(try g.linear("\(p).attn.q_proj", h, out: d), "q", perm: [0, 2, 1, 3])
      let k = try heads_(try g.linear("\(p).attn.k_proj", h, out: d), "k", perm: [0, 2, 3, 1])
      let v = try heads_(try g.linear("\(p).attn.v_proj", h, out: d), "v", perm: [0, 2, 1, 3])
      var s = try g.matmul("\(p).attn.qk", q, k, kind: .attentionScores)
      let scale = try g.tensor("\(p).attn.scale.factor", [1], role: .constant)
      g.weightValues[scale] = [1 / Float(hd).squareRoot()]
      s = try g.elementwise("\(p).attn.scale", "mul", [s, scale])
      let probs = try g.softmax("\(p).attn.softmax", s)
      var c = try g.matmul("\(p).attn.av", probs, v, kind: .attentionValues)
      c = try g.transpose("\(p).attn.merge", c, perm: [0, 2, 1, 3])
      c = try g.reshape("\(p).attn.merge_heads", c, to: [batch, size, d])
      c = try g.linear("\(p).attn.o_proj", c, out: d)
      x = try g.elementwise("\(p).attn.residual", "add", [x, c])
      var f = try g.layerNorm("\(p).ln2", x)
      f = try g.elementwise("\(p).mlp.gelu", "gelu", [try g.linear("\(p).mlp.fc1", f, out: ffn)])
      f = try g.linear("\(p).mlp.fc2", f, out: d)
      x = try g.elementwise("\(p).mlp.residual", "add", [x, f])
    }
    x = try g.layerNorm("ln_f", x)
    // Mean over the tokens: [N, T, D] → [N, D, T, 1] → global average pool → [N, D].
    x = try g.transpose("pool.transpose", x, perm: [0, 2, 1])
    x = try g.reshape("pool.image", x, to: [batch, d, size, 1])
    x = try g.globalPool("pool", "avgpool", x)
    x = try g.reshape("flatten", x, to: [batch, d], function: "flatten")
    _ = try g.linear("head", x, out: 10)
    return g
  }
}
