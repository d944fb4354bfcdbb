import HybrixCore
import Mapping

/// Seconds and joules of one share of an operator on one tier.
public struct ShareCost: Sendable, Hashable {
  public var seconds: Double
  public var joules: Double
  public init(seconds: Double, joules: Double) {
    self.seconds = seconds
    self.joules = joules
  }
}

/// Where H3PIMAP's separable objectives get the cost of `units` parts of operator `op` on `tier`
/// (weights programmed ahead or not); `nil` when the tier cannot run that share.
public protocol ShareCostSource: AnyObject {
  func cost(op: Int, tier: Int, units: Int, resident: Bool) -> ShareCost?
}

/// Each operator's per-tier cost curve, from the cost model's own estimate, computed once per
/// (operator, tier, parts, residency) on first use and shared by every candidate.
///
/// A share's figure is the cost model's estimate of that share with every earlier operator on
/// the same tier — the share's compute, its memory traffic and its static power while it runs,
/// without moving inputs between tiers: H3PIMAP's formulation, where layers run in sequence and
/// tiers in parallel within a layer (papers.md §7.2). Transfers between tiers, the tiers' idle
/// energy and contention are the simulator's: every point the strategy returns is simulated.
public final class CostCurves: ShareCostSource {
  let problem: MappingProblem
  public let space: SplitSpace
  /// Per tier, every operator on that tier (the "earlier placements" of a curve's estimate).
  let sameTier: [[Placement]]
  /// Memo: NaN not computed, -1 cannot run; seconds and joules interleaved.
  var table: [Double]
  /// Estimates the cost model was asked for.
  public private(set) var estimates = 0

  /// The space of `problem`'s graph on its tiers with `grid` parts per operator: a tier is
  /// allowed for an operator when it can run it whole; products may be split.
  public init(problem: MappingProblem, grid: Int) {
    self.problem = problem
    let tiers = problem.tierIDs.count
    let ops = problem.graph.operators.count
    sameTier = (0..<tiers).map { [Placement](repeating: .on($0), count: ops) }
    var allowed: [[Int]] = []
    var estimates = 0
    for op in 0..<ops {
      var a: [Int] = []
      for t in 0..<tiers {
        estimates += 1
        if problem.estimate(op, .on(t), [true], sameTier[t]) != nil { a.append(t) }
      }
      if a.isEmpty { a = [problem.hostTier ?? 0] }
      allowed.append(a)
    }
    space = SplitSpace(
      grid: grid, tierCount: tiers, allowed: allowed,
      splittable: problem.graph.operators.map { $0.matmul != nil })
    table = [Double](repeating: .nan, count: ops * tiers * (grid + 1) * 2 * 2)
    self.estimates = estimates
  }

  public func cost(op: Int, tier: Int, units: Int, resident: Bool) -> ShareCost? {
    let i = (((op * space.tierCount + tier) * (space.grid + 1) + units) * 2 + (resident ? 1 : 0)) * 2
    if table[i].isNaN {
      let c = compute(op: op, tier: tier, units: units, resident: resident)
      table[i] = c?.seconds ?? -1
      table[i + 1] = c?.joules ?? -1
    }
    return table[i] < 0 ? nil : ShareCost(seconds: table[i], joules: table[i + 1])
  }

  func compute(op: Int, tier: Int, units: Int, resident: Bool) -> ShareCost? {
    guard units > 0 else { return ShareCost(seconds: 0, joules: 0) }
    estimates += 1
    let placements = sameTier[tier]
    if units >= space.grid {
      guard let e = problem.estimate(op, .on(tier), [resident], placements), let s = e.shares.first else { return nil }
      return ShareCost(seconds: s.pathSeconds, joules: s.joules)
    }
    // The rest of the rows on another tier that can run the operator; only this share is read.
    guard let other = space.allowed[op].first(where: { $0 != tier }) else { return nil }
    let f = Double(units) / Double(space.grid)
    let p = Placement(shares: [TierShare(tier: tier, fraction: f), TierShare(tier: other, fraction: 1 - f)], axis: .n)
    guard let e = problem.estimate(op, p, [resident, true], placements), let s = e.shares.first(where: { $0.tier == tier }) else {
      return nil
    }
    return ShareCost(seconds: s.pathSeconds, joules: s.joules)
  }
}

/// The figures H3PIMAP's stage 1 minimises for a point of a ``SplitSpace`` (papers.md §7.2, §3.4):
/// latency Σ over operators of the slowest tier's share, energy Σ over operators and tiers, area
/// of the tiers used. With `residency`, each share's weights are admitted in graph order under
/// ``Residency``'s rule and a share that does not fit is priced as re-programmed. With
/// `idleWatts`, each used tier also draws its idle power over the time it waits (latency minus
/// its busy time), as the simulator charges it — the term that makes a mixed mapping pay for
/// keeping a power-hungry tier on.
public struct SeparableModel {
  public let space: SplitSpace
  public let source: any ShareCostSource
  public let tierAreas: [Double]
  public let weightBytes: [Double]?
  public let residency: Residency?
  public let idleWatts: [Double]?

  public init(
    space: SplitSpace, source: any ShareCostSource, tierAreas: [Double], weightBytes: [Double]? = nil, residency: Residency? = nil,
    idleWatts: [Double]? = nil
  ) {
    self.idleWatts = idleWatts
    self.space = space
    self.source = source
    self.tierAreas = tierAreas
    self.weightBytes = weightBytes
    self.residency = residency
  }

  /// The figures of `g`; `nil` when a share cannot run where `g` puts it.
  public func cost(_ g: SplitGenome) -> CostVector? {
    var seconds = 0.0
    var joules = 0.0
    let tiers = space.tierCount
    var used = [Bool](repeating: false, count: tiers)
    // ``Residency/admit(_:weightBytes:)`` for a placement along `n` with shares in tier order:
    // a share holds its fraction of the weights and stays resident when that fits what its
    // tier has left (first fit).
    let capacity = residency?.capacity
    var filled = [Double](repeating: 0, count: tiers)
    var busy = [Double](repeating: 0, count: tiers)
    let grid = Double(space.grid)
    for op in 0..<space.operatorCount {
      var slowest = 0.0
      let base = op * tiers
      let wb = weightBytes?[op] ?? 0
      for t in 0..<tiers {
        let u = g.units[base + t]
        guard u > 0 else { continue }
        var resident = true
        if wb > 0, let cap = capacity?[t] ?? nil {
          let bytes = u == space.grid ? wb : wb * (Double(u) / grid)
          if filled[t] + bytes <= cap { filled[t] += bytes } else { resident = false }
        }
        guard let c = source.cost(op: op, tier: t, units: u, resident: resident) else { return nil }
        slowest = max(slowest, c.seconds)
        joules += c.joules
        busy[t] += c.seconds
        used[t] = true
      }
      seconds += slowest
    }
    if let idleWatts, idleWatts.count == tiers {
      for t in 0..<tiers where used[t] { joules += idleWatts[t] * max(0, seconds - busy[t]) }
    }
    var area = 0.0
    for t in 0..<tiers where used[t] { area += tierAreas[t] }
    return CostVector(latency: .seconds(seconds), energy: .joules(joules), area: Area(baseValue: area))
  }
}
