import Hardware
import HybrixCore
import Mapping
import Workloads

/// What a strategy sees: the graph, the tiers' kinds, areas and capacities, the cost oracles
/// the driver (``Explorer``) connects to its cost model, an optional accuracy probe, and the
/// ledger that counts what the search spends. A strategy never builds a cost model itself.
public struct MappingProblem: Sendable {
  public let graph: Graph
  public let tierIDs: [String]
  public let tierKinds: [TierKind]
  public let tierAreas: [Area]
  /// Bytes of static weights of each operator at the workload precision (0: none).
  public let weightBytes: [Double]
  /// Watts each tier draws while a mapping that uses it waits (``CostModel/idleWatts(_:)``; the
  /// simulator charges them over the run's idle time). Empty when the driver does not say.
  public let idleWatts: [Double]
  /// The empty residency state: which weights stay programmed follows ``Residency``'s one rule,
  /// which the simulator applies as well.
  public let residency: Residency
  /// The cost of operator `op` under a placement, given per share whether its weights are
  /// resident and the placements of the operators before it: exactly what the simulator
  /// schedules (``CostModel/estimate(_:placement:resident:placements:)``); `nil` when a tier
  /// cannot run its share.
  public let estimate: @Sendable (_ op: Int, _ placement: Placement, _ resident: [Bool], _ placements: [Placement]) -> OperatorEstimate?
  let simulate: @Sendable (MappingPlan) -> MappingResult
  /// The accuracy oracle, when the driver has trained weights and data.
  public let accuracy: (any AccuracyProbe)?
  public let ledger: SearchLedger

  public init(
    graph: Graph, tierIDs: [String], tierKinds: [TierKind], tierAreas: [Area], weightBytes: [Double], residency: Residency,
    estimate: @escaping @Sendable (Int, Placement, [Bool], [Placement]) -> OperatorEstimate?,
    simulate: @escaping @Sendable (MappingPlan) -> MappingResult,
    accuracy: (any AccuracyProbe)? = nil, budget: SearchBudget = .unlimited, idleWatts: [Double] = []
  ) {
    self.idleWatts = idleWatts
    self.graph = graph
    self.tierIDs = tierIDs
    self.tierKinds = tierKinds
    self.tierAreas = tierAreas
    self.weightBytes = weightBytes
    self.residency = residency
    self.estimate = estimate
    self.simulate = simulate
    self.accuracy = accuracy
    ledger = SearchLedger(budget: budget)
  }

  /// The first digital tier, which hosts work other tiers cannot run.
  public var hostTier: Int? { tierKinds.firstIndex(of: .digital) }

  /// Whether the budget is spent: a strategy checks this before each evaluation and stops
  /// (returning what it has) when it is.
  public var isOverBudget: Bool { ledger.isExhausted }

  /// The estimate of `placement` for operator `op` with residency decided by `residency` (not
  /// changed), after `placements`.
  public func estimate(
    _ op: Int, _ placement: Placement, residency: Residency, after placements: [Placement]
  ) -> OperatorEstimate? {
    var r = residency
    return estimate(op, placement, r.admit(placement, weightBytes: weightBytes[op]), placements)
  }

  /// Area of the tiers `plan` uses.
  public func area(of plan: MappingPlan) -> Area {
    var used = Set<Int>()
    for p in plan.placements { for s in p.shares { used.insert(s.tier) } }
    // In tier order: a Set's order varies from run to run and the sum's last bit with it.
    return used.sorted().reduce(Area.zero) { tierAreas.indices.contains($1) ? $0 + tierAreas[$1] : $0 }
  }

  /// Simulates `plan`, checks it against the goal's constraints (the accuracy constraint through
  /// the probe, only when every other check passed) and counts it in the ledger.
  public func assess(_ plan: MappingPlan, goal: Goal, fallbacks: [String] = []) async throws(ConfigError) -> Assessment {
    let result = simulate(plan)
    var reasons = result.infeasible
    let infinite = CostVector(latency: Time(baseValue: .infinity), energy: Energy(baseValue: .infinity), area: Area(baseValue: .infinity))
    var cost = infinite
    var drop: AccuracyDrop?
    if reasons.isEmpty {
      cost = CostVector(latency: result.latency, energy: result.energy.total, area: area(of: plan))
      reasons = goal.violations(cost)
    }
    if reasons.isEmpty, let (limit, time) = goal.accuracyConstraint {
      guard let accuracy else {
        throw ConfigError(
          path: "--constraint", message: "an accuracy constraint without an accuracy probe",
          expected: "trained weights and test data to measure accuracy", hint: "pass --weights with the model's checkpoint")
      }
      let d = try await accuracy.drop(of: plan, at: time)
      ledger.recordProbe()
      drop = d
      if d.points > limit {
        reasons = [Infeasibility(
          tier: "goal",
          statement: "accuracy drop \(formatSignificant(d.points, digits: 3)) points (95 % interval \(formatSignificant(d.low95, digits: 3))–\(formatSignificant(d.high95, digits: 3))) at \(time) exceeds the constraint \(formatSignificant(limit, digits: 3)) points",
          demand: d.points, bound: limit, unit: "points", levers: ["relax the accuracy constraint", "keep more operators on digital tiers"])]
      }
    }
    if !reasons.isEmpty { cost = infinite }
    let a = Assessment(point: FrontPoint(plan: plan, result: result, cost: cost, accuracy: drop, fallbacks: fallbacks), reasons: reasons)
    ledger.record(a)
    return a
  }
}
