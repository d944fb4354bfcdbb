import HybrixCore

/// The small Fashion-MNIST CNN that the accuracy engine trains: two convolution stages
/// (conv 3×3 pad 1 → batch norm → ReLU → 2×2 max pool) of 32 and 64 channels, then fc 128 → ReLU
/// → fc 10. The convolutions have no bias (batch norm's shift replaces it).
enum SmallCNN {
  static let model = ZooModel(
    name: "small-cnn", aliases: ["smallcnn", "fashion-cnn"],
    summary: "Small Fashion-MNIST CNN, 28×28 grayscale, conv 32-64 3×3 with BN, fc 128-10",
    family: .vision, defaultSize: 28,
    published: PublishedFigures(
      parameters: 421_738, macs: 4_241_152,
      source: "computed by hand from the definition at 28×28: params conv1 32·1·9 = 288, bn1 2·32 = 64, "
        + "conv2 64·32·9 = 18,432, bn2 2·64 = 128, fc1 3,136·128 + 128 = 401,536, "
        + "fc2 128·10 + 10 = 1,290, "
        + "total 421,738; MACs conv1 28²·32·9 = 225,792, conv2 14²·64·288 = 3,612,672, "
        + "fc1 3,136·128 = 401,408, fc2 1,280, total 4,241,152"),
    build: { b, s, _ throws(ConfigError) in try smallCNN(batch: b, size: s) })

  static func smallCNN(batch: Int, size: Int) throws(ConfigError) -> GraphBuilder {
    var g = GraphBuilder(name: "small-cnn")
    var x = try g.input("image", [batch, 1, size, size])
    for (i, width) in [32, 64].enumerated() {
      let p = "conv\(i + 1)"
      x = try convBNReLU(&g, p, x, out: width, kernel: 3, stride: 1)
      x = try g.pool("\(p).pool", "maxpool", x, kernel: [2, 2], strides: [2, 2])
    }
    let d = g.dims(x)
    x = try g.reshape("flatten", x, to: [batch, d[1] * d[2] * d[3]], function: "flatten")
    x = try g.elementwise("fc1.relu", "relu", [try g.linear("fc1", x, out: 128)])
    _ = try g.linear("fc2", x, out: 10)
    return g
  }
}
