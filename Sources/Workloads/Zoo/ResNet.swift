import HybrixCore

/// Residual networks: ResNet-18/50 for ImageNet (He et al., CVPR 2016, torchvision layout) and
/// ResNet-20 for CIFAR-10 (He et al. §4.2, option A shortcuts as parameter-free padding).
enum ResNet {
  static let resnet18 = ZooModel(
    name: "resnet18", aliases: ["resnet-18"],
    summary: "ResNet-18, ImageNet, basic blocks [2,2,2,2] (He et al. 2016)",
    family: .vision, defaultSize: 224,
    published: PublishedFigures(
      parameters: 11.69e6, macs: 1.82e9,
      source: "torchvision resnet18: 11,689,512 params, 1.81 GFLOPS (MACs) at 224×224"),
    build: { b, s, _ throws(ConfigError) in try imagenet("resnet18", blocks: [2, 2, 2, 2], bottleneck: false, batch: b, size: s) })

  static let resnet50 = ZooModel(
    name: "resnet50", aliases: ["resnet-50"],
    summary: "ResNet-50, ImageNet, bottleneck blocks [3,4,6,3] (He et al. 2016)",
    family: .vision, defaultSize: 224,
    published: PublishedFigures(
      parameters: 25.56e6, macs: 4.09e9,
      source: "torchvision resnet50: 25,557,032 params, 4.09 GFLOPS (MACs) at 224×224"),
    build: { b, s, _ throws(ConfigError) in try imagenet("resnet50", blocks: [3, 4, 6, 3], bottleneck: true, batch: b, size: s) })

  static let resnet20 = ZooModel(
    name: "resnet20", aliases: ["resnet-20"],
    summary: "ResNet-20, CIFAR-10 32×32, 3 stages of 3 basic blocks (He et al. 2016 §4.2)",
    family: .vision, defaultSize: 32,
    published: PublishedFigures(
      parameters: 0.27e6, macs: 40.8e6,
      source: "He et al. 2016 Table 6: 0.27M params; 40.8M MACs (akamaster/pytorch_resnet_cifar10)"),
    build: { b, s, _ throws(ConfigError) in try cifar("resnet20", depth: 20, batch: b, size: s) })

  static func imagenet(_ name: String, blocks: [Int], bottleneck: Bool, batch: Int, size: Int)
    throws(ConfigError) -> GraphBuilder
  {
    var g = GraphBuilder(name: name)
    var x = try g.input("image", [batch, 3, size, size])
    x = try g.conv2d("conv1", x, out: 64, kernel: 7, stride: 2, pad: 3)
    x = try g.elementwise("relu1", "relu", [try g.batchNorm("bn1", x)])
    x = try g.pool("maxpool", "maxpool", x, kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1])
    let expansion = bottleneck ? 4 : 1
    for (stage, count) in blocks.enumerated() {
      let width = 64 << stage
      for i in 0..<count {
        let p = "layer\(stage + 1).\(i)"
        let stride = (stage > 0 && i == 0) ? 2 : 1
        let inChannels = g.dims(x)[1]
        var y = x
        if bottleneck {
          y = try convBNReLU(&g, "\(p).conv1", y, out: width, kernel: 1, stride: 1)
          y = try convBNReLU(&g, "\(p).conv2", y, out: width, kernel: 3, stride: stride)
          y = try g.batchNorm("\(p).bn3", try g.conv2d("\(p).conv3", y, out: width * 4, kernel: 1))
        } else {
          y = try convBNReLU(&g, "\(p).conv1", y, out: width, kernel: 3, stride: stride)
          y = try g.batchNorm("\(p).bn2", try g.conv2d("\(p).conv2", y, out: width, kernel: 3))
        }
        var shortcut = x
        if stride != 1 || inChannels != width * expansion {
          shortcut = try g.conv2d("\(p).downsample.0", x, out: width * expansion, kernel: 1, stride: stride)
          shortcut = try g.batchNorm("\(p).downsample.1", shortcut)
        }
        x = try g.elementwise("\(p).relu", "relu", [try g.elementwise("\(p).add", "add", [y, shortcut])])
      }
    }
    x = try g.globalPool("avgpool", "avgpool", x)
    x = try g.reshape("flatten", x, to: [batch, g.dims(x)[1]], function: "flatten")
    _ = try g.linear("fc", x, out: 1000)
    return g
  }

  static func cifar(_ name: String, depth: Int, batch: Int, size: Int) throws(ConfigError)
    -> GraphBuilder
  {
    let perStage = (depth - 2) / 6
    var g = GraphBuilder(name: name)
    var x = try g.input("image", [batch, 3, size, size])
    x = try convBNReLU(&g, "conv1", x, out: 16, kernel: 3, stride: 1)
    for stage in 0..<3 {
      let width = 16 << stage
      for i in 0..<perStage {
        let p = "layer\(stage + 1).\(i)"
        let stride = (stage > 0 && i == 0) ? 2 : 1
        var y = try convBNReLU(&g, "\(p).conv1", x, out: width, kernel: 3, stride: stride)
        y = try g.batchNorm("\(p).bn2", try g.conv2d("\(p).conv2", y, out: width, kernel: 3))
        var shortcut = x
        if stride != 1 {
          // Option A: subsample by 2 and zero-pad the channels; no parameters.
          let d = g.dims(x)
          shortcut = try g.move("\(p).shortcut", "pad-subsample", [x], outDims: [d[0], width, g.dims(y)[2], g.dims(y)[3]])
        }
        x = try g.elementwise("\(p).relu", "relu", [try g.elementwise("\(p).add", "add", [y, shortcut])])
      }
    }
    x = try g.globalPool("avgpool", "avgpool", x)
    x = try g.reshape("flatten", x, to: [batch, g.dims(x)[1]], function: "flatten")
    _ = try g.linear("fc", x, out: 10)
    return g
  }
}

/// Convolution, batch norm, ReLU: the unit most CNNs repeat.
func convBNReLU(
  _ g: inout GraphBuilder, _ name: String, _ x: TensorID, out: Int, kernel: Int, stride: Int,
  groups: Int = 1, activation: String = "relu"
) throws(ConfigError) -> TensorID {
  let c = try g.conv2d(name, x, out: out, kernel: kernel, stride: stride, groups: groups)
  let n = try g.batchNorm("\(name).bn", c)
  return try g.elementwise("\(name).\(activation)", activation, [n])
}
