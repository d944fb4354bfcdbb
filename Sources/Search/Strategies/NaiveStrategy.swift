import Hardware
import Mapping

/// The "naive" heterogeneous mapping H3PIMAP compares against (reconstructed: the paper does
/// not define it — papers.md §1.3): products with static weights on the compute-in-memory tier
/// with the most weight capacity, products with dynamic operands on the photonic tier, and
/// everything else on the digital host. A missing tier kind falls back to the host.
public struct NaiveStrategy: SearchStrategy {
  public init() {}
  public var name: String { "naive" }

  public func search(_ problem: MappingProblem, objective: Objective) -> SearchResult {
    let kinds = problem.tierKinds
    let pim = kinds.indices.filter { kinds[$0] == .cim || kinds[$0] == .analog }
      .max { (problem.residency.capacity[$0] ?? 0) < (problem.residency.capacity[$1] ?? 0) }
    let photonic = kinds.firstIndex(of: .photonic) ?? kinds.firstIndex(of: .rnsPhotonic)
    let host = problem.hostTier ?? 0
    var fallbacks: [String] = []
    var residency = problem.residency
    var placements: [Placement] = []
    for (i, op) in problem.graph.operators.enumerated() {
      let wanted: Int?
      if op.matmul == nil { wanted = host } else if op.secondOperand == .staticWeight { wanted = pim ?? host } else { wanted = photonic ?? host }
      var p = Placement.on(host)
      if let w = wanted, problem.estimate(i, .on(w), residency: residency, after: placements) != nil {
        p = .on(w)
      } else {
        fallbacks.append(op.name)
      }
      _ = residency.admit(p, weightBytes: problem.weightBytes[i])
      placements.append(p)
    }
    let mapping = MappingPlan(placements: placements)
    return SearchResult(strategy: name, mapping: mapping, result: problem.evaluate(mapping), evaluations: 1, fallbacks: fallbacks)
  }
}
