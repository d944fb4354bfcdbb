import HybrixCore
import Mapping

/// Every operator on one tier — the homogeneous baseline. Operators that tier cannot run (for
/// example softmax on a photonic core) go to the architecture's digital host tier and are
/// listed as fallbacks; with no host the result is infeasible with the tier's reason.
/// Deterministic: `rng` is not used.
public struct HomogeneousStrategy: SearchStrategy {
  public static let name = "homogeneous"
  public static let summary = "every operator on one tier (what it cannot run: host)"
  public static let argument: String? = "<tier>"
  public let tier: String
  public init(tier: String) { self.tier = tier }

  public static func make(_ request: StrategyRequest) throws(ConfigError) -> HomogeneousStrategy {
    try checkOptions(request)
    let tier = request.argument ?? ""
    guard request.tierIDs.contains(tier) else {
      throw ConfigError(
        path: "--strategy", message: "no tier \"\(tier)\" in this architecture",
        expected: request.tierIDs.map { "homogeneous:\($0)" }.joined(separator: ", "),
        hint: NearestName.suggestion(for: tier, among: request.tierIDs).map { "did you mean homogeneous:\($0)?" })
    }
    return HomogeneousStrategy(tier: tier)
  }

  public var name: String { "homogeneous:\(tier)" }

  public func search(_ problem: MappingProblem, goal: Goal, rng: inout some RandomNumberGenerator) async throws(ConfigError) -> ParetoFront {
    guard let t = problem.tierIDs.firstIndex(of: tier) else {
      throw ConfigError(path: "--strategy", message: "no tier \"\(tier)\" in this architecture", expected: problem.tierIDs.joined(separator: ", "))
    }
    var b = PlanBuilder(problem)
    for _ in problem.graph.operators.indices {
      if problem.isOverBudget { return ParetoFront(objectives: goal.objectives) }
      if b.estimate(.on(t)) == nil, let host = problem.hostTier, host != t {
        b.fallBack()
      } else {
        b.append(.on(t))
      }
    }
    return try await b.finish(goal: goal)
  }
}
