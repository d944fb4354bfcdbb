import HybrixCore

extension Graph {
  /// The graph of one training step: this forward graph, then its backward pass in reverse order,
  /// then one optimizer update per trained tensor.
  ///
  /// Each matrix product `Y = X · W` (shape batch × m×k·k×n) gets two more products of the same
  /// MAC count: the input gradient `dX = dY · Wᵀ` (batch × m×n·n×k, its second operand as static or
  /// dynamic as in the forward pass) and the weight gradient `dW = Xᵀ · dY` (batch × k×m·m×n, both
  /// operands dynamic): Mirage's three products per layer. A product's input gradient is skipped
  /// when its input does not depend on a trained weight (model input data or a view of it). Pointwise, normalization, pooling and layout operators
  /// get one backward operator that reads the output gradient and the saved input and costs twice
  /// the forward arithmetic (a convention; views stay free). Only tensors that depend on a
  /// trained weight receive gradients, so nothing flows back into the data. Gradients of a tensor read by
  /// several operators are summed by an accumulate operator. The update reads each weight and its
  /// gradient and writes the weight (2 operations per parameter: SGD).
  public func trainingGraph() throws(ConfigError) -> Graph {
    var t = TrainingGraphWriter(self)
    try t.run()
    return t.graph
  }
}

private struct TrainingGraphWriter {
  var graph: Graph
  let forwardCount: Int
  /// Partial gradients per forward tensor index.
  var partials: [Int: [TensorID]] = [:]

  /// Whether each forward tensor depends on a trained weight: only those carry gradients
  /// (the input image and views of it do not).
  let requiresGradient: [Bool]

  init(_ forward: Graph) {
    graph = forward
    forwardCount = forward.operators.count
    var requires = forward.tensors.map { $0.role == .weight }
    for op in forward.operators where op.inputs.contains(where: { requires[$0.index] }) {
      for t in op.outputs { requires[t.index] = true }
    }
    requiresGradient = requires
  }

  mutating func newGradient(of t: TensorID, _ suffix: String = "") -> TensorID {
    let source = graph.tensors[t.index]
    graph.tensors.append(GraphTensor(name: "grad(\(source.name))\(suffix)", shape: source.shape, role: .gradient))
    return TensorID(graph.tensors.count - 1)
  }

  func elements(_ t: TensorID) -> Int { graph.tensors[t.index].shape.elementCount }

  /// Whether a gradient must flow into `t`: it is an activation computed from trained weights
  /// (not data, a view of data, a weight or a constant).
  func needsGradient(_ t: TensorID) -> Bool {
    t.index < requiresGradient.count && requiresGradient[t.index] && graph.tensors[t.index].role == .activation
  }

  mutating func run() throws(ConfigError) {
    for out in graph.outputs {
      partials[out.index] = [newGradient(of: out)]
    }
    var updates: [(weight: TensorID, grad: TensorID)] = []
    for index in stride(from: forwardCount - 1, through: 0, by: -1) {
      let op = graph.operators[index]
      // The gradient of each output, summing partial gradients where the output fans out.
      var outGrads: [TensorID] = []
      for y in op.outputs {
        guard let parts = partials[y.index], !parts.isEmpty else { continue }
        outGrads.append(try accumulate(y, parts, op.name))
      }
      guard let dY = outGrads.first else { continue }  // no loss depends on this operator
      let dYElements = outGrads.reduce(0) { $0 + elements($1) }
      if let gemm = op.matmul {
        updates += try productBackward(op, gemm, dY: dY)
      } else {
        updates += try pointwiseBackward(op, dY: dY, dYElements: dYElements)
      }
    }
    for (w, g) in updates {
      let n = elements(w)
      let name = graph.tensors[w.index].name
      var attributes = OperatorAttributes()
      attributes.function = "sgd-update"
      graph.tensors.append(GraphTensor(name: "\(name)'", shape: graph.tensors[w.index].shape, role: .weight))
      let updated = TensorID(graph.tensors.count - 1)
      graph.operators.append(
        Operator(
          name: "\(name).update", kind: .elementwise, inputs: [w, g], outputs: [updated],
          vectorOps: try Checked.product([n, 2], "update operations of \(name)"),
          operands: OperandElements(activationsIn: n, weights: n, out: n), pass: .update,
          attributes: attributes))
    }
    graph.outputs = graph.operators[forwardCount...].filter { $0.pass == .update }.flatMap(\.outputs)
    graph.workload.phase = .train
    try GraphBuilder.checkTotals(graph)
  }

  /// One gradient tensor for `y`: the only partial, or the sum of all of them.
  mutating func accumulate(_ y: TensorID, _ parts: [TensorID], _ opName: String) throws(ConfigError)
    -> TensorID
  {
    if parts.count == 1 { return parts[0] }
    let sum = newGradient(of: y, ".sum")
    let n = elements(y)
    var attributes = OperatorAttributes()
    attributes.function = "add"
    graph.operators.append(
      Operator(
        name: "\(graph.tensors[y.index].name).grad_accumulate", kind: .elementwise, inputs: parts,
        outputs: [sum], vectorOps: try Checked.product([n, parts.count - 1], "accumulation of \(opName)"),
        operands: OperandElements(
          activationsIn: try Checked.product([n, parts.count], "accumulation of \(opName)"), out: n),
        pass: .inputGradient,
        attributes: attributes))
    return sum
  }

  mutating func addPartial(_ x: TensorID, _ g: TensorID) { partials[x.index, default: []].append(g) }

  mutating func productBackward(_ op: Operator, _ gemm: MatMulShape, dY: TensorID)
    throws(ConfigError) -> [(TensorID, TensorID)]
  {
    let x = op.inputs[0]
    let w = op.inputs[1]
    let bias = op.inputs.count > 2 ? op.inputs[2] : nil
    let wStatic = graph.tensors[w.index].role == .weight || graph.tensors[w.index].role == .constant
    var updates: [(TensorID, TensorID)] = []
    if needsGradient(x) {
      let dX = newGradient(of: x)
      var operands = OperandElements(activationsIn: elements(dY), out: elements(x))
      if wStatic { operands.weights = elements(w) } else { operands.activationsIn += elements(w) }
      graph.operators.append(
        Operator(
          name: "\(op.name).grad_input", kind: op.kind, inputs: [dY, w], outputs: [dX],
          matmul: MatMulShape(batch: gemm.batch, m: gemm.m, k: gemm.n, n: gemm.k),
          secondOperand: op.secondOperand, macs: op.macs, operands: operands,
          pass: .inputGradient, attributes: op.attributes))
      addPartial(x, dX)
    }
    let trainsW = graph.tensors[w.index].role == .weight
    let trainsBias = bias.map { graph.tensors[$0.index].role == .weight } ?? false
    if trainsW || needsGradient(w) {
      let dW = newGradient(of: w)
      // The bias gradient is the sum of dY over rows, computed by the same operator.
      let dB = trainsBias ? bias.map { newGradient(of: $0) } : nil
      let biasElements = dB.map { elements($0) } ?? 0
      graph.operators.append(
        Operator(
          name: "\(op.name).grad_weight", kind: op.kind, inputs: [x, dY], outputs: [dW] + (dB.map { [$0] } ?? []),
          matmul: MatMulShape(batch: gemm.batch, m: gemm.k, k: gemm.m, n: gemm.n),
          secondOperand: .dynamic, macs: op.macs, vectorOps: dB == nil ? 0 : elements(dY),
          operands: OperandElements(
            activationsIn: elements(x) + elements(dY), out: elements(w) + biasElements),
          pass: .weightGradient, attributes: op.attributes))
      if trainsW { updates.append((w, dW)) } else { addPartial(w, dW) }
      if let bias, let dB { updates.append((bias, dB)) }
    }
    return updates
  }

  mutating func pointwiseBackward(_ op: Operator, dY: TensorID, dYElements: Int)
    throws(ConfigError) -> [(TensorID, TensorID)]
  {
    let isView = op.operands == OperandElements() && op.vectorOps == 0
    var outs: [TensorID] = []
    var updates: [(TensorID, TensorID)] = []
    var operands = OperandElements()
    if !isView { operands.activationsIn = dYElements }
    for x in op.inputs {
      switch graph.tensors[x.index].role {
      case .activation where needsGradient(x):
        let dX = newGradient(of: x)
        outs.append(dX)
        addPartial(x, dX)
        if !isView {
          operands.activationsIn += elements(x)
          operands.out += elements(x)
        }
      case .weight:
        let dW = newGradient(of: x)
        outs.append(dW)
        updates.append((x, dW))
        operands.weights += elements(x)
        operands.out += elements(x)
      default: continue
      }
    }
    guard !outs.isEmpty else { return updates }
    graph.operators.append(
      Operator(
        name: "\(op.name).grad", kind: op.kind, inputs: [dY] + op.inputs, outputs: outs,
        vectorOps: try Checked.product([op.vectorOps, 2], "backward operations of \(op.name)"),
        operands: operands, pass: .inputGradient, attributes: op.attributes))
    return updates
  }
}
