import HybrixCore
import HybrixNumerics
import Workloads

extension GraphNetwork {
  /// The operators a trainable graph may hold, for error messages.
  public static let supportedOperators =
    Network.supportedOperators + "; and in a graph: add (two activations, or a learned "
    + "[sample] parameter), mul by a constant scalar, gelu, layernorm (last axis), softmax (last "
    + "axis), global average pool, reshape, transpose (batch axis first), concat, matmul of two "
    + "activations with equal batch axes"

  /// Builds the network `graph` describes, one node per operator, keeping operator names.
  ///
  /// Chain operators (conv, linear, batch norm, ReLU, max pool, flatten) are made by the same
  /// code as ``Network``'s, so a chain built here has the same layers, initialised from the same
  /// random stream, as ``Network/init(graph:file:seed:numerics:)`` builds. Weights come from
  /// the graph's values when it carries any (then every parameter must have them), otherwise
  /// from a seeded initialisation (layer norm: scale 1, shift 0; a position embedding: normal
  /// with standard deviation 0.02).
  ///
  /// - Throws: ``ConfigError`` naming the operator that is not supported or does not fit.
  public init(
    graph: Graph, file: String? = nil, seed: UInt64 = 0,
    numerics: [String: ONNXNodeNumerics] = [:]
  ) throws(ConfigError) {
    var b = DAGBuilder(chain: ChainBuilder(graph: graph, file: file, numerics: numerics, seed: seed))
    try b.build()
    self.init(
      name: graph.name, nodes: b.nodes, steps: b.steps, sampleShape: b.sampleShape,
      slotCount: b.shapes.count, outputSlot: b.outputSlot)
  }
}

/// Walks a graph in operator order and makes the nodes of a ``GraphNetwork``; chain layers are
/// delegated to ``ChainBuilder``.
struct DAGBuilder {
  var chain: ChainBuilder
  var graph: Graph { chain.graph }
  /// Slot of each activation tensor produced so far (tensor index → slot).
  var slots: [Int: Int] = [:]
  /// Sample shape of each slot.
  var shapes: [[Int]] = []
  var nodes: [GraphNetwork.Node] = []
  var steps: [GraphNetwork.Step] = []
  var sampleShape: [Int] = []
  var outputSlot = 0

  mutating func build() throws(ConfigError) {
    guard graph.inputs.count == 1, let input = graph.inputs.first else {
      throw ConfigError(
        file: chain.file, path: "graph.inputs",
        message: "\(graph.name) has \(graph.inputs.count) inputs", expected: "one image input")
    }
    sampleShape = Array(graph[input].shape.dims.dropFirst())
    guard !sampleShape.isEmpty else {
      throw ConfigError(
        file: chain.file, path: "graph.inputs", message: "input \(graph[input].shape) has no sample axes",
        expected: "[N, C, H, W], [N, tokens, features] or [N, features]")
    }
    slots[input.index] = 0
    shapes = [sampleShape]
    for op in graph.operators {
      guard op.outputs.count == 1 else { throw unsupported(op, "has \(op.outputs.count) outputs") }
      var activations: [Int] = []
      for t in op.inputs where ![.weight, .constant].contains(graph[t].role) {
        guard let slot = slots[t.index] else {
          throw unsupported(op, "reads '\(graph[t].name)', which no earlier operator writes")
        }
        activations.append(slot)
      }
      guard !activations.isEmpty else { throw unsupported(op, "reads no activation") }
      let output = Array(graph[op.outputs[0]].shape.dims.dropFirst())
      try add(op, activations, output)
    }
    guard graph.outputs.count == 1, let out = slots[graph.outputs[0].index],
      shapes[out].count == 1, !nodes.isEmpty
    else {
      throw ConfigError(
        file: chain.file, path: "graph.outputs",
        message: "\(graph.name) does not end in one [N, classes] output",
        expected: "a graph whose one output is the logits")
    }
    outputSlot = out
  }

  private mutating func add(_ op: Operator, _ inputs: [Int], _ output: [Int]) throws(ConfigError) {
    let input = shapes[inputs[0]]
    let function = op.attributes.function ?? ""
    switch (op.kind, function) {
    case (.elementwise, "add") where inputs.count == 2:
      guard shapes[inputs[1]] == input, output == input else {
        throw unsupported(op, "adds \(input) and \(shapes[inputs[1]]); only equal shapes are supported")
      }
      append(op, "add", .join(Sum()), inputs, output)
    case (.elementwise, "add") where inputs.count == 1 && op.inputs.count == 2:
      if try foldBias(op, inputs[0], output) { return }
      guard output == input, let w = op.inputs.first(where: { graph[$0].role == .weight }) else {
        throw unsupported(op, "adds a constant; only a learned parameter shaped like the sample")
      }
      var layer = AddParameter(sampleShape: input, rng: &chain.rng)
      if let v = try chain.values(op, w, "parameter", expected: input) {
        layer.parameters = [Tensor(shape: input, scalars: v)]
      }
      append(op, "position", .layer(layer), inputs, output)
    case (.elementwise, "mul") where inputs.count == 1 && op.inputs.count == 2:
      // A zoo graph marks the factor a constant; an ONNX file stores it as an initializer.
      guard let c = op.inputs.first(where: { [.constant, .weight].contains(graph[$0].role) }),
        let v = graph.weightValues[c], v.count == 1
      else { throw unsupported(op, "multiplies by something other than one constant scalar") }
      append(op, "scale", .layer(Scale(v[0])), inputs, output)
    case (.elementwise, "gelu") where inputs.count == 1:
      append(op, "gelu", .layer(GELU()), inputs, output)
    case (.normalization, "layernorm"):
      guard let d = input.last, op.inputs.count >= 2 else {
        throw unsupported(op, "is a layer norm without a scale")
      }
      var layer = LayerNorm(features: d, epsilon: chain.numerics[op.name]?.epsilon ?? 1e-5)
      if let v = try chain.values(op, op.inputs[1], "scale", expected: [d]) {
        layer.gamma = Tensor(shape: [d], scalars: v)
      }
      if op.inputs.count > 2, let v = try chain.values(op, op.inputs[2], "shift", expected: [d]) {
        layer.beta = Tensor(shape: [d], scalars: v)
      }
      append(op, "layernorm", .layer(layer), inputs, output)
    case (.softmax, "softmax"):
      append(op, "softmax", .layer(SoftmaxLayer()), inputs, output)
    case (.pooling, let f) where f.contains("avg") && input.count == 3 && output == [input[0], 1, 1]:
      append(op, "avgpool", .layer(GlobalAvgPool2d()), inputs, output)
    case (.layout, "transpose"):
      guard let perm = op.attributes.perm, perm.first == 0, perm.count == input.count + 1 else {
        throw unsupported(op, "is a transpose without a permutation that keeps the batch axis first")
      }
      append(op, "transpose", .layer(Transpose(perm: perm)), inputs, output)
    case (.layout, "concat"):
      guard let axis = op.attributes.axis, axis >= 1 else {
        throw unsupported(op, "concatenates along the batch axis or an unknown axis")
      }
      append(op, "concat", .join(Concat(axis: axis)), inputs, output)
    case (.layout, "reshape") where output.count > 1 || input.count == 1:
      guard output.reduce(1, *) == input.reduce(1, *) else {
        throw unsupported(op, "reshapes \(input) to \(output)")
      }
      append(op, "reshape", .layer(Reshape(sampleShape: output)), inputs, output)
    case (.matmul, _), (.attentionScores, _), (.attentionValues, _):
      if inputs.count == 2 {
        let other = shapes[inputs[1]]
        guard input.count >= 2, other.count == input.count, input.dropLast(2) == other.dropLast(2),
          input[input.count - 1] == other[other.count - 2]
        else {
          throw unsupported(op, "multiplies \(input) by \(other); expected [… M, K] · [… K, N]")
        }
        append(op, "matmul", .join(ActivationProduct()), inputs, output)
        return
      }
      try addChainLayer(op, inputs, output)
    default:
      guard inputs.count == 1 else { throw unsupported(op, "joins \(inputs.count) activations") }
      try addChainLayer(op, inputs, output)
    }
  }

  /// An `Add` of a `[features]` weight right after a linear layer over tokens (how checkpoints
  /// store it: `MatMul` then `Add`, the bias as the Add's initializer) becomes that layer's bias.
  private mutating func foldBias(_ op: Operator, _ slot: Int, _ output: [Int]) throws(ConfigError)
    -> Bool
  {
    guard let i = nodes.lastIndex(where: { $0.output == slot }), nodes[i].kind == "linear",
      i == nodes.count - 1, output == shapes[slot], let n = output.last,
      let w = op.inputs.first(where: { graph[$0].role == .weight }),
      graph[w].shape.dims == [n], case .layer(let l) = steps[i], var linear = l as? Linear,
      linear.bias.scalars.allSatisfy({ $0 == 0 })
    else { return false }
    if let v = try chain.values(op, w, "bias", expected: [n]) {
      linear.bias = Tensor(shape: [n], scalars: v)
    }
    steps[i] = .layer(linear)
    slots[op.outputs[0].index] = slot
    return true
  }

  /// A one-input layer that ``ChainBuilder`` makes (conv, linear, batch norm, ReLU, max pool,
  /// flatten); operators it drops (identity, dropout) alias their input.
  private mutating func addChainLayer(_ op: Operator, _ inputs: [Int], _ output: [Int])
    throws(ConfigError)
  {
    let before = chain.layers.count
    do {
      try chain.add(op, input: shapes[inputs[0]], output: output)
    } catch {
      var e = error
      e.message = e.message.replacingOccurrences(of: "is not a trainable chain", with: "cannot be trained")
      e.expected = "a graph of \(GraphNetwork.supportedOperators)"
      e.hint = nil
      throw e
    }
    guard chain.layers.count > before, let layer = chain.layers.last, let stage = chain.stages.last
    else {
      slots[op.outputs[0].index] = inputs[0]
      return
    }
    append(op, stage.kind.rawValue, .layer(layer), inputs, output)
  }

  private mutating func append(
    _ op: Operator, _ kind: String, _ step: GraphNetwork.Step, _ inputs: [Int], _ output: [Int]
  ) {
    let slot = shapes.count
    shapes.append(output)
    slots[op.outputs[0].index] = slot
    nodes.append(GraphNetwork.Node(name: op.name, kind: kind, inputs: inputs, output: slot, outputShape: output))
    steps.append(step)
  }

  private func unsupported(_ op: Operator, _ reason: String) -> ConfigError {
    ConfigError(
      file: chain.file, path: "operator \(op.name)",
      message: "\(graph.name) cannot be trained: operator '\(op.name)' \(reason)",
      expected: "a graph of \(GraphNetwork.supportedOperators)")
  }
}
