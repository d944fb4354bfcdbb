import HybrixCore
import HybrixNumerics
import Workloads

extension Network {
  /// The operators a trainable chain may hold, for error messages.
  public static let supportedOperators =
    "conv (2-D, square kernel, symmetric pads), batchnorm, relu, maxpool (square window, "
    + "symmetric pads), flatten or reshape to [N, features], linear (Gemm or MatMul with a "
    + "static weight [in, out] or [out, in])"

  /// Builds the chain that `graph` describes, one layer per operator, keeping operator names.
  ///
  /// Weights come from ``Workloads/Graph/weightValues`` when the graph carries any (an ONNX file
  /// or a checkpoint; then every parameter and batch-norm statistic must be there, with the
  /// shape the operator needs), otherwise from a He initialisation seeded with `seed` (batch
  /// norm starts at scale 1, shift 0, mean 0, variance 1).
  ///
  /// - Parameters:
  ///   - file: The file the graph came from, named in errors.
  ///   - seed: Seeds the initialisation (layers draw in graph order).
  ///   - numerics: Attributes the graph does not keep (Gemm `transB`, batch-norm `epsilon`),
  ///     from ``Workloads/ONNXImporter/nodeNumerics(data:fileName:)``. Without them a square
  ///     linear weight is read as `[in, out]`, the zoo's layout.
  /// - Throws: ``ConfigError`` naming the operator when the graph is not a chain of supported
  ///   operators, and the file, operator and both shapes when a weight does not fit.
  public init(
    graph: Graph, file: String? = nil, seed: UInt64 = 0,
    numerics: [String: ONNXNodeNumerics] = [:]
  ) throws(ConfigError) {
    var builder = ChainBuilder(graph: graph, file: file, numerics: numerics, seed: seed)
    try builder.build()
    self.init(
      name: graph.name, stages: builder.stages, layers: builder.layers,
      sampleShape: builder.sampleShape)
  }
}

/// Walks a graph operator by operator and makes the layers of a ``Network``.
struct ChainBuilder {
  let graph: Graph
  let file: String?
  let numerics: [String: ONNXNodeNumerics]
  var rng: SplitMix64
  /// Whether the graph carries values, so that every parameter must have them.
  let hasValues: Bool
  var stages: [Network.Stage] = []
  var layers: [any Layer] = []
  var sampleShape: [Int] = []

  init(graph: Graph, file: String?, numerics: [String: ONNXNodeNumerics], seed: UInt64) {
    self.graph = graph
    self.file = file
    self.numerics = numerics
    self.rng = SplitMix64(seed: seed)
    // Constants with values (an attention scale) do not make a zoo graph a checkpoint.
    self.hasValues = graph.weightValues.keys.contains { graph[$0].role == .weight }
  }

  mutating func build() throws(ConfigError) {
    guard graph.inputs.count == 1, let input = graph.inputs.first else {
      throw ConfigError(
        file: file, path: "graph.inputs",
        message: "\(graph.name) has \(graph.inputs.count) inputs", expected: "one image input")
    }
    var current = input
    var shape = Array(graph[input].shape.dims.dropFirst())
    sampleShape = shape
    guard !shape.isEmpty else {
      throw ConfigError(
        file: file, path: "graph.inputs", message: "input \(graph[input].shape) has no sample axes",
        expected: "[N, C, H, W] or [N, features]")
    }
    for op in graph.operators {
      guard op.inputs.first == current, op.outputs.count == 1 else {
        throw notChain(op, "does not take the previous operator's output as its only activation")
      }
      for extra in op.inputs.dropFirst() where ![.weight, .constant].contains(graph[extra].role) {
        throw notChain(op, "reads a second activation '\(graph[extra].name)'")
      }
      let output = Array(graph[op.outputs[0]].shape.dims.dropFirst())
      try add(op, input: shape, output: output)
      current = op.outputs[0]
      shape = output
    }
    guard graph.outputs == [current], shape.count == 1, !stages.isEmpty else {
      throw ConfigError(
        file: file, path: "graph.outputs",
        message: "\(graph.name) does not end in one [N, classes] output after its last operator",
        expected: "a chain whose last operator writes the logits")
    }
  }

  mutating func add(_ op: Operator, input: [Int], output: [Int]) throws(ConfigError) {
    switch (op.kind, op.attributes.function) {
    case (.conv, _): try addConv(op, input: input, output: output)
    case (.matmul, _): try addLinear(op, input: input, output: output)
    case (.normalization, "batchnorm"): try addBatchNorm(op, input: input)
    case (.elementwise, "relu") where op.inputs.count == 1:
      append(op, .relu, ReLU(), output)
    case (.pooling, "maxpool"): try addMaxPool(op, input: input, output: output)
    case (.layout, "flatten"), (.layout, "reshape"):
      guard output.count == 1, output[0] == input.reduce(1, *) else {
        throw notChain(op, "reshapes \(input) to \(output), not to [features]")
      }
      if input.count == 1 { return }  // already flat: nothing to do
      append(op, .flatten, Flatten(), output)
    case (.layout, "identity"), (.layout, "dropout"):
      guard output == input else { throw notChain(op, "changes the shape \(input) to \(output)") }
    default:
      throw notChain(op, "is a \(op.label) operator")
    }
  }

  mutating func append(
    _ op: Operator, _ kind: Network.StageKind, _ layer: any Layer, _ shape: [Int]
  ) {
    stages.append(Network.Stage(name: op.name, kind: kind, outputShape: shape))
    layers.append(layer)
  }

  // MARK: errors and values

  func notChain(_ op: Operator, _ reason: String) -> ConfigError {
    ConfigError(
      file: file, path: "operator \(op.name)",
      message: "\(graph.name) is not a trainable chain: operator '\(op.name)' \(reason)",
      expected: "a chain of \(Network.supportedOperators)",
      hint: "hybrix train runs chain models such as mlp, lenet5 and small-cnn")
  }

  func shapeError(_ op: Operator, _ what: String, found: [Int], expected: [Int]) -> ConfigError {
    ConfigError(
      file: file, path: "operator \(op.name)",
      message: "\(what) has shape \(found)", expected: "\(expected)",
      hint: "the file's weights do not fit \(graph.name); re-export the checkpoint")
  }

  /// The values of `id`, checked against `expected`; `nil` when the graph carries no values.
  func values(_ op: Operator, _ id: TensorID, _ what: String, expected: [Int]) throws(ConfigError)
    -> [Float]?
  {
    let tensor = graph[id]
    let label = "\(what) '\(tensor.name)'"
    guard tensor.shape.dims.reduce(1, *) == expected.reduce(1, *),
      tensor.shape.dims.filter({ $0 != 1 }) == expected.filter({ $0 != 1 })
    else { throw shapeError(op, label, found: tensor.shape.dims, expected: expected) }
    guard let v = graph.weightValues[id] else {
      guard !hasValues else {
        throw ConfigError(
          file: file, path: "operator \(op.name)", message: "\(label) has no values",
          expected: "an initializer with \(expected.reduce(1, *)) floats",
          hint: "a checkpoint must hold every weight and batch-norm statistic")
      }
      return nil
    }
    guard v.count == expected.reduce(1, *) else {
      throw shapeError(op, "\(label) with \(v.count) values", found: [v.count], expected: expected)
    }
    return v
  }
}
