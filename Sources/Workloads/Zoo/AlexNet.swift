import HybrixCore

/// AlexNet (Krizhevsky et al., NeurIPS 2012) in the torchvision layout (one tower, 64-192-384-256-256
/// channels as in Krizhevsky 2014), with the adaptive average pool to 6×6 before the classifier.
/// Dropout is the identity at inference and is omitted.
enum AlexNet {
  static let model = ZooModel(
    name: "alexnet", aliases: [],
    summary: "AlexNet, ImageNet, 5 conv + 3 fc, torchvision layout (Krizhevsky et al. 2012)",
    family: .vision, defaultSize: 224,
    published: PublishedFigures(
      parameters: 61.1e6, macs: 0.714e9,
      source: "torchvision alexnet: 61,100,840 params, 0.71 GFLOPS (MACs) at 224×224"),
    build: { b, s, _ throws(ConfigError) in try alexnet(batch: b, size: s) })

  static func alexnet(batch: Int, size: Int) throws(ConfigError) -> GraphBuilder {
    var g = GraphBuilder(name: "alexnet")
    var x = try g.input("image", [batch, 3, size, size])
    let convs: [(out: Int, kernel: Int, stride: Int, pad: Int, pool: Bool)] = [
      (64, 11, 4, 2, true), (192, 5, 1, 2, true), (384, 3, 1, 1, false), (256, 3, 1, 1, false),
      (256, 3, 1, 1, true),
    ]
    for (i, c) in convs.enumerated() {
      let p = "features.conv\(i + 1)"
      x = try g.conv2d(p, x, out: c.out, kernel: c.kernel, stride: c.stride, pad: c.pad, bias: true)
      x = try g.elementwise("\(p).relu", "relu", [x])
      if c.pool {
        x = try g.pool("\(p).maxpool", "maxpool", x, kernel: [3, 3], strides: [2, 2])
      }
    }
    x = try adaptiveAvgPool(&g, "avgpool", x, to: 6)
    x = try g.reshape("flatten", x, to: [batch, 256 * 6 * 6], function: "flatten")
    x = try g.elementwise("classifier.fc1.relu", "relu", [try g.linear("classifier.fc1", x, out: 4096)])
    x = try g.elementwise("classifier.fc2.relu", "relu", [try g.linear("classifier.fc2", x, out: 4096)])
    _ = try g.linear("classifier.fc3", x, out: 1000)
    return g
  }
}

/// PyTorch's `AdaptiveAvgPool2d(side)` over `x[N, C, H, W]`.
///
/// At the size a model was designed for the input is already `side × side` and the pool is the
/// identity (a view). A larger input becomes a pool of stride ⌊n / side⌋ whose kernel
/// n − (side − 1)·stride makes exactly `side` windows (PyTorch's windows when `side` divides n,
/// otherwise the same output size with near-equal windows). A smaller input is replicated up to
/// `side × side`, which moves data and does no arithmetic.
func adaptiveAvgPool(_ g: inout GraphBuilder, _ name: String, _ x: TensorID, to side: Int)
  throws(ConfigError) -> TensorID
{
  let d = g.dims(x)
  guard d.count == 4 else {
    throw GraphBuilder.shapeError(name, "input \(d)", expected: "N × C × H × W")
  }
  if d[2] == side, d[3] == side {
    return try g.reshape(name, x, to: d, function: "adaptive-avgpool")
  }
  if d[2] < side || d[3] < side {
    return try g.move(name, "adaptive-avgpool", [x], outDims: [d[0], d[1], side, side])
  }
  let strides = [d[2] / side, d[3] / side]
  let kernel = [d[2] - (side - 1) * strides[0], d[3] - (side - 1) * strides[1]]
  return try g.pool(name, "avgpool", x, kernel: kernel, strides: strides)
}
