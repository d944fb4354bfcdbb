import HybrixCore

/// The rewrite behind ``Graph/loweredForDeployment()``: one walk in topological order that keeps
/// each operator or merges it into the kept operator producing its input, then drops the tensors
/// nobody reads any more and renumbers the rest.
///
/// A merged operator's output tensor becomes its host's output, so every later reader and the
/// graph's outputs stay as they were and the order stays topological.
struct DeploymentLowerer {
  private var graph: Graph
  private var kept: [Operator] = []
  private var hostIndex: [Int] = []
  /// Kept operator writing each tensor, by tensor index.
  private var producer: [Int: Int] = [:]
  /// Uses of each tensor: one per operator input slot, one per graph output.
  private let uses: [Int]
  /// Kept operators that already apply an activation (a later batch norm cannot fold into them).
  private var activated: Set<Int> = []
  /// Tensors a merge stopped using; dropped at the end unless something still reads them.
  private var released: Set<Int> = []
  /// Weights whose values no longer describe the lowered operator.
  private var staleValues: Set<Int> = []
  private var folded = 0
  private var fusedCount = 0

  init(_ graph: Graph) {
    self.graph = graph
    var uses = [Int](repeating: 0, count: graph.tensors.count)
    for op in graph.operators { for t in op.inputs { uses[t.index] += 1 } }
    for t in graph.outputs { uses[t.index] += 1 }
    self.uses = uses
  }

  /// Keeps `op`, or merges it into the operator producing its input when it can.
  mutating func add(_ op: Operator) throws(ConfigError) {
    if let host = foldableHost(op) {
      try fold(op, into: host)
    } else if let host = fusableHost(op) {
      try fuse(op, into: host)
    } else {
      kept.append(op)
      for t in op.outputs { producer[t.index] = kept.count - 1 }
      hostIndex.append(kept.count - 1)
    }
  }

  /// The kept operator producing `op`'s first input, when that input is its only output and
  /// nothing else reads it.
  private func soleProducer(_ op: Operator) -> Int? {
    guard let x = op.inputs.first, op.outputs.count == 1, uses[x.index] == 1,
      let p = producer[x.index], kept[p].outputs == [x], kept[p].pass == .forward
    else { return nil }
    return p
  }

  private func isStatic(_ t: TensorID) -> Bool {
    let role = graph[t].role
    return role == .weight || role == .constant
  }

  /// The product a batch norm folds into: a convolution or 2-D matmul with a static weight and a
  /// static bias or none, whose output channels are the normalized channels.
  private func foldableHost(_ op: Operator) -> Int? {
    guard op.kind == .normalization, op.attributes.function == "batchnorm",
      let p = soleProducer(op), !activated.contains(p)
    else { return nil }
    let host = kept[p]
    let out = graph[host.outputs[0]].shape.dims
    guard host.secondOperand == .staticWeight, out.count >= 2, let gemm = host.matmul,
      host.inputs.count == 2 || (host.inputs.count == 3 && isStatic(host.inputs[2])),
      op.inputs.dropFirst().allSatisfy({ isStatic($0) && graph[$0].shape.elementCount == out[1] })
    else { return nil }
    switch host.kind {
    case .conv: return p
    case .matmul:
      // Channel axis 1 of a 2-D output is the product's n only when the weight is the second
      // operand: X[m×k] · W[k×n]. (A square W · X would pass this test; ONNX exporters do not
      // put a batch norm after one.)
      let x = graph[host.inputs[0]].shape.dims
      return gemm.batch == 1 && out == [gemm.m, gemm.n] && x == [gemm.m, gemm.k] ? p : nil
    default: return nil
    }
  }

  /// The matrix product whose output stage can apply the activation `op`.
  private func fusableHost(_ op: Operator) -> Int? {
    guard op.kind == .elementwise, let f = op.attributes.function,
      Graph.activationFunctions.contains(f), let p = soleProducer(op), kept[p].kind.isMatrixProduct,
      op.inputs.dropFirst().allSatisfy({ graph[$0].role == .constant }),
      graph[op.outputs[0]].shape == graph[op.inputs[0]].shape
    else { return nil }
    return p
  }

  private mutating func fold(_ bn: Operator, into p: Int) throws(ConfigError) {
    var host = kept[p]
    let y = graph[host.outputs[0]]
    if host.inputs.count == 2 {
      let channels = y.shape.dims[1]
      let shape = try TensorShape([channels])
      graph.tensors.append(GraphTensor(name: "\(host.name).bias", shape: shape, role: .weight))
      host.inputs.append(TensorID(graph.tensors.count - 1))
      let what = "the lowered counts of \(host.name)"
      host.parameterCount = try Checked.sum(host.parameterCount, channels, what)
      host.operands.weights = try Checked.sum(host.operands.weights, channels, what)
      host.vectorOps = try Checked.sum(host.vectorOps, y.shape.elementCount, what)
    }
    for t in host.inputs.dropFirst() { staleValues.insert(t.index) }
    for t in bn.inputs.dropFirst() { released.insert(t.index) }
    folded += 1
    merge(bn, into: p, host)
  }

  private mutating func fuse(_ activation: Operator, into p: Int) throws(ConfigError) {
    var host = kept[p]
    let constants = Array(activation.inputs.dropFirst())
    let what = "the lowered counts of \(host.name)"
    host.vectorOps = try Checked.sum(host.vectorOps, activation.vectorOps, what)
    host.operands.weights = try Checked.sum(
      [host.operands.weights] + constants.map { graph[$0].shape.elementCount }, what)
    host.inputs += constants
    activated.insert(p)
    fusedCount += 1
    merge(activation, into: p, host)
  }

  /// Makes `host` (the updated kept operator `p`) write `op`'s output instead of its own.
  private mutating func merge(_ op: Operator, into p: Int, _ host: Operator) {
    var host = host
    released.insert(host.outputs[0].index)
    host.outputs = op.outputs
    host.fused.append(
      FusedOperator(name: op.name, function: op.attributes.function ?? op.kind.rawValue))
    kept[p] = host
    producer[op.outputs[0].index] = p
    hostIndex.append(p)
  }

  /// The lowered graph: released tensors that nothing reads are dropped, the rest renumbered.
  func finish() throws(ConfigError) -> DeploymentLowering {
    let lowered = try Graph.compacting(
      graph, tensors: graph.tensors, operators: kept, releasing: released, droppingValuesOf: staleValues)
    return DeploymentLowering(
      graph: lowered, foldedNormalizations: folded, fusedActivations: fusedCount,
      hostIndex: hostIndex)
  }
}
