import Mapping

/// Every operator on one tier — the homogeneous baseline. Operators that tier cannot run (for
/// example softmax on a photonic core) go to the architecture's digital host tier and are
/// listed as fallbacks; with no host the result is infeasible with the tier's reason.
public struct HomogeneousStrategy: SearchStrategy {
  public let tier: String
  public init(tier: String) { self.tier = tier }
  public var name: String { "homogeneous:\(tier)" }

  public func search(_ problem: MappingProblem, objective: Objective) -> SearchResult {
    guard let t = problem.tierIDs.firstIndex(of: tier) else {
      preconditionFailure("the driver checks tier names before searching")
    }
    var fallbacks: [String] = []
    var residency = problem.residency
    var placements: [Placement] = []
    for i in problem.graph.operators.indices {
      var p = Placement.on(t)
      if problem.estimate(i, p, residency: residency, after: placements) == nil, let host = problem.hostTier, host != t {
        fallbacks.append(problem.graph.operators[i].name)
        p = .on(host)
      }
      _ = residency.admit(p, weightBytes: problem.weightBytes[i])
      placements.append(p)
    }
    let mapping = MappingPlan(placements: placements)
    return SearchResult(strategy: name, mapping: mapping, result: problem.evaluate(mapping), evaluations: 1, fallbacks: fallbacks)
  }
}
