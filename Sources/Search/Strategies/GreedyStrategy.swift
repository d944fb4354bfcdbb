import HybrixCore
import Mapping

/// Each operator, in graph order, on the tier where it is cheapest for the goal's first
/// objective — by the cost model's own estimate of the operator (its compute, the memory
/// traffic it streams, moving its inputs from where their producers were placed, and whether
/// its weights still fit under ``Residency``'s rule). For the latency objective a matrix product
/// may also be split along its output columns (`n`) between its two best tiers (shares 1/4, 1/2,
/// 3/4) when the parallel parts finish sooner. For the area objective it prefers tiers already
/// in use, then the faster. Deterministic: `rng` is not used.
///
/// - Complexity: O(operators × tiers × inputs) cost estimates and one simulation.
public struct GreedyStrategy: SearchStrategy {
  public static let name = "greedy"
  public static let summary = "each operator on its cheapest tier, in graph order"
  public init() {}
  public static func make(_ request: StrategyRequest) throws(ConfigError) -> GreedyStrategy {
    try checkOptions(request)
    return GreedyStrategy()
  }

  public func search(_ problem: MappingProblem, goal: Goal, rng: inout some RandomNumberGenerator) async throws(ConfigError) -> ParetoFront {
    var b = PlanBuilder(problem)
    var used = Set<Int>()
    for op in problem.graph.operators {
      if problem.isOverBudget { return ParetoFront(objectives: goal.objectives) }
      func score(_ p: Placement, _ e: OperatorEstimate) -> (Double, Double) {
        guard goal.primary == .area else { return (goal.score(seconds: e.criticalSeconds, joules: e.joules), 0) }
        let added = p.shares.reduce(0.0) { used.contains($1.tier) ? $0 : $0 + problem.tierAreas[$1.tier].baseValue }
        return (added, e.criticalSeconds)
      }
      var options: [(score: (Double, Double), placement: Placement)] = []
      var single: [(t: Int, seconds: Double)] = []
      for t in problem.tierIDs.indices {
        guard let e = b.estimate(.on(t)) else { continue }
        single.append((t, e.criticalSeconds))
        options.append((score(.on(t), e), .on(t)))
      }
      if goal.primary == .latency, op.matmul != nil, single.count >= 2 {
        let best = single.sorted { $0.seconds < $1.seconds }.prefix(2)
        let (a, c) = (best[best.startIndex].t, best[best.startIndex + 1].t)
        for f in [0.25, 0.5, 0.75] {
          let p = Placement(shares: [TierShare(tier: a, fraction: f), TierShare(tier: c, fraction: 1 - f)], axis: .n)
          guard let e = b.estimate(p) else { continue }
          options.append((score(p, e), p))
        }
      }
      guard let chosen = options.min(by: { $0.score < $1.score })?.placement else {
        b.fallBack()
        continue
      }
      for s in chosen.shares { used.insert(s.tier) }
      b.append(chosen)
    }
    return try await b.finish(goal: goal)
  }
}
