import Hardware
import HybrixCore
import Mapping

/// The "naive" heterogeneous mapping H3PIMAP compares against (reconstructed: the paper does
/// not define it — papers.md §1.3): products with static weights on the compute-in-memory tier
/// with the most weight capacity, products with dynamic operands on the photonic tier, and
/// everything else on the digital host. A missing tier kind falls back to the host.
/// Deterministic: `rng` is not used.
public struct NaiveStrategy: SearchStrategy {
  public static let name = "naive"
  public static let summary = "weights on CIM, dynamic products photonic, rest host"
  public init() {}
  public static func make(_ request: StrategyRequest) throws(ConfigError) -> NaiveStrategy {
    try checkOptions(request)
    return NaiveStrategy()
  }

  public func search(_ problem: MappingProblem, goal: Goal, rng: inout some RandomNumberGenerator) async throws(ConfigError) -> ParetoFront {
    let kinds = problem.tierKinds
    let pim = kinds.indices.filter { kinds[$0] == .cim || kinds[$0] == .analog }
      .max { (problem.residency.capacity[$0] ?? 0) < (problem.residency.capacity[$1] ?? 0) }
    let photonic = kinds.firstIndex(of: .photonic) ?? kinds.firstIndex(of: .rnsPhotonic)
    let host = problem.hostTier ?? 0
    var b = PlanBuilder(problem)
    for op in problem.graph.operators {
      if problem.isOverBudget { return ParetoFront(objectives: goal.objectives) }
      let wanted: Int
      if op.matmul == nil { wanted = host } else if op.secondOperand == .staticWeight { wanted = pim ?? host } else { wanted = photonic ?? host }
      if b.estimate(.on(wanted)) != nil {
        b.append(.on(wanted))
      } else {
        b.fallBack()
      }
    }
    return try await b.finish(goal: goal)
  }
}
