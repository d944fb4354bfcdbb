import HybrixCore

/// LeNet-5 (LeCun et al., Proc. IEEE 1998) in its common modern form for 28×28 MNIST-size input:
/// the first convolution is padded by 2 so that it sees the 32×32 field of the original, C3 is
/// fully connected to S2, subsampling is a parameter-free 2×2 pool, activations are ReLU, and
/// the RBF output layer is a plain fully connected layer.
enum LeNet {
  static let model = ZooModel(
    name: "lenet5", aliases: ["lenet", "lenet-5"],
    summary: "LeNet-5, 28×28 grayscale, conv 6@5×5 pad 2, conv 16@5×5, fc 120-84-10 (LeCun et al. 1998)",
    family: .vision, defaultSize: 28,
    published: PublishedFigures(
      parameters: 61_706, macs: 416_520,
      source: "LeCun et al., Proc. IEEE 1998 (≈60k with sparse C3 and trainable subsampling); "
        + "this variant, computed from the definition: params 156 + 2,416 + 48,120 + 10,164 + 850 "
        + "= 61,706; MACs 28²·6·25 + 10²·16·150 + 400·120 + 120·84 + 84·10 = 416,520"),
    build: { b, s, _ throws(ConfigError) in try lenet5(batch: b, size: s) })

  static func lenet5(batch: Int, size: Int) throws(ConfigError) -> GraphBuilder {
    var g = GraphBuilder(name: "lenet5")
    var x = try g.input("image", [batch, 1, size, size])
    x = try g.conv2d("conv1", x, out: 6, kernel: 5, pad: 2, bias: true)
    x = try g.elementwise("relu1", "relu", [x])
    x = try g.pool("pool1", "maxpool", x, kernel: [2, 2], strides: [2, 2])
    x = try g.conv2d("conv2", x, out: 16, kernel: 5, pad: 0, bias: true)
    x = try g.elementwise("relu2", "relu", [x])
    x = try g.pool("pool2", "maxpool", x, kernel: [2, 2], strides: [2, 2])
    let d = g.dims(x)
    x = try g.reshape("flatten", x, to: [batch, d[1] * d[2] * d[3]], function: "flatten")
    x = try g.elementwise("relu3", "relu", [try g.linear("fc1", x, out: 120)])
    x = try g.elementwise("relu4", "relu", [try g.linear("fc2", x, out: 84)])
    _ = try g.linear("fc3", x, out: 10)
    return g
  }
}
