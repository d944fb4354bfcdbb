/// Starting points for stage 1 from the cost curves alone: because both of the separable
/// objectives are sums over operators, a weighted sum of them is minimised operator by operator.
/// For each weight the point takes, per operator, the cheapest of a few candidate splits: each
/// allowed tier whole, and the latency-balanced split over all allowed tiers and over each pair.
/// These are points of the convex hull of the front (restricted to those candidates), so NSGA-II
/// starts from both ends of the front and from between them instead of finding them by mutation.
///
/// - Complexity: O(operators × tiers² × grid) share-cost look-ups, then O(weights × operators ×
///   tiers²).
public enum ScalarisedSeeds {
  /// Parts of `grid` over `tiers` that minimise the slowest share: each part goes where the
  /// share's seconds after taking it are least (optimal for seconds non-decreasing in parts).
  static func balanced(_ space: SplitSpace, op: Int, tiers: [Int], source: any ShareCostSource) -> [Int]? {
    var row = [Int](repeating: 0, count: space.tierCount)
    for _ in 0..<space.grid {
      var best: (Int, Double)?
      for t in tiers {
        guard let c = source.cost(op: op, tier: t, units: row[t] + 1, resident: true) else { continue }
        if best == nil || c.seconds < best?.1 ?? .infinity { best = (t, c.seconds) }
      }
      guard let (t, _) = best else { return nil }
      row[t] += 1
    }
    return row
  }

  /// Candidate rows of one operator with their (seconds, joules).
  static func candidates(_ space: SplitSpace, op: Int, source: any ShareCostSource) -> [(row: [Int], seconds: Double, joules: Double)] {
    let a = space.allowed[op]
    var rows = a.map { t in (0..<space.tierCount).map { $0 == t ? space.grid : 0 } }
    if space.splittable[op], a.count > 1 {
      var groups = [a]
      if a.count > 2 { for i in a.indices { for j in a.indices where j > i { groups.append([a[i], a[j]]) } } }
      for g in groups { if let r = balanced(space, op: op, tiers: g, source: source), !rows.contains(r) { rows.append(r) } }
    }
    return rows.compactMap { row in ChainFrontDP.cost(row, op: op, source: source).map { (row, $0.0, $0.1) } }
  }

  /// One point per weight `w` in `weights` (0: energy only, 1: latency only), seconds and joules
  /// scaled by the operator's own ranges so that every operator counts; duplicates dropped.
  public static func points(_ space: SplitSpace, source: any ShareCostSource, weights: [Double]) -> [SplitGenome] {
    let cands = (0..<space.operatorCount).map { candidates(space, op: $0, source: source) }
    guard cands.allSatisfy({ !$0.isEmpty }) else { return [] }
    let totalS = cands.reduce(0.0) { $0 + ($1.map(\.seconds).min() ?? 0) }
    let totalJ = cands.reduce(0.0) { $0 + ($1.map(\.joules).min() ?? 0) }
    var out: [SplitGenome] = []
    for w in weights {
      var g = SplitGenome(operators: space.operatorCount, tiers: space.tierCount)
      for (op, c) in cands.enumerated() {
        let score = { (x: (row: [Int], seconds: Double, joules: Double)) in
          w * x.seconds / max(totalS, .leastNormalMagnitude) + (1 - w) * x.joules / max(totalJ, .leastNormalMagnitude)
        }
        guard let best = c.min(by: { score($0) < score($1) }) else { continue }
        for t in 0..<space.tierCount { g[op, t, space.tierCount] = best.row[t] }
      }
      if !out.contains(g) { out.append(g) }
    }
    return out
  }

  /// Weights 0, 1/(n−1), …, 1.
  public static func weights(_ n: Int) -> [Double] {
    n <= 1 ? [0.5] : (0..<n).map { Double($0) / Double(n - 1) }
  }
}
