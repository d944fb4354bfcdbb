import HybrixCore
import HybrixNumerics
import Workloads

/// Checkpoints of graph networks are plain ONNX files like the chain's (docs/checkpoints.md):
/// one node per operator, named like it, so a mapping's placements apply to the
/// ``ONNXExecutor`` that runs the file. Chain layers are written by ``Network``'s code.
extension GraphNetwork {
  /// The network as an ONNX model (opset 17 plus `Gelu`, which the Hybrix executor runs;
  /// onnxruntime needs opset 20 for it). Linear layers over tokens `[N, T, in]` are a `MatMul`
  /// with the weight `[in, out]` and an `Add` of the bias named `NAME.bias_add`.
  public func onnxModel(docString: String = "") -> ONNXWriter.Model {
    var nodes: [ONNXWriter.Node] = []
    var initializers: [ONNXWriter.Initializer] = []
    func valueName(_ slot: Int) -> String {
      if slot == 0 { return Network.onnxInputName }
      if slot == outputSlot { return Network.onnxOutputName }
      return self.nodes.first(where: { $0.output == slot })?.name ?? "v\(slot)"
    }
    for (node, step) in zip(self.nodes, steps) {
      let ins = node.inputs.map(valueName)
      let out = valueName(node.output)
      func add(_ op: String, _ extra: [ONNXWriter.Initializer] = [], _ attributes: [ONNXWriter.Attribute] = [], name: String? = nil, inputs: [String]? = nil, output: String? = nil) {
        nodes.append(
          ONNXWriter.Node(
            name: name ?? node.name, opType: op, inputs: (inputs ?? ins) + extra.map(\.name),
            outputs: [output ?? out], attributes: attributes))
        initializers += extra
      }
      func tensor(_ suffix: String, _ t: Tensor, dims: [Int]? = nil) -> ONNXWriter.Initializer {
        ONNXWriter.Initializer(name: "\(node.name).\(suffix)", dims: dims ?? t.shape, values: t.scalars)
      }
      switch step {
      case .join(let join):
        switch join {
        case let c as Concat: add("Concat", [], [.init("axis", .int(c.axis))])
        case is ActivationProduct: add("MatMul")
        default: add("Add")
        }
      case .layer(let layer):
        switch layer {
        case let l as Linear where node.outputShape.count > 1:
          let product = "\(node.name).product"
          add("MatMul", [tensor("weight", l.weight.transposed())], output: product)
          add("Add", [tensor("bias", l.bias)], name: "\(node.name).bias_add", inputs: [product])
        case is GELU: add("Gelu")
        case let n as LayerNorm:
          add("LayerNormalization", [tensor("weight", n.gamma), tensor("bias", n.beta)],
            [.init("axis", .int(-1)), .init("epsilon", .float(n.epsilon))])
        case is SoftmaxLayer: add("Softmax", [], [.init("axis", .int(-1))])
        case let s as Scale:
          add("Mul", [ONNXWriter.Initializer(name: "\(node.name).factor", dims: [], values: [s.factor])])
        case let p as AddParameter: add("Add", [tensor("value", p.value, dims: [1] + p.value.shape)])
        case is GlobalAvgPool2d: add("GlobalAveragePool")
        case let r as Reshape: add("Reshape", [.int64(name: "\(node.name).shape", [-1] + r.sampleShape)])
        case let t as Transpose: add("Transpose", [], [.init("perm", .ints(t.perm))])
        default:
          let stage = Network.Stage(
            name: node.name, kind: Network.StageKind(rawValue: node.kind) ?? .relu,
            outputShape: node.outputShape)
          let (n, w) = Network.onnxNode(stage, layer, input: ins[0], output: out)
          nodes.append(n)
          initializers += w
        }
      }
    }
    let batch = ONNXWriter.Dimension.symbol("N")
    var model = ONNXWriter.Model(
      graphName: name, nodes: nodes, initializers: initializers,
      inputs: [.init(name: Network.onnxInputName, dims: [batch] + sampleShape.map { .value($0) })],
      outputs: [.init(name: Network.onnxOutputName, dims: [batch, .value(classes)])])
    model.docString = docString
    return model
  }

  /// Writes the checkpoint to `path` (see ``onnxModel(docString:)``).
  public func writeONNX(to path: String, docString: String = "") throws(ConfigError) {
    try ONNXWriter.write(onnxModel(docString: docString), to: path)
  }
}
