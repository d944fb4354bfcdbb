import HybrixCore

/// A three-layer perceptron for Fashion-MNIST: the 1×28×28 image flattened to 784 features, then
/// 256 → ReLU → 128 → ReLU → 10. At other image sizes the first layer takes `size²` features.
enum FashionMLP {
  static let model = ZooModel(
    name: "mlp", aliases: ["fashion-mlp"],
    summary: "Fashion-MNIST MLP, 784-256-128-10 with ReLU",
    family: .vision, defaultSize: 28,
    published: PublishedFigures(
      parameters: 235_146, macs: 234_752,
      source: "computed by hand from the definition: params 784·256 + 256 + 256·128 + 128 + 128·10 + 10 "
        + "= 235,146; MACs 784·256 + 256·128 + 128·10 = 234,752"),
    build: { b, s, _ throws(ConfigError) in try mlp(batch: b, size: s) })

  static func mlp(batch: Int, size: Int) throws(ConfigError) -> GraphBuilder {
    var g = GraphBuilder(name: "mlp")
    let image = try g.input("image", [batch, 1, size, size])
    var x = try g.reshape("flatten", image, to: [batch, size * size], function: "flatten")
    x = try g.elementwise("fc1.relu", "relu", [try g.linear("fc1", x, out: 256)])
    x = try g.elementwise("fc2.relu", "relu", [try g.linear("fc2", x, out: 128)])
    _ = try g.linear("fc3", x, out: 10)
    return g
  }
}
