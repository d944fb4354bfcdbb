import Mapping

/// Each operator, in graph order, on the tier where it is cheapest under the objective — by the
/// cost model's own estimate of the operator (its compute, the memory traffic it streams, moving
/// its inputs from where their producers were placed, and whether its weights still fit under
/// ``Residency``'s rule). For the latency objective a matrix product may also be split along its
/// output columns (`n`) between its two best tiers (shares 1/4, 1/2, 3/4) when the parallel parts
/// finish sooner.
///
/// - Complexity: O(operators × tiers × inputs) cost evaluations and one simulation.
public struct GreedyStrategy: SearchStrategy {
  public init() {}
  public var name: String { "greedy" }

  public func search(_ problem: MappingProblem, objective: Objective) -> SearchResult {
    let g = problem.graph
    var residency = problem.residency
    var placements: [Placement] = []
    var fallbacks: [String] = []

    for (i, op) in g.operators.enumerated() {
      var options: [(score: Double, placement: Placement)] = []
      var single: [(t: Int, seconds: Double)] = []
      for t in problem.tierIDs.indices {
        guard let e = problem.estimate(i, .on(t), residency: residency, after: placements) else { continue }
        single.append((t, e.criticalSeconds))
        options.append((objective.score(seconds: e.criticalSeconds, joules: e.joules), .on(t)))
      }
      if objective == .latency, op.matmul != nil, single.count >= 2 {
        let best = single.sorted { $0.seconds < $1.seconds }.prefix(2)
        let (a, b) = (best[best.startIndex].t, best[best.startIndex + 1].t)
        for f in [0.25, 0.5, 0.75] {
          let p = Placement(shares: [TierShare(tier: a, fraction: f), TierShare(tier: b, fraction: 1 - f)], axis: .n)
          guard let e = problem.estimate(i, p, residency: residency, after: placements) else { continue }
          options.append((objective.score(seconds: e.criticalSeconds, joules: e.joules), p))
        }
      }
      guard let chosen = options.min(by: { $0.score < $1.score })?.placement else {
        fallbacks.append(op.name)
        let host = Placement.on(problem.hostTier ?? 0)
        _ = residency.admit(host, weightBytes: problem.weightBytes[i])
        placements.append(host)
        continue
      }
      _ = residency.admit(chosen, weightBytes: problem.weightBytes[i])
      placements.append(chosen)
    }
    let mapping = MappingPlan(placements: placements)
    return SearchResult(strategy: name, mapping: mapping, result: problem.evaluate(mapping), evaluations: 1, fallbacks: fallbacks)
  }
}
