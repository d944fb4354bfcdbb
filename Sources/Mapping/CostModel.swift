import Hardware
import HybrixCore
import Workloads

/// The cost of one share of an operator on one tier, without the memory behind it.
public struct SliceCost: Hashable, Sendable {
  public var cycles: Double
  /// Seconds the tier computes (`cycles ÷ clock`).
  public var seconds: Double
  /// Dynamic energy priced from the tier's actions (no static power: that depends on how long
  /// the share occupies the tier, which the memory traffic may stretch; see ``ShareEstimate``).
  public var energy: EnergyBreakdown
  public var utilization: Double?
  /// Static power of the tier while this share occupies it (see ``CostModel/staticWatts``).
  public var staticWatts: Double
  /// Static energy of one wake-up of the units this share uses (0 unless power-gated).
  public var wakeJoules: Double
  /// Bytes the tier refills from the memory behind it (``TierActivity/refillBytes``).
  public var refillBytes: Double
}

/// Prices operator shares on tiers and data movement on the architecture's memories and links.
///
/// Pure and value-typed: strategies may call it from many tasks at once. Tiers count actions and
/// cycles; this type turns them into seconds (÷ clock) and joules (× energy table), and adds the
/// memory traffic and static power of each share (``estimate(_:placement:resident:placements:)``),
/// which the ``ScheduleSimulator`` schedules without re-pricing [Timeloop/Accelergy split].
///
/// **Static power.** A tier a mapping uses is powered for the whole run; a tier it does not use is
/// off. While a share occupies a tier it is charged the tier's static power — all units, or on a
/// power-gated tier (``PowerGating``) only the units the share uses, plus one wake-up of them —
/// and what a tier draws beyond its units (lasers) in any case. The rest of the run is the tier's
/// *idle* energy, reported on its own.
public struct CostModel: Sendable {
  public let graph: Graph
  public let architecture: Architecture
  public let precision: Precision
  /// Each operator by operand role, computed once.
  public let works: [OperatorWork]
  /// Bytes of static weights each tier can keep programmed (`nil`: it holds none).
  public let weightCapacity: [Double?]
  /// Whether every static weight of the model fits in the global buffer, which then serves the
  /// weights that are not programmed into a tier (otherwise DRAM does).
  public let weightsInGlobalBuffer: Bool
  /// The first digital tier: it adds the partial sums of `k` splits.
  public let hostTier: Int?
  /// The operator that writes each tensor (`nil`: a model input, weight or cache).
  public let producer: [Int?]
  /// Per operator, the last operator that reads one of its outputs (`operators.count` for a
  /// model output; `-1` when nothing reads them).
  public let lastConsumer: [Int]
  /// Per operator that is a part of a split product after the first
  /// (``Graph/splittingColumns(_:)``), the first part: when both run on the same tiers, the
  /// first operand `X` reached them for the first part, so a later part reads it through the
  /// tier's buffer as the rounds of the whole product did, and is charged no DRAM read or
  /// transfer of it.
  public let firstPart: [Int?]

  /// Per-tier constants of the fast path, read once so that pricing never copies a spec.
  struct TierConstants: Sendable {
    var hertz: Double
    var joules: SIMD16<Double>
    /// Static power of all units, and power drawn beyond them (lasers, held phase shifters).
    var unitWatts: Double
    var alwaysWatts: Double
    var count: Double
    var gated: Bool
    var wakeSeconds: Double
  }
  let constants: [TierConstants]

  public init(graph: Graph, architecture: Architecture, precision: Precision) {
    self.graph = graph
    self.architecture = architecture
    self.precision = precision
    works = graph.operators.map { OperatorWork($0, in: graph, precision: precision) }
    weightCapacity = architecture.tiers.map { $0.weightCapacityBytes(weightBits: precision.weightBits) }
    let modelWeights = Double(precision.bytes(graph.parameterCount, .weight))
    weightsInGlobalBuffer = modelWeights <= architecture.memory.globalBuffer.bytes
    hostTier = architecture.tiers.firstIndex { type(of: $0).kind == .digital }
    let producer = graph.producers()
    self.producer = producer
    var last = [Int](repeating: -1, count: graph.operators.count)
    for (i, op) in graph.operators.enumerated() {
      for t in op.inputs { if let p = producer[t.index] { last[p] = max(last[p], i) } }
    }
    for t in graph.outputs { if let p = producer[t.index] { last[p] = graph.operators.count } }
    lastConsumer = last
    var first = [Int?](repeating: nil, count: graph.operators.count)
    for op in graph.operators where op.kind == .layout && op.attributes.function == Graph.joinFunction {
      guard let head = op.inputs.first.flatMap({ producer[$0.index] }) else { continue }
      for t in op.inputs.dropFirst() { if let p = producer[t.index] { first[p] = head } }
    }
    firstPart = first
    constants = architecture.tiers.map { t in
      TierConstants(
        hertz: t.clock.hertz, joules: t.energyTable.joules, unitWatts: t.commonStaticPower.watts,
        alwaysWatts: t.staticPower.watts - t.commonStaticPower.watts, count: Double(t.common.count),
        gated: t.common.isPowerGated, wakeSeconds: t.common.powerGating?.wakeUpSeconds ?? 0)
    }
  }

  /// The ``TileWork`` of share `s` of `placement` of operator `op`.
  public func work(_ op: Int, share s: Int, of placement: Placement, resident: Bool) -> TileWork {
    work(op, extent: extents(op, placement)[s], of: placement, resident: resident)
  }

  /// Whole indices each share of `placement` covers along its axis (``ShareExtents``).
  func extents(_ op: Int, _ placement: Placement) -> [Int] {
    let size = works[op].size(along: placement.axis)
    return placement.shares.count == 1 ? [size] : placement.extents(of: size).map(\.count)
  }

  /// The ``TileWork`` of a share of `placement` covering `extent` indices of operator `op`.
  func work(_ op: Int, extent: Int, of placement: Placement, resident: Bool) -> TileWork {
    var w = Lowering.work(
      works[op], axis: placement.axis, extent: extent, whole: placement.shares.count == 1,
      precision: precision, weightsResident: resident)
    w.arrayModes = placement.arrays?.modes
    return w
  }

  /// Cost of all of operator `op` on tier `tier`.
  public func slice(_ op: Int, tier: Int, resident: Bool = true) -> Result<SliceCost, Infeasibility> {
    cost(work(op, share: 0, of: .on(tier), resident: resident), on: tier)
  }

  /// Cost of `work` on tier `tier`.
  public func cost(_ work: TileWork, on tier: Int) -> Result<SliceCost, Infeasibility> {
    let t = architecture.tiers[tier]
    switch t.evaluate(work) {
    case .failure(let why): return .failure(why)
    case .success(let activity):
      let c = constants[tier]
      return .success(
        SliceCost(
          cycles: activity.cycles, seconds: activity.cycles / c.hertz,
          energy: t.energyTable.price(activity.actions), utilization: activity.utilization,
          staticWatts: staticWatts(tier, activity, partitioned: work.arrayModes != nil),
          wakeJoules: wakeJoules(tier, activity),
          refillBytes: activity.refillBytes))
    }
  }

  /// Seconds and joules (dynamic and static) of `work` computing on `tier`, without memory
  /// traffic: the search's inner loop.
  @inline(__always)
  public func quickCost(_ work: TileWork, on tier: Int) -> (seconds: Double, joules: Double)? {
    guard case .success(let activity) = architecture.tiers[tier].evaluate(work) else { return nil }
    let c = constants[tier]
    let seconds = activity.cycles / c.hertz
    return (
      seconds,
      (activity.actions.values * c.joules).sum()
        + staticWatts(tier, activity, partitioned: work.arrayModes != nil) * seconds
        + wakeJoules(tier, activity)
    )
  }

  /// Static power of `tier` while `activity` occupies it: all units, or on a power-gated tier the
  /// units it uses; plus what the tier draws beyond its units. Work on arrays of its own
  /// (`partitioned`, a segment's operators running side by side) is charged its arrays only:
  /// the others are charged to the operators beside it or to the tier's idle time.
  @inline(__always)
  func staticWatts(_ tier: Int, _ activity: TierActivity, partitioned: Bool = false) -> Double {
    let c = constants[tier]
    guard c.gated || partitioned, let active = activity.activeUnits else { return c.unitWatts + c.alwaysWatts }
    return c.unitWatts * min(1, active / c.count) + c.alwaysWatts
  }

  /// Static energy of waking the units `activity` uses on a power-gated tier.
  @inline(__always)
  func wakeJoules(_ tier: Int, _ activity: TierActivity) -> Double {
    let c = constants[tier]
    guard c.gated else { return 0 }
    let share = activity.activeUnits.map { min(1, $0 / c.count) } ?? 1
    return c.unitWatts * share * c.wakeSeconds
  }

  /// Static power of `tier` while it waits in a run that uses it.
  public func idleWatts(_ tier: Int) -> Double {
    let c = constants[tier]
    return (c.gated ? 0 : c.unitWatts) + c.alwaysWatts
  }

  /// Time and energy to read or write `bytes` in DRAM.
  public func dram(_ bytes: Double) -> (seconds: Double, joules: Double) {
    let m = architecture.memory
    return (bytes / m.dramBandwidth.value.bytesPerSecond, bytes * m.dramEnergy.value.baseValue)
  }

  /// Time and energy to read or write `bytes` in the global buffer.
  public func globalBuffer(_ bytes: Double) -> (seconds: Double, joules: Double) {
    let m = architecture.memory
    return (bytes / m.globalBufferBandwidth.value.bytesPerSecond, bytes * m.globalBufferEnergy.value.baseValue)
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
    let gb = globalBuffer(2 * bytes)
    return (.globalBuffer, gb.seconds, gb.joules)
  }
}
