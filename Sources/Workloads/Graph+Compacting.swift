import HybrixCore

extension Graph {
  /// The graph `base` becomes after a rewrite: `operators` over `tensors` (`base`'s, perhaps
  /// with more appended), with the tensors of `released` that no operator, input or output still
  /// references dropped and the rest renumbered, and the weight values of `staleValues` left
  /// out. Its totals are checked. Deployment lowering and column splitting both end here.
  /// - Complexity: O(operators + tensors).
  static func compacting(
    _ base: Graph, tensors: [GraphTensor], operators: [Operator], releasing released: Set<Int>,
    droppingValuesOf staleValues: Set<Int>
  ) throws(ConfigError) -> Graph {
    var referenced = Set(base.inputs.map(\.index) + base.outputs.map(\.index))
    for op in operators { for t in op.inputs + op.outputs { referenced.insert(t.index) } }
    var newIndex = [Int?](repeating: nil, count: tensors.count)
    var kept: [GraphTensor] = []
    for (i, t) in tensors.enumerated() where !released.contains(i) || referenced.contains(i) {
      newIndex[i] = kept.count
      kept.append(t)
    }
    func renumber(_ ids: [TensorID]) -> [TensorID] { ids.compactMap { newIndex[$0.index].map(TensorID.init) } }
    let renumbered = operators.map { op in
      var op = op
      op.inputs = renumber(op.inputs)
      op.outputs = renumber(op.outputs)
      return op
    }
    var values: [TensorID: [Float]] = [:]
    for (id, v) in base.weightValues where !staleValues.contains(id.index) {
      if let i = newIndex[id.index] { values[TensorID(i)] = v }
    }
    let graph = Graph(
      name: base.name, tensors: kept, operators: renumbered, inputs: renumber(base.inputs),
      outputs: renumber(base.outputs), weightValues: values, workload: base.workload)
    try GraphBuilder.checkTotals(graph)
    return graph
  }
}
