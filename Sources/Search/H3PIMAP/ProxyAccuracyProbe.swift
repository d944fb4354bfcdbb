import HybrixCore
import Mapping

/// An accuracy proxy for models without weights (zoo models): no inference, no Monte Carlo.
///
/// The "drop" of a mapping is the sensitivity-weighted mean relative product error of the tiers
/// its rows run on, in per cent: 100 · Σ_r S_r · e_{t(r)} / Σ_r S_r, with S_r the row's
/// ``RowSensitivity`` (the fan-in proxy without weights) and e_t the tier's relative product error
/// (``TierPrecision``). Rows of operators without a product count for nothing. It is *not* an
/// accuracy: `--accuracy-drop 1` then means "at most 1 % weighted product error", and reports say
/// so. Exact: its interval is the value itself.
public struct ProxyAccuracyProbe: AccuracyProbe {
  public let sensitivity: RowSensitivity
  public let tierError: [Double]

  public init(sensitivity: RowSensitivity, tierError: [Double]) {
    self.sensitivity = sensitivity
    self.tierError = tierError.map { $0.isFinite ? $0 : 1 }
  }

  public func value(of plan: MappingPlan) -> Double {
    var weighted = 0.0, total = 0.0
    for (op, p) in plan.placements.enumerated() {
      guard op < sensitivity.rows.count, let s = sensitivity.rows[op], !s.isEmpty else { continue }
      var tierOf = [Int](repeating: p.shares.first?.tier ?? 0, count: s.count)
      if p.shares.count > 1 && p.axis == .n {
        let order = p.rowOrder.flatMap { $0.count == s.count ? $0 : nil } ?? Array(0..<s.count)
        for (i, r) in p.extents(of: s.count).enumerated() { for row in order[r] { tierOf[row] = p.shares[i].tier } }
        for (row, t) in tierOf.enumerated() { weighted += s[row] * tierError[t] }
      } else {
        // Along m or k every row sees every share: the rows' error is the shares' mean.
        let e = p.shares.reduce(0) { $0 + $1.fraction * tierError[$1.tier] }
        for row in s.indices { weighted += s[row] * e }
      }
      total += s.reduce(0, +)
    }
    return total > 0 ? 100 * weighted / total : 0
  }

  public func drop(of plan: MappingPlan, at time: Time) async throws(ConfigError) -> AccuracyDrop {
    let v = value(of: plan)
    return AccuracyDrop(points: v, low95: v, high95: v, referenceAccuracy: 1, meanAccuracy: 1, repeats: 1, samples: 1, atSeconds: time.seconds)
  }

  public func sensitivity(operator op: Int, tier: Int, at time: Time) async throws(ConfigError) -> AccuracyDrop {
    let s = sensitivity.rows.indices.contains(op) ? (sensitivity.rows[op] ?? []) : []
    let all = sensitivity.rows.reduce(0.0) { $0 + ($1?.reduce(0, +) ?? 0) }
    let v = all > 0 ? 100 * s.reduce(0, +) * tierError[tier] / all : 0
    return AccuracyDrop(points: v, low95: v, high95: v, referenceAccuracy: 1, meanAccuracy: 1, repeats: 1, samples: 1, atSeconds: time.seconds)
  }
}
