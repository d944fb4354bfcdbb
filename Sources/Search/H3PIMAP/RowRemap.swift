import HybrixCore
import Mapping
import Synchronization

/// What H3PIMAP's stage 2 did: the rows it moved and, per step, the accuracy interval and the cost.
public struct RowRemapTrace: Sendable, Codable {
  public struct Move: Sendable, Codable, Hashable {
    public var `operator`: String
    public var rows: [Int]
    public var from: String
    public var to: String
  }
  public struct Step: Sendable, Codable {
    /// 0: the stage-1 point with its rows sorted by sensitivity (the most sensitive on the most precise tier).
    public var index: Int
    public var moved: [Move]
    public var drop: AccuracyDrop
    public var latencySeconds: Double
    public var energyJoules: Double
  }
  /// A front point measured for the before/after comparison.
  public struct Point: Sendable, Codable {
    public var latencySeconds: Double
    public var energyJoules: Double
    public var drop: AccuracyDrop?
    public var label: String
  }
  public var thresholdPoints: Double
  public var atSeconds: Double
  public var sensitivity: String
  public var sensitivityMethod: RowSensitivity.Method
  /// Tiers from the most to the least precise, with their relative product error (`nil`: the
  /// tier's model cannot be built, never a target).
  public var tierOrder: [String]
  public var tierError: [Double?]
  public var stepRows: Int
  public var steps: [Step]
  /// Whether the last step meets the constraint; when not, `mostAccurateStep` is the step returned.
  public var met: Bool
  public var mostAccurateStep: Int
  public var before: [Point]
  public var after: [Point]
}

/// Where an ``H3PIMAPStrategy`` leaves its last Row Remap trace for the command that ran it.
public final class RowRemapRecorder: Sendable {
  private let state = Mutex<RowRemapTrace?>(nil)
  public init() {}
  public var trace: RowRemapTrace? { state.withLock { $0 } }
  func record(_ t: RowRemapTrace) { state.withLock { $0 = t } }
}

/// Per product operator, which tier holds each output row; turns back into ``Placement``s along
/// `n` with a ``Placement/rowOrder``, so the cost model prices the counts the accuracy side runs.
struct RowAssignment: Sendable, Hashable {
  /// `tierOfRow[op]`: nil for operators that keep their stage-1 placement (no product rows).
  var tierOfRow: [[Int]?]

  /// Rows of each product operator of `plan` (split along `n`), the shares' row counts kept and
  /// the rows themselves dealt by `sensitivity`: the most sensitive to the share on the most
  /// precise tier (`rank[t]`: 0 the most precise).
  init(plan: MappingPlan, rows: [Int?], sensitivity: RowSensitivity, rank: [Int]) {
    tierOfRow = plan.placements.indices.map { op in
      guard let n = rows[op], let s = sensitivity.rows[op], s.count == n, plan.placements[op].axis == .n else { return nil }
      let p = plan.placements[op]
      let counts = p.shares.count == 1 ? [n] : p.extents(of: n).map(\.count)
      let shares = zip(p.shares, counts).sorted { rank[$0.0.tier] < rank[$1.0.tier] }
      let order = (0..<n).sorted { s[$0] != s[$1] ? s[$0] > s[$1] : $0 < $1 }
      var out = [Int](repeating: 0, count: n)
      var next = 0
      for (share, c) in shares {
        for r in order[next..<(next + c)] { out[r] = share.tier }
        next += c
      }
      return out
    }
  }

  /// The plan: `base`'s placements for operators without rows; for the others one share per
  /// tier in precision order, fractions count/n, and the row order that puts each row on its tier.
  func plan(base: MappingPlan, rank: [Int]) -> MappingPlan {
    var plan = base
    for (op, assignment) in tierOfRow.enumerated() {
      guard let assignment else { continue }
      let n = assignment.count
      let tiers = Set(assignment).sorted { rank[$0] < rank[$1] }
      if tiers.count == 1 {
        plan.placements[op] = .on(tiers[0])
        continue
      }
      var order: [Int] = []
      var shares: [TierShare] = []
      for t in tiers {
        let rows = assignment.indices.filter { assignment[$0] == t }
        order += rows
        shares.append(TierShare(tier: t, fraction: Double(rows.count) / Double(n)))
      }
      plan.placements[op] = Placement(shares: shares, axis: .n, rowOrder: order)
    }
    return plan
  }
}
