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
    let placements = problem.graph.operators.indices.map { i -> Placement in
      if problem.sliceCost(i, t, 1, .columns, true) != nil { return .on(t) }
      guard let host = problem.hostTier, host != t else { return .on(t) }
      fallbacks.append(problem.graph.operators[i].name)
      return .on(host)
    }
    let mapping = Mapping(placements: placements)
    return SearchResult(strategy: name, mapping: mapping, result: problem.evaluate(mapping), evaluations: 1, fallbacks: fallbacks)
  }
}
