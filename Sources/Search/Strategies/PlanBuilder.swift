import HybrixCore
import Mapping

/// Builds a plan operator by operator in graph order, admitting each placement's weights under
/// ``Residency``'s one rule — the loop every single-pass strategy shares.
struct PlanBuilder {
  let problem: MappingProblem
  var residency: Residency
  var placements: [Placement] = []
  var fallbacks: [String] = []

  init(_ problem: MappingProblem) {
    self.problem = problem
    residency = problem.residency
  }

  /// The next operator's index.
  var next: Int { placements.count }

  /// The estimate of `placement` for the next operator (weights admitted as the rule says).
  func estimate(_ placement: Placement) -> OperatorEstimate? {
    problem.estimate(next, placement, residency: residency, after: placements)
  }

  /// Places the next operator.
  mutating func append(_ placement: Placement) {
    _ = residency.admit(placement, weightBytes: problem.weightBytes[next])
    placements.append(placement)
  }

  /// Places the next operator on the host tier (or tier 0 without one) and notes it as a fallback.
  mutating func fallBack() {
    fallbacks.append(problem.graph.operators[next].name)
    append(.on(problem.hostTier ?? 0))
  }

  var plan: MappingPlan { MappingPlan(placements: placements) }

  /// Assesses the finished plan and returns its front (empty when infeasible or when the budget
  /// ran out first).
  func finish(goal: Goal) async throws(ConfigError) -> ParetoFront {
    guard !problem.isOverBudget else { return ParetoFront(objectives: goal.objectives) }
    let a = try await problem.assess(plan, goal: goal, fallbacks: fallbacks)
    var f = ParetoFront(objectives: goal.objectives)
    if a.isFeasible { f.insert(a.point) }
    return f
  }
}
