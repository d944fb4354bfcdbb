import Hardware
import HybrixCore
import Workloads

/// The cost of one operator share on one tier: busy time and energy by component.
public struct SliceCost: Hashable, Sendable {
  public var cycles: Double
  public var seconds: Double
  /// Dynamic energy priced from the tier's actions, plus static power over the busy time.
  public var energy: EnergyBreakdown
  public var utilization: Double?
}

/// Prices operator shares on tiers and data movement on the architecture's memories and links.
///
/// Pure and value-typed: strategies may call it from many tasks at once. Tiers count actions and
/// cycles; this type turns them into seconds (÷ clock) and joules (× energy table, + static
/// power × busy time) [Timeloop/Accelergy split].
public struct CostModel: Sendable {
  public let graph: Graph
  public let architecture: Architecture
  public let precision: Precision

  /// Per-tier constants of the fast path, read once so that pricing never copies a spec.
  struct TierConstants: Sendable {
    var hertz: Double
    var joules: SIMD16<Double>
    /// Static power of all units that scales with the active units, and power drawn regardless.
    var unitWatts: Double
    var alwaysWatts: Double
    var count: Double
  }
  let constants: [TierConstants]

  public init(graph: Graph, architecture: Architecture, precision: Precision) {
    self.graph = graph
    self.architecture = architecture
    self.precision = precision
    constants = architecture.tiers.map { t in
      TierConstants(
        hertz: t.clock.hertz, joules: t.energyTable.joules, unitWatts: t.commonStaticPower.watts,
        alwaysWatts: t.staticPower.watts - t.commonStaticPower.watts, count: Double(t.common.count))
    }
  }

  /// Cost of `fraction` of operator `op` on tier `tier`.
  public func slice(
    _ op: Int, tier: Int, fraction: Double = 1, axis: SplitAxis = .columns, resident: Bool = true
  ) -> Result<SliceCost, Infeasibility> {
    let work = Lowering.work(
      graph.operators[op], fraction: fraction, axis: axis, precision: precision, weightsResident: resident)
    return cost(work, on: tier)
  }

  /// Cost of `work` on tier `tier`.
  public func cost(_ work: TileWork, on tier: Int) -> Result<SliceCost, Infeasibility> {
    let t = architecture.tiers[tier]
    switch t.evaluate(work) {
    case .failure(let why): return .failure(why)
    case .success(let activity):
      let seconds = activity.cycles / constants[tier].hertz
      var energy = t.energyTable.price(activity.actions)
      energy[.staticPower] = .joules(staticWatts(tier, activity) * seconds)
      return .success(
        SliceCost(cycles: activity.cycles, seconds: seconds, energy: energy, utilization: activity.utilization))
    }
  }

  /// Seconds and joules of `work` on `tier`, without the breakdown: the search's inner loop.
  @inline(__always)
  public func quickCost(_ work: TileWork, on tier: Int) -> (seconds: Double, joules: Double)? {
    guard case .success(let activity) = architecture.tiers[tier].evaluate(work) else { return nil }
    let c = constants[tier]
    let seconds = activity.cycles / c.hertz
    return (seconds, (activity.actions.values * c.joules).sum() + staticWatts(tier, activity) * seconds)
  }

  /// Static power while `activity` runs: the units it keeps on (idle units power-gated — exact
  /// for non-volatile ReRAM and PCM, optimistic for SRAM and eDRAM, which must keep their
  /// weights), plus what the tier draws regardless (lasers, held phase shifters).
  @inline(__always)
  func staticWatts(_ tier: Int, _ activity: TierActivity) -> Double {
    let c = constants[tier]
    guard let active = activity.activeUnits else { return c.unitWatts + c.alwaysWatts }
    return c.unitWatts * min(1, active / c.count) + c.alwaysWatts
  }

  /// Time and energy to read or write `bytes` in DRAM.
  public func dram(_ bytes: Double) -> (seconds: Double, joules: Double) {
    let m = architecture.memory
    return (bytes / m.dramBandwidth.value.bytesPerSecond, bytes * m.dramEnergy.value.baseValue)
  }

  /// The resource a transfer between two tiers uses: their link, or the global buffer.
  public enum Route: Hashable, Sendable {
    case link(Int)
    case globalBuffer
  }

  /// Route, time and energy to move `bytes` from tier `a` to tier `b` (nothing when `a == b`).
  public func transfer(_ bytes: Double, from a: Int, to b: Int) -> (route: Route, seconds: Double, joules: Double)? {
    guard a != b, bytes > 0 else { return nil }
    let ida = architecture.tiers[a].id
    let idb = architecture.tiers[b].id
    if let i = architecture.links.firstIndex(where: { ($0.from == ida && $0.to == idb) || ($0.from == idb && $0.to == ida) }) {
      let l = architecture.links[i]
      return (.link(i), bytes / l.bandwidth.value.bytesPerSecond + (l.latency?.seconds ?? 0), bytes * l.joulesPerByte)
    }
    // Through the global buffer: written by one tier, read by the other.
    let m = architecture.memory
    return (
      .globalBuffer, 2 * bytes / m.globalBufferBandwidth.value.bytesPerSecond,
      2 * bytes * m.globalBufferEnergy.value.baseValue
    )
  }

  /// Which static weights stay programmed: on each tier that holds weights, operators in graph
  /// order keep theirs resident until the tier's capacity is used up; the rest are re-programmed
  /// on every run. Tiers that hold no weights stream them (resident is then irrelevant).
  public func residency(_ mapping: Mapping) -> [[Bool]] {
    let t = architecture.tiers
    var used = [Double](repeating: 0, count: t.count)
    let capacity = t.map { $0.weightCapacityBytes(weightBits: precision.weightBits) }
    return graph.operators.enumerated().map { i, op in
      let p = mapping.placements[i]
      return p.shares.map { s in
        guard op.secondOperand == .staticWeight, let cap = capacity[s.tier] else { return true }
        let bytes = Double(op.bytes(at: precision).weights) * (p.axis == .rows ? 1 : s.fraction)
        guard used[s.tier] + bytes <= cap else { return false }
        used[s.tier] += bytes
        return true
      }
    }
  }
}
