import Hardware
import Workloads

/// Which static weights stay programmed in the tiers that hold weights: the one rule the
/// strategies and the simulator share.
///
/// Operators are admitted in graph order; a share keeps its weights resident when they fit in
/// what its tier has left, and is otherwise re-programmed on every run (first fit, skipping what
/// does not fit). An operator on arrays of a segment (``ArrayAllocation``) is re-programmed on
/// every run. A share of an `m` split holds all of the operator's weights, an `n` or `k`
/// share its fraction. Tiers that hold no weights stream them, and any share of an operator
/// without static weights counts as resident.
public struct Residency: Sendable, Hashable {
  public let capacity: [Double?]
  /// Bytes of weights admitted so far on each tier.
  public private(set) var used: [Double]

  public init(capacity: [Double?]) {
    self.capacity = capacity
    used = [Double](repeating: 0, count: capacity.count)
  }

  /// Bytes of static weights share `s` of `placement` holds, for an operator whose weights are
  /// `weightBytes` in all.
  public static func bytes(_ weightBytes: Double, share s: Int, of placement: Placement) -> Double {
    placement.axis == .m ? weightBytes : weightBytes * placement.shares[s].fraction
  }

  /// Whether `bytes` of weights fit on `tier` now (always true on tiers that hold none).
  public func fits(_ bytes: Double, on tier: Int) -> Bool {
    guard let cap = capacity[tier] else { return true }
    return used[tier] + bytes <= cap
  }

  /// Admits every share of `placement` of an operator with `weightBytes` of static weights (0 for
  /// none) and returns, per share, whether its weights are resident.
  public mutating func admit(_ placement: Placement, weightBytes: Double) -> [Bool] {
    // Arrays of a segment are rewritten by the next segment: their weights never stay.
    if placement.arrays != nil, weightBytes > 0 { return placement.shares.map { _ in false } }
    return placement.shares.indices.map { s in
      let t = placement.shares[s].tier
      guard weightBytes > 0, capacity[t] != nil else { return true }
      let b = Self.bytes(weightBytes, share: s, of: placement)
      guard fits(b, on: t) else { return false }
      used[t] += b
      return true
    }
  }
}

extension CostModel {
  /// Bytes of static weights of operator `op` (0 when its second operand is not a weight).
  public func staticWeightBytes(_ op: Int) -> Double {
    works[op].staticWeights ? works[op].wBytes : 0
  }

  /// An empty ``Residency`` over this architecture's tiers.
  public var emptyResidency: Residency { Residency(capacity: weightCapacity) }

  /// Per operator and share, whether its weights stay programmed under ``Residency``'s rule.
  public func residency(_ mapping: MappingPlan) -> [[Bool]] {
    var r = emptyResidency
    return mapping.placements.indices.map { r.admit(mapping.placements[$0], weightBytes: staticWeightBytes($0)) }
  }
}
