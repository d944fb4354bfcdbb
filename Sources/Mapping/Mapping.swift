import HybrixCore
import Workloads

/// How an operator's work is divided: along its rows (`m`: tokens, pixels — every part needs all
/// the weights) or its output columns (`n`: output channels — every part holds a share of the
/// weights and reads all the inputs).
public enum SplitAxis: String, Codable, Sendable, Hashable {
  case rows
  case columns
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

  public init(shares: [TierShare], axis: SplitAxis = .columns) {
    self.shares = shares
    self.axis = axis
  }

  /// The whole operator on `tier`.
  public static func on(_ tier: Int) -> Placement { Placement(shares: [TierShare(tier: tier, fraction: 1)]) }

  /// The fraction of this operator on `tier` (0 when absent).
  public func fraction(on tier: Int) -> Double {
    shares.reduce(0) { $0 + ($1.tier == tier ? $1.fraction : 0) }
  }

  /// The tier holding the largest share (for tables).
  public var mainTier: Int { shares.max { $0.fraction < $1.fraction }?.tier ?? 0 }
}

/// A placement for every operator of a graph, in graph order.
public struct Mapping: Codable, Sendable, Hashable {
  public var placements: [Placement]
  public init(placements: [Placement]) { self.placements = placements }

  /// Every operator on `tier`.
  public static func uniform(_ tier: Int, operators: Int) -> Mapping {
    Mapping(placements: [Placement](repeating: .on(tier), count: operators))
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
