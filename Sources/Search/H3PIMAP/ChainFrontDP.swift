/// The exact latency/energy front of H3PIMAP's separable formulation on a chain of operators
/// (latency Σ over operators of the slowest share, energy Σ of every share; weights taken as
/// programmed ahead): the oracle the NSGA-II front is measured against.
///
/// Each operator's options are every split of its `grid` parts over the tiers that can run it
/// (one tier for an operator that cannot be split); only its non-dominated (seconds, joules)
/// options can be on the chain's front. The front of the first `k + 1` operators is the
/// non-dominated set of {front of the first `k`} + {options of operator `k`} (a Minkowski sum,
/// pruned), which is exact because both objectives are sums along the chain.
///
/// - Complexity: O(operators × C(grid + tiers − 1, tiers − 1)) share-cost look-ups for the
///   options, then O(Σ |front_k| × |options_k| × log) for the sums — fronts stay small in
///   practice (each step's sum is pruned to its non-dominated points).
public enum ChainFrontDP {
  public struct Point: Sendable {
    public var seconds: Double
    public var joules: Double
    public var genome: SplitGenome
  }

  /// Every point of `space` an operator may take: its parts per tier.
  public static func options(_ space: SplitSpace, op: Int) -> [[Int]] {
    let a = space.allowed[op]
    guard space.splittable[op], a.count > 1 else {
      return a.map { t in (0..<space.tierCount).map { $0 == t ? space.grid : 0 } }
    }
    var out: [[Int]] = []
    var row = [Int](repeating: 0, count: space.tierCount)
    func deal(_ i: Int, _ left: Int) {
      if i == a.count - 1 {
        row[a[i]] = left
        out.append(row)
        row[a[i]] = 0
        return
      }
      for u in 0...left {
        row[a[i]] = u
        deal(i + 1, left - u)
      }
      row[a[i]] = 0
    }
    deal(0, space.grid)
    return out
  }

  /// The seconds and joules of one operator's option; `nil` when a share cannot run.
  static func cost(_ row: [Int], op: Int, source: any ShareCostSource) -> (Double, Double)? {
    var s = 0.0
    var j = 0.0
    for (t, u) in row.enumerated() where u > 0 {
      guard let c = source.cost(op: op, tier: t, units: u, resident: true) else { return nil }
      s = max(s, c.seconds)
      j += c.joules
    }
    return (s, j)
  }

  /// The non-dominated subset of `items` by (seconds, joules); of equal points the first is kept.
  static func prune<T>(_ items: [(Double, Double, T)]) -> [(Double, Double, T)] {
    let sorted = items.enumerated().sorted { a, b in
      a.element.0 != b.element.0 ? a.element.0 < b.element.0 : a.element.1 != b.element.1 ? a.element.1 < b.element.1 : a.offset < b.offset
    }
    var out: [(Double, Double, T)] = []
    for (_, p) in sorted where out.last.map({ p.1 < $0.1 }) ?? true { out.append(p) }
    return out
  }

  /// The exact front, sorted by seconds, with a mapping for each point.
  public static func front(space: SplitSpace, source: any ShareCostSource) -> [Point] {
    var acc: [(Double, Double, [Int])] = [(0, 0, [])]
    for op in 0..<space.operatorCount {
      let opts = prune(options(space, op: op).compactMap { row in cost(row, op: op, source: source).map { ($0.0, $0.1, row) } })
      guard !opts.isEmpty else { return [] }
      var sums: [(Double, Double, [Int])] = []
      sums.reserveCapacity(acc.count * opts.count)
      for a in acc {
        for o in opts { sums.append((a.0 + o.0, a.1 + o.1, a.2 + o.2)) }
      }
      acc = prune(sums)
    }
    return acc.map { Point(seconds: $0.0, joules: $0.1, genome: SplitGenome(units: $0.2)) }
  }
}
