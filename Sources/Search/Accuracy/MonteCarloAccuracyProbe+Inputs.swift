import Execution
import HybrixCore
import Mapping
import Workloads

extension MonteCarloAccuracyProbe {
  /// A product operator whose placement has a numerical model, with its index among the
  /// network's product operators (the index that seeds its arithmetic).
  struct ModelledOperator: Hashable, Sendable {
    var index: Int
    var assignment: OperatorAssignment
  }

  /// For each operator of `graph`, its index in `network.productOperatorNames`, or `nil`.
  static func productIndices(network: some ProductNetwork, graph: Graph) throws(ConfigError) -> [Int?] {
    let names = network.productOperatorNames
    let position = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    var indices: [Int?] = []
    for (i, op) in graph.operators.enumerated() {
      if let p = position[op.name] {
        indices.append(p)
        continue
      }
      indices.append(nil)
      guard op.kind == .conv || op.kind == .matmul, op.secondOperand == .staticWeight else { continue }
      let hint = NearestName.suggestion(for: op.name, among: names).map { "did you mean '\($0)'? " } ?? ""
      throw ConfigError(
        path: "graph.operators[\(i)](\(op.name))",
        message: "the \(op.kind.rawValue) operator '\(op.name)' of graph \(graph.name) has no matrix product in the network",
        expected: "a network whose conv/linear operators are named as the graph's: \(names.prefix(12).joined(separator: ", "))",
        hint: hint + "build the probe from the network's own graph or its deployment lowering (which keeps product names)")
    }
    let graphNames = Set(graph.operators.map(\.name))
    for name in names where !graphNames.contains(name) {
      throw ConfigError(
        path: "network.\(name)",
        message: "product operator '\(name)' of the network is not an operator of graph \(graph.name)",
        expected: "a graph with an operator for every conv/linear layer of the network",
        hint: "a mapping of this graph could not place '\(name)'; use the graph the network was built from")
    }
    return indices
  }

  func checkOperator(_ op: Int) throws(ConfigError) {
    guard graph.operators.indices.contains(op) else {
      throw ConfigError(
        path: "operator", message: "operator index \(op)",
        expected: "0..<\(graph.operators.count) (an operator of graph \(graph.name))")
    }
  }

  func checkTier(_ tier: Int, path: String) throws(ConfigError) {
    guard architecture.tiers.indices.contains(tier) else {
      throw ConfigError(
        path: path, message: "tier index \(tier)",
        expected: "0..<\(architecture.tiers.count) (\(architecture.tiers.map(\.id).joined(separator: ", ")) of \(architecture.name))")
    }
  }

  func checkTime(_ time: Time) throws(ConfigError) {
    guard time.seconds.isFinite, time.seconds >= 0 else {
      throw ConfigError(
        path: "time", message: "time \(time.seconds) s after programming",
        expected: "a time ≥ 0 such as 1 s, 1 d or 1 y", hint: "times count from the end of programming")
    }
  }

  /// Whether operator assignment `a` has a numerical model at `time`: exactly when
  /// ``MappingAccuracy``'s arithmetic for it is not `nil` (one of its shares is on a tier with a
  /// model). Errors of a tier's numerics (an ADC too narrow for lossless ReRAM) surface here.
  func isModelled(_ a: OperatorAssignment, time: Time) throws(ConfigError) -> Bool {
    try MappingAccuracy.arithmetic(
      for: a, architecture: architecture, time: time, compensated: settings.compensated, seed: 0) != nil
  }

  /// The product operators of `plan` that have a numerical model, in the network's order.
  func modelledOperators(_ plan: MappingPlan, time: Time) throws(ConfigError) -> [ModelledOperator] {
    try checkTime(time)
    let problems = plan.problems(operators: graph.operators.count, tiers: architecture.tiers.count)
    if let first = problems.first {
      throw ConfigError(
        path: "mapping", message: first + (problems.count > 1 ? " (and \(problems.count - 1) more)" : ""),
        expected: "one placement per operator of \(graph.name) (\(graph.operators.count)), shares adding up to 1 "
          + "on tiers 0..<\(architecture.tiers.count)",
        hint: "map the probe's graph on the probe's architecture")
    }
    var modelled: [ModelledOperator] = []
    for (i, p) in plan.placements.enumerated() {
      guard let oi = productIndex[i] else { continue }
      let a = OperatorAssignment(name: graph.operators[i].name, shares: p.shares, axis: p.axis, rowOrder: p.rowOrder)
      if try isModelled(a, time: time) { modelled.append(ModelledOperator(index: oi, assignment: a)) }
    }
    return modelled.sorted { $0.index < $1.index }
  }
}
