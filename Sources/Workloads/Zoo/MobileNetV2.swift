import HybrixCore

/// MobileNetV2 (Sandler et al., CVPR 2018) at width 1.0 in the torchvision layout: a stride-2
/// stem, seventeen inverted residual blocks (1×1 expansion, 3×3 depthwise convolution through
/// `groups`, linear 1×1 projection; ReLU6 after the first two), a 1×1 convolution to 1280
/// channels, global average pooling and the classifier. Dropout is omitted at inference.
enum MobileNetV2 {
  static let model = ZooModel(
    name: "mobilenetv2", aliases: ["mobilenet-v2", "mobilenet_v2"],
    summary: "MobileNetV2 1.0, ImageNet, inverted residuals with depthwise conv (Sandler et al. 2018)",
    family: .vision, defaultSize: 224,
    published: PublishedFigures(
      parameters: 3.50e6, macs: 0.30e9,
      source: "torchvision mobilenet_v2: 3,504,872 params, 0.30 GFLOPS (MACs) at 224×224; "
        + "Sandler et al. 2018 Table 4: 3.4M params, 300M multiply-adds"),
    build: { b, s, _ throws(ConfigError) in try mobilenetV2(batch: b, size: s) })

  /// Expansion t, output channels c, repeats n, first stride s of each bottleneck stage
  /// (Sandler et al. Table 2).
  static let stages: [(t: Int, c: Int, n: Int, s: Int)] = [
    (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
    (6, 320, 1, 1),
  ]

  static func mobilenetV2(batch: Int, size: Int) throws(ConfigError) -> GraphBuilder {
    var g = GraphBuilder(name: "mobilenetv2")
    var x = try g.input("image", [batch, 3, size, size])
    x = try convBNReLU(&g, "features.0", x, out: 32, kernel: 3, stride: 2, activation: "relu6")
    var block = 1
    for stage in stages {
      for i in 0..<stage.n {
        x = try invertedResidual(
          &g, "features.\(block)", x, out: stage.c, stride: i == 0 ? stage.s : 1, expansion: stage.t)
        block += 1
      }
    }
    x = try convBNReLU(&g, "features.\(block)", x, out: 1280, kernel: 1, stride: 1, activation: "relu6")
    x = try g.globalPool("avgpool", "avgpool", x)
    x = try g.reshape("flatten", x, to: [batch, 1280], function: "flatten")
    _ = try g.linear("classifier", x, out: 1000)
    return g
  }

  /// One inverted residual block; the shortcut is added when the block keeps size and width.
  static func invertedResidual(
    _ g: inout GraphBuilder, _ name: String, _ x: TensorID, out: Int, stride: Int, expansion: Int
  ) throws(ConfigError) -> TensorID {
    let inChannels = g.dims(x)[1]
    let hidden = inChannels * expansion
    var y = x
    if expansion != 1 {
      y = try convBNReLU(&g, "\(name).expand", y, out: hidden, kernel: 1, stride: 1, activation: "relu6")
    }
    y = try convBNReLU(
      &g, "\(name).depthwise", y, out: hidden, kernel: 3, stride: stride, groups: hidden,
      activation: "relu6")
    y = try g.batchNorm("\(name).project.bn", try g.conv2d("\(name).project", y, out: out, kernel: 1))
    guard stride == 1, inChannels == out else { return y }
    return try g.elementwise("\(name).add", "add", [x, y])
  }
}
