import HybrixCore
import Mapping

/// H3PIMAP's decision variable (papers.md §7.2, §3.4): per operator, how many of `grid` equal
/// parts of its weight rows (output channels, the `n` axis) each tier holds. Tiers of one
/// operator run side by side. Operators without a product (pointwise work) are not split: their
/// whole `grid` sits on one tier.
public struct SplitSpace: Sendable, Hashable {
  /// Parts of one operator's rows (16 by default, as the issue suggests; an equal split over three tiers is then 6/5/5).
  public let grid: Int
  public let tierCount: Int
  /// Per operator, the tiers that can run it whole, ascending (never empty).
  public let allowed: [[Int]]
  /// Per operator, whether its rows may be split between tiers.
  public let splittable: [Bool]

  public init(grid: Int, tierCount: Int, allowed: [[Int]], splittable: [Bool]) {
    precondition(grid >= 1 && tierCount >= 1 && allowed.count == splittable.count)
    precondition(allowed.allSatisfy { !$0.isEmpty }, "every operator needs a tier")
    self.grid = grid
    self.tierCount = tierCount
    self.allowed = allowed
    self.splittable = splittable
  }

  public var operatorCount: Int { allowed.count }

  /// Whether `g` is a point of this space: `grid` parts per operator on allowed tiers, one tier for
  /// an operator that cannot be split.
  public func contains(_ g: SplitGenome) -> Bool {
    guard g.units.count == operatorCount * tierCount else { return false }
    for op in 0..<operatorCount {
      let row = g.row(op, tierCount)
      guard row.reduce(0, +) == grid, row.allSatisfy({ $0 >= 0 }) else { return false }
      for t in 0..<tierCount where row[t] > 0 && !allowed[op].contains(t) { return false }
      if !splittable[op], row.filter({ $0 > 0 }).count != 1 { return false }
    }
    return true
  }

  /// Every operator whole on `tier` where it can run, elsewhere on `fallback` (the host) or its
  /// first allowed tier: a homogeneous mapping.
  public func homogeneous(_ tier: Int, fallback: Int?) -> SplitGenome {
    var g = SplitGenome(operators: operatorCount, tiers: tierCount)
    for op in 0..<operatorCount {
      let t = allowed[op].contains(tier) ? tier : (fallback.flatMap { allowed[op].contains($0) ? $0 : nil } ?? allowed[op][0])
      g[op, t, tierCount] = grid
    }
    return g
  }

  /// Each splittable operator's parts dealt as evenly as the grid allows over every tier that can
  /// run it (the first tiers take the remainder); the rest whole on `fallback` or their first
  /// allowed tier: H3PIMAP's "naive" equal split.
  public func equalSplit(fallback: Int?) -> SplitGenome {
    var g = SplitGenome(operators: operatorCount, tiers: tierCount)
    for op in 0..<operatorCount {
      let a = allowed[op]
      guard splittable[op] else {
        g[op, fallback.flatMap { a.contains($0) ? $0 : nil } ?? a[0], tierCount] = grid
        continue
      }
      for (i, t) in a.enumerated() { g[op, t, tierCount] = grid / a.count + (i < grid % a.count ? 1 : 0) }
    }
    return g
  }

  /// The point nearest a given mapping: each share's fraction rounded to the grid (largest
  /// remainders first), shares on tiers the space does not allow moved to the operator's largest
  /// allowed share.
  public func nearest(_ plan: MappingPlan) -> SplitGenome? {
    guard plan.placements.count == operatorCount else { return nil }
    var g = SplitGenome(operators: operatorCount, tiers: tierCount)
    for (op, p) in plan.placements.enumerated() {
      var exact = [Double](repeating: 0, count: tierCount)
      for s in p.shares where s.tier >= 0 && s.tier < tierCount { exact[s.tier] += s.fraction }
      for t in 0..<tierCount where !allowed[op].contains(t) { exact[t] = 0 }
      if !splittable[op] || p.axis != .n {
        let best = allowed[op].max { exact[$0] < exact[$1] } ?? allowed[op][0]
        exact = exact.indices.map { $0 == best ? 1 : 0 }
      }
      let total = exact.reduce(0, +)
      guard total > 0 else {
        g[op, allowed[op][0], tierCount] = grid
        continue
      }
      var units = exact.map { Int(($0 / total * Double(grid)).rounded(.down)) }
      let order = exact.indices.sorted { a, b in
        let (ra, rb) = (exact[a] / total * Double(grid) - Double(units[a]), exact[b] / total * Double(grid) - Double(units[b]))
        return ra != rb ? ra > rb : a < b
      }
      var left = grid - units.reduce(0, +)
      for t in order where left > 0 && exact[t] > 0 {
        units[t] += 1
        left -= 1
      }
      for t in 0..<tierCount { g[op, t, tierCount] = units[t] }
    }
    return contains(g) ? g : nil
  }

  /// The mapping of `g`: one placement per operator, its tiers' fractions along `n`.
  public func plan(_ g: SplitGenome) -> MappingPlan {
    MappingPlan(placements: (0..<operatorCount).map { placement(g, op: $0) })
  }

  public func placement(_ g: SplitGenome, op: Int) -> Placement {
    let row = g.row(op, tierCount)
    let used = row.indices.filter { row[$0] > 0 }
    if used.count == 1 { return .on(used[0]) }
    return Placement(shares: used.map { TierShare(tier: $0, fraction: Double(row[$0]) / Double(grid)) }, axis: .n)
  }
}

/// One point of a ``SplitSpace``: parts per operator and tier, row-major (operator, then tier).
public struct SplitGenome: Sendable, Hashable {
  public var units: [Int]

  public init(operators: Int, tiers: Int) { units = [Int](repeating: 0, count: operators * tiers) }
  public init(units: [Int]) { self.units = units }

  public subscript(op: Int, tier: Int, tiers: Int) -> Int {
    get { units[op * tiers + tier] }
    set { units[op * tiers + tier] = newValue }
  }

  /// FNV-1a over the parts: a cheap key for telling points apart (two points that collide are
  /// taken as one, which only thins a population).
  public var fingerprint: UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for u in units {
      h ^= UInt64(truncatingIfNeeded: u)
      h = h &* 0x100_0000_01b3
    }
    return h
  }

  public func row(_ op: Int, _ tiers: Int) -> [Int] { Array(units[(op * tiers)..<(op * tiers + tiers)]) }
}
