import HybrixCore

/// VGG-16 (Simonyan & Zisserman, ICLR 2015, configuration D) in the torchvision layout without
/// batch norm: thirteen 3×3 convolutions in five stages with max pooling, the adaptive average
/// pool to 7×7, and three fully connected layers. Dropout is omitted at inference.
enum VGG {
  static let vgg16 = ZooModel(
    name: "vgg16", aliases: ["vgg-16"],
    summary: "VGG-16, ImageNet, 13 conv 3×3 + 3 fc (Simonyan & Zisserman 2015, config D)",
    family: .vision, defaultSize: 224,
    published: PublishedFigures(
      parameters: 138.36e6, macs: 15.47e9,
      source: "torchvision vgg16: 138,357,544 params, 15.47 GFLOPS (MACs) at 224×224; "
        + "Simonyan & Zisserman 2015 Table 2: 138M"),
    build: { b, s, _ throws(ConfigError) in
      try vgg("vgg16", stages: [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]],
        batch: b, size: s)
    })

  static func vgg(_ name: String, stages: [[Int]], batch: Int, size: Int) throws(ConfigError)
    -> GraphBuilder
  {
    var g = GraphBuilder(name: name)
    var x = try g.input("image", [batch, 3, size, size])
    for (s, widths) in stages.enumerated() {
      for (i, width) in widths.enumerated() {
        let p = "features.conv\(s + 1)_\(i + 1)"
        x = try g.conv2d(p, x, out: width, kernel: 3, pad: 1, bias: true)
        x = try g.elementwise("\(p).relu", "relu", [x])
      }
      x = try g.pool("features.pool\(s + 1)", "maxpool", x, kernel: [2, 2], strides: [2, 2])
    }
    x = try adaptiveAvgPool(&g, "avgpool", x, to: 7)
    let channels = g.dims(x)[1]
    x = try g.reshape("flatten", x, to: [batch, channels * 7 * 7], function: "flatten")
    x = try g.elementwise("classifier.fc1.relu", "relu", [try g.linear("classifier.fc1", x, out: 4096)])
    x = try g.elementwise("classifier.fc2.relu", "relu", [try g.linear("classifier.fc2", x, out: 4096)])
    _ = try g.linear("classifier.fc3", x, out: 1000)
    return g
  }
}
