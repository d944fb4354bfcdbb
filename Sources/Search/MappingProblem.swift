import Hardware
import HybrixCore
import Mapping
import Workloads

/// What a strategy sees: the graph, the tiers' kinds and capacities, and cost oracles that the
/// driver connects to the cost model. A strategy never builds a cost model itself.
public struct MappingProblem: Sendable {
  public let graph: Graph
  public let tierIDs: [String]
  public let tierKinds: [TierKind]
  /// Bytes of static weights of each operator at the workload precision (0: none).
  public let weightBytes: [Double]
  /// The empty residency state: which weights stay programmed follows ``Residency``'s one rule,
  /// which the simulator applies as well.
  public let residency: Residency
  /// The cost of operator `op` under a placement, given per share whether its weights are
  /// resident and the placements of the operators before it: exactly what the simulator
  /// schedules (``CostModel/estimate(_:placement:resident:placements:)``); `nil` when a tier
  /// cannot run its share.
  public let estimate: @Sendable (_ op: Int, _ placement: Placement, _ resident: [Bool], _ placements: [Placement]) -> OperatorEstimate?
  /// The full simulation of a mapping.
  public let evaluate: @Sendable (MappingPlan) -> MappingResult

  public init(
    graph: Graph, tierIDs: [String], tierKinds: [TierKind], weightBytes: [Double], residency: Residency,
    estimate: @escaping @Sendable (Int, Placement, [Bool], [Placement]) -> OperatorEstimate?,
    evaluate: @escaping @Sendable (MappingPlan) -> MappingResult
  ) {
    self.graph = graph
    self.tierIDs = tierIDs
    self.tierKinds = tierKinds
    self.weightBytes = weightBytes
    self.residency = residency
    self.estimate = estimate
    self.evaluate = evaluate
  }

  /// The driver's problem for `graph` on `architecture` at `precision`.
  public init(graph: Graph, architecture: Architecture, precision: Precision) {
    let model = CostModel(graph: graph, architecture: architecture, precision: precision)
    let simulator = ScheduleSimulator(cost: model)
    self.init(
      graph: graph, tierIDs: architecture.tiers.map(\.id), tierKinds: architecture.tiers.map { type(of: $0).kind },
      weightBytes: graph.operators.indices.map { model.staticWeightBytes($0) }, residency: model.emptyResidency,
      estimate: { op, placement, resident, placements in
        try? model.estimate(op, placement: placement, resident: resident, placements: placements).get()
      },
      evaluate: { simulator.run($0) })
  }

  /// The first digital tier, which hosts work other tiers cannot run.
  public var hostTier: Int? { tierKinds.firstIndex(of: .digital) }

  /// The estimate of `placement` for operator `op` with residency decided by `residency` (not
  /// changed), after `placements`.
  public func estimate(
    _ op: Int, _ placement: Placement, residency: Residency, after placements: [Placement]
  ) -> OperatorEstimate? {
    var r = residency
    return estimate(op, placement, r.admit(placement, weightBytes: weightBytes[op]), placements)
  }
}

/// What a strategy returns.
public struct SearchResult: Sendable {
  public var strategy: String
  public var mapping: MappingPlan
  public var result: MappingResult
  /// Full simulations run.
  public var evaluations: Int
  /// Operators that could not go where the strategy wanted and were placed on the host.
  public var fallbacks: [String]
}

/// A way of choosing a mapping [STYLE §4].
public protocol SearchStrategy: Sendable {
  /// The name written on the command line (`greedy`, `homogeneous:sa0`).
  var name: String { get }
  func search(_ problem: MappingProblem, objective: Objective) -> SearchResult
}
