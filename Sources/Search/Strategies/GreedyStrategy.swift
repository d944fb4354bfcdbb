import Mapping

/// Each operator, in graph order, on the tier where it is cheapest under the objective —
/// counting the cost of moving its inputs from where their producers were placed and whether its
/// weights still fit on a weight-holding tier. For the latency objective a matrix product may
/// also be split between its two best tiers (shares 1/4, 1/2, 3/4 along output columns) when
/// the parallel halves finish sooner.
///
/// - Complexity: O(operators × tiers × inputs) cost evaluations and one simulation.
public struct GreedyStrategy: SearchStrategy {
  public init() {}
  public var name: String { "greedy" }

  public func search(_ problem: MappingProblem, objective: Objective) -> SearchResult {
    let g = problem.graph
    let tiers = problem.tierIDs.indices
    let producer = g.producers()
    var used = [Double](repeating: 0, count: problem.tierIDs.count)
    var placements: [Placement] = []
    var fallbacks: [String] = []

    func resident(_ i: Int, _ t: Int, _ fraction: Double) -> Bool {
      guard let cap = problem.weightCapacity[t] else { return true }
      return used[t] + problem.weightBytes[i] * fraction <= cap
    }

    for (i, op) in g.operators.enumerated() {
      // Seconds and joules of fetching this operator's inputs onto tier t.
      func inputCost(_ t: Int) -> (Double, Double) {
        var s = 0.0
        var j = 0.0
        for input in op.inputs {
          guard let p = producer[input.index] else { continue }
          for share in placements[p].shares {
            let c = problem.transferCost(problem.outputBytes[p] * share.fraction, share.tier, t)
            s += c.seconds
            j += c.joules
          }
        }
        return (s, j)
      }
      var options: [(score: Double, placement: Placement)] = []
      var single: [(t: Int, seconds: Double, joules: Double)] = []
      for t in tiers {
        guard let c = problem.sliceCost(i, t, 1, .columns, resident(i, t, 1)) else { continue }
        let m = inputCost(t)
        single.append((t, c.seconds + m.0, c.joules + m.1))
        options.append((objective.score(seconds: c.seconds + m.0, joules: c.joules + m.1), .on(t)))
      }
      if objective == .latency, op.matmul != nil, single.count >= 2 {
        let best = single.sorted { $0.seconds < $1.seconds }.prefix(2)
        let (a, b) = (best[best.startIndex].t, best[best.startIndex + 1].t)
        for f in [0.25, 0.5, 0.75] {
          guard let ca = problem.sliceCost(i, a, f, .columns, resident(i, a, f)),
            let cb = problem.sliceCost(i, b, 1 - f, .columns, resident(i, b, 1 - f))
          else { continue }
          let ma = inputCost(a)
          let mb = inputCost(b)
          let seconds = max(ca.seconds + ma.0, cb.seconds + mb.0)
          let p = Placement(shares: [TierShare(tier: a, fraction: f), TierShare(tier: b, fraction: 1 - f)], axis: .columns)
          options.append((objective.score(seconds: seconds, joules: ca.joules + cb.joules + ma.1 + mb.1), p))
        }
      }
      guard let chosen = options.min(by: { $0.score < $1.score })?.placement else {
        fallbacks.append(op.name)
        placements.append(.on(problem.hostTier ?? 0))
        continue
      }
      for s in chosen.shares where problem.weightCapacity[s.tier] != nil {
        used[s.tier] += problem.weightBytes[i] * s.fraction
      }
      placements.append(chosen)
    }
    let mapping = Mapping(placements: placements)
    return SearchResult(strategy: name, mapping: mapping, result: problem.evaluate(mapping), evaluations: 1, fallbacks: fallbacks)
  }
}
