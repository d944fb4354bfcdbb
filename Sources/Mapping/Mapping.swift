import HybrixCore
import Workloads

/// The GEMM dimension along which an operator's work `Y[m×n] = X[m×k] · W[k×n]` is divided
/// between tiers. The cost model, the simulator, the accuracy model and a saved mapping all read
/// it the same way.
public enum SplitAxis: String, Codable, Sendable, Hashable, CaseIterable {
  /// Output rows (batch × pixels or tokens): every part reads all of `W` and its share of `X`.
  case m
  /// Output columns (channels): every part reads all of `X` and holds its share of `W`.
  case n
  /// The reduction: every part reads its share of `X` and `W` and produces partial sums of all of
  /// `Y`, which are moved to a digital tier and added there (time and energy).
  case k
}

/// A share of one operator placed on one tier.
public struct TierShare: Codable, Sendable, Hashable {
  /// Index of the tier in the architecture.
  public var tier: Int
  /// Fraction of the operator's work, in (0, 1].
  public var fraction: Double
  public init(tier: Int, fraction: Double) {
    self.tier = tier
    self.fraction = fraction
  }
}

/// Where one operator runs: one tier, or shares on several tiers that add up to 1.
public struct Placement: Codable, Sendable, Hashable {
  public var shares: [TierShare]
  public var axis: SplitAxis
  /// On a CIM tier, the operator's arrays by mode and its segment (CMSwitch); `nil` for every
  /// other plan, whose operators run one after another with the tier's own array use.
  public var arrays: ArrayAllocation?
  /// For an `n` split: which output columns (weight rows) each share holds — share *i* takes
  /// `rowOrder[extents[i]]` — so a split can put chosen rows on a tier (H3PIMAP's Row Remap).
  /// A permutation of `0..<n`; `nil` is the identity (contiguous ranges). Costs do not depend on
  /// it (every row of a product costs the same); the accuracy side runs exactly these rows.
  public var rowOrder: [Int]?

  public init(shares: [TierShare], axis: SplitAxis = .n, arrays: ArrayAllocation? = nil, rowOrder: [Int]? = nil) {
    self.shares = shares
    self.axis = axis
    self.arrays = arrays
    self.rowOrder = rowOrder
  }

  /// The whole operator on `tier`.
  public static func on(_ tier: Int) -> Placement { Placement(shares: [TierShare(tier: tier, fraction: 1)]) }

  /// The fraction of this operator on `tier` (0 when absent).
  public func fraction(on tier: Int) -> Double {
    shares.reduce(0) { $0 + ($1.tier == tier ? $1.fraction : 0) }
  }

  /// The tier holding the largest share (for tables).
  public var mainTier: Int { shares.max { $0.fraction < $1.fraction }?.tier ?? 0 }

  /// Whether the work is divided into partial sums that a digital tier must add.
  public var reducesPartialSums: Bool { axis == .k && shares.count > 1 }

  /// Whole extents of each share along a dimension of `count` indices (see ``ShareExtents``).
  public func extents(of count: Int) -> [Range<Int>] {
    ShareExtents.ranges(count: count, fractions: shares.map(\.fraction))
  }
}

/// Fractions become whole index ranges in one place, for the cost side and the accuracy side.
///
/// The cumulative fractions are rounded to the nearest index, so the ranges are contiguous, in
/// share order, and cover `0..<count` exactly once; a share that rounds to nothing gets an empty
/// range (it does no work).
public enum ShareExtents {
  public static func ranges(count: Int, fractions: [Double]) -> [Range<Int>] {
    let total = fractions.reduce(0, +)
    var out: [Range<Int>] = []
    out.reserveCapacity(fractions.count)
    var cumulative = 0.0
    var start = 0
    for (i, f) in fractions.enumerated() {
      cumulative += f
      let end =
        i == fractions.count - 1 || !(total > 0)
        ? count : min(count, max(0, Int((cumulative / total * Double(count)).rounded())))
      out.append(start..<max(start, end))
      start = max(start, end)
    }
    return out
  }
}

/// A placement for every operator of a graph, in graph order.
public struct MappingPlan: Codable, Sendable, Hashable {
  public var placements: [Placement]
  public init(placements: [Placement]) { self.placements = placements }

  /// Every operator on `tier`.
  public static func uniform(_ tier: Int, operators: Int) -> MappingPlan {
    MappingPlan(placements: [Placement](repeating: .on(tier), count: operators))
  }

  /// Problems that make this mapping malformed for `operators` operators and `tiers` tiers.
  public func problems(operators: Int, tiers: Int) -> [String] {
    var found: [String] = []
    if placements.count != operators {
      found.append("the mapping places \(placements.count) operators, the graph has \(operators)")
    }
    for (i, p) in placements.enumerated() {
      let total = p.shares.reduce(0) { $0 + $1.fraction }
      if p.shares.isEmpty || abs(total - 1) > 1e-9 {
        found.append("operator \(i): shares add up to \(total), not 1")
      }
      for s in p.shares where !(0..<tiers).contains(s.tier) || !(s.fraction > 0) {
        found.append("operator \(i): share \(s.fraction) on tier index \(s.tier)")
      }
    }
    return found
  }
}
