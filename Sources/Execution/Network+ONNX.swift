import HybrixCore
import HybrixNumerics
import Workloads

/// Checkpoints are plain ONNX files (docs/checkpoints.md): one node per stage, named like the
/// stage, with the weights as float initializers, so they open in onnxruntime and Netron and
/// load back through ``load(onnx:seed:)`` with identical logits.
extension Network {
  /// The graph input's name; its shape is `[N] + sampleShape` with a symbolic batch `N`.
  public static let onnxInputName = "image"
  /// The graph output's name, `[N, classes]`.
  public static let onnxOutputName = "logits"

  /// The network as an ONNX model: Conv, BatchNormalization, Relu, MaxPool, Flatten and Gemm
  /// (`transB = 1`, weights `[out, in]` as PyTorch stores them) nodes, opset 17, IR version 8.
  ///
  /// - Parameter docString: Stored in the model's `doc_string` (e.g. how it was trained).
  public func onnxModel(docString: String = "") -> ONNXWriter.Model {
    var nodes: [ONNXWriter.Node] = []
    var initializers: [ONNXWriter.Initializer] = []
    var previous = Self.onnxInputName
    for (i, stage) in stages.enumerated() {
      let out = i == stages.count - 1 ? Self.onnxOutputName : stage.name
      let (node, weights) = Self.onnxNode(stage, body.layers[i], input: previous, output: out)
      nodes.append(node)
      initializers += weights
      previous = out
    }
    let batch = ONNXWriter.Dimension.symbol("N")
    var model = ONNXWriter.Model(
      graphName: name, nodes: nodes, initializers: initializers,
      inputs: [.init(name: Self.onnxInputName, dims: [batch] + sampleShape.map { .value($0) })],
      outputs: [.init(name: Self.onnxOutputName, dims: [batch, .value(classes)])])
    model.docString = docString
    return model
  }

  /// Writes the checkpoint to `path` (see ``onnxModel(docString:)``).
  public func writeONNX(to path: String, docString: String = "") throws(ConfigError) {
    try ONNXWriter.write(onnxModel(docString: docString), to: path)
  }

  static func onnxNode(_ stage: Stage, _ layer: any Layer, input: String, output: String)
    -> (ONNXWriter.Node, [ONNXWriter.Initializer])
  {
    let n = stage.name
    func tensor(_ suffix: String, _ t: HybrixNumerics.Tensor) -> ONNXWriter.Initializer {
      ONNXWriter.Initializer(name: "\(n).\(suffix)", dims: t.shape, values: t.scalars)
    }
    func node(
      _ op: String, _ extra: [ONNXWriter.Initializer], _ attributes: [ONNXWriter.Attribute] = []
    )
      -> (ONNXWriter.Node, [ONNXWriter.Initializer])
    {
      let node = ONNXWriter.Node(
        name: n, opType: op, inputs: [input] + extra.map(\.name), outputs: [output],
        attributes: attributes)
      return (node, extra)
    }
    switch layer {
    case let conv as Conv2d:
      return node(
        "Conv", [tensor("weight", conv.weight), tensor("bias", conv.bias)], convAttributes(conv))
    case let conv as UnbiasedConv2d:
      return node("Conv", [tensor("weight", conv.weight)], convAttributes(conv.conv))
    case let bn as BatchNorm2d:
      let stats = [
        tensor("weight", bn.gamma), tensor("bias", bn.beta), tensor("running_mean", bn.runningMean),
        tensor("running_var", bn.runningVariance),
      ]
      // ONNX's momentum weighs the old running value; PyTorch's (and BatchNorm2d's) the new batch.
      return node(
        "BatchNormalization", stats,
        [.init("epsilon", .float(bn.epsilon)), .init("momentum", .float(1 - bn.momentum))])
    case is ReLU:
      return node("Relu", [])
    case let pool as MaxPool2d:
      let p = pool.padding
      return node(
        "MaxPool", [],
        [
          .init("kernel_shape", .ints([pool.kernel, pool.kernel])),
          .init("strides", .ints([pool.stride, pool.stride])), .init("pads", .ints([p, p, p, p])),
        ])
    case is Flatten:
      return node("Flatten", [], [.init("axis", .int(1))])
    case let linear as Linear:
      return node(
        "Gemm", [tensor("weight", linear.weight), tensor("bias", linear.bias)],
        [.init("transB", .int(1))])
    default:
      preconditionFailure("stage \(n) holds \(type(of: layer)), which has no ONNX form")
    }
  }

  private static func convAttributes(_ conv: Conv2d) -> [ONNXWriter.Attribute] {
    let o = conv.options
    return [
      .init("kernel_shape", .ints(Array(conv.weight.shape[2...]))),
      .init("strides", .ints([o.strideH, o.strideW])),
      .init("pads", .ints([o.padH, o.padW, o.padH, o.padW])),
      .init("dilations", .ints([o.dilationH, o.dilationW])), .init("group", .int(o.groups)),
    ]
  }
}
