import Hardware
import HybrixCore
import Workloads

/// Turns a mapped graph into a schedule by list scheduling in graph order, pricing nothing itself:
/// every share, transfer and memory stream is the ``CostModel``'s ``OperatorEstimate``.
///
/// Resources are the tiers, the DRAM channel, the global buffer and each link; each does one
/// thing at a time. A share starts when its inputs have arrived (moved over their link or through
/// the global buffer after the producer ends), its tier is free, and the DRAM channel and global
/// buffer it streams from are free; it then occupies its tier for ``ShareEstimate/seconds`` and
/// the memories for their streaming time. The partial sums of a `k` split move to the host tier
/// after the shares end and are added there.
///
/// Energy is the sum of the estimates plus the *idle* static energy of every tier the mapping
/// uses: what it draws while it waits (``CostModel/idleWatts(_:)``). So on a mapping with every
/// operator on one tier the latency is the sum of the estimates' seconds and the energy the sum
/// of their joules; on any mapping the energy minus the idle energy is the sum of the estimates'
/// joules, and the latency at most the sum of their serial seconds. Pipelined throughput treats
/// consecutive batches as a pipeline limited by the busiest resource. A plan whose operators
/// carry arrays (CMSwitch's segments) runs segment by segment instead (``runSegmented(_:ranges:)``).
public struct ScheduleSimulator: Sendable {
  public let cost: CostModel

  public init(cost: CostModel) { self.cost = cost }

  /// The resources of a run and their time.
  struct Resources {
    var names: [String]
    var free: [Double]
    var busy: [Double]
    var timeline: [TimelineEvent] = []
    let dram: Int
    let buffer: Int
    let linkBase: Int

    init(_ arch: Architecture) {
      let n = arch.tiers.count
      dram = n
      buffer = n + 1
      linkBase = n + 2
      names = arch.tiers.map(\.id) + ["dram", "global-buffer"] + arch.links.map { "link \($0.from)↔\($0.to)" }
      free = [Double](repeating: 0, count: names.count)
      busy = free
    }

    /// Marks `r` busy for `seconds` from `start`; nothing when there is no work, so a share that
    /// streams nothing never holds back the memories for later shares.
    mutating func occupy(_ r: Int, from start: Double, for seconds: Double, label: String, kind: TimelineEvent.Kind) {
      guard seconds > 0 else { return }
      free[r] = max(free[r], start + seconds)
      busy[r] += seconds
      timeline.append(
        TimelineEvent(resource: names[r], label: label, kind: kind, start: .seconds(start), end: .seconds(start + seconds)))
    }

    func index(_ route: CostModel.Route) -> Int {
      switch route {
      case .link(let l): linkBase + l
      case .globalBuffer: buffer
      }
    }
  }

  public func run(_ mapping: MappingPlan) -> MappingResult {
    let graph = cost.graph
    let arch = cost.architecture
    let problems = mapping.problems(operators: graph.operators.count, tiers: arch.tiers.count)
    if !problems.isEmpty {
      return .failed(problems.map { Infeasibility(tier: "mapping", statement: $0) })
    }
    switch SegmentLayout.ranges(mapping.placements) {
    case .none: break
    case .failure(let why)?: return .failed([why])
    case .success(let ranges)?: return runSegmented(mapping, ranges: ranges)
    }
    var res = Resources(arch)
    var finish = [Double](repeating: 0, count: graph.operators.count)
    var energy = EnergyBreakdown()
    var byTier = [EnergyBreakdown](repeating: EnergyBreakdown(), count: arch.tiers.count)
    var used = [Bool](repeating: false, count: arch.tiers.count)
    var rows: [OperatorCost] = []
    var infeasible: [Infeasibility] = []
    let resident = cost.residency(mapping)

    /// Schedules one share after `ready` and returns its end.
    func schedule(_ s: ShareEstimate, ready: Double, transfersAfter: Double?, label: String) -> Double {
      var start = ready
      for t in s.transfers {
        let r = res.index(t.route)
        let begin = max(transfersAfter ?? finish[t.producer], res.free[r])
        res.occupy(r, from: begin, for: t.seconds, label: "\(graph.operators[t.producer].name) → \(label)", kind: .transfer)
        start = max(start, begin + t.seconds)
      }
      start = max(start, res.free[s.tier])
      if s.dramSeconds > 0 { start = max(start, res.free[res.dram]) }
      if s.bufferSeconds > 0 { start = max(start, res.free[res.buffer]) }
      res.occupy(s.tier, from: start, for: s.seconds, label: label, kind: .compute)
      res.occupy(res.dram, from: start, for: s.dramSeconds, label: "stream ↔ \(label)", kind: .dram)
      res.occupy(res.buffer, from: start, for: s.bufferSeconds, label: "buffer → \(label)", kind: .dram)
      used[s.tier] = true
      var e = s.energy
      e[.movement] = .zero
      byTier[s.tier] += e
      return start + s.seconds
    }

    for (i, op) in graph.operators.enumerated() {
      let placement = mapping.placements[i]
      let estimate: OperatorEstimate
      switch cost.estimate(i, placement: placement, resident: resident[i], placements: mapping.placements) {
      case .failure(let why):
        infeasible.append(
          Infeasibility(
            tier: why.tier, statement: "\(op.name): \(why.statement)", demand: why.demand, bound: why.bound,
            unit: why.unit, levers: why.levers))
        continue
      case .success(let e): estimate = e
      }
      let ready = op.inputs.reduce(0.0) { r, t in cost.producer[t.index].map { max(r, finish[$0]) } ?? r }
      var start = Double.infinity
      var end = ready
      for s in estimate.shares {
        let e = schedule(s, ready: ready, transfersAfter: nil, label: op.name)
        start = min(start, e - s.seconds)
        end = max(end, e)
      }
      if let r = estimate.reduction {
        end = schedule(r, ready: end, transfersAfter: end, label: op.name + " (partial sums)")
      }
      finish[i] = end
      let e = estimate.energy
      energy += e
      var computeEnergy = e
      computeEnergy[.movement] = .zero
      let weighted = estimate.all.reduce((0.0, 0.0)) { acc, s in
        guard let u = s.slice.utilization else { return acc }
        return (acc.0 + u * s.slice.seconds, acc.1 + s.slice.seconds)
      }
      rows.append(
        OperatorCost(
          index: i, name: op.name, label: op.label,
          shares: Dictionary(placement.shares.map { (arch.tiers[$0.tier].id, $0.fraction) }, uniquingKeysWith: +),
          mainTier: arch.tiers[placement.mainTier].id, start: .seconds(start.isFinite ? start : end),
          end: .seconds(end), energy: computeEnergy, movementEnergy: e[.movement], macs: op.macs,
          utilization: weighted.1 > 0 ? weighted.0 / weighted.1 : nil,
          reprogrammed: estimate.shares.contains { $0.reprogrammed }))
    }
    if !infeasible.isEmpty { return .failed(infeasible) }
    let latency = max(res.free.max() ?? 0, 0)
    for t in arch.tiers.indices where used[t] {
      let idle = Energy.joules(cost.idleWatts(t) * max(0, latency - res.busy[t]))
      byTier[t][.idle] = idle
      energy[.idle] = energy[.idle] + idle
    }
    let bottleneck = res.busy.max() ?? 0
    let samples = Double(graph.workload.batch)
    var result = MappingResult(
      infeasible: [], latency: .seconds(latency), throughput: bottleneck > 0 ? samples / bottleneck : 0,
      energy: energy,
      energyByTier: Dictionary(uniqueKeysWithValues: arch.tiers.indices.map { (arch.tiers[$0].id, byTier[$0]) }),
      movementEnergy: energy[.movement], area: arch.computeArea,
      busy: Dictionary(uniqueKeysWithValues: res.names.indices.map { (res.names[$0], Time.seconds(res.busy[$0])) }),
      programmingEnergy: .zero, programmingTime: .zero, operators: rows, timeline: res.timeline)
    (result.programmingEnergy, result.programmingTime) = programming(mapping, resident)
    return result
  }

  /// The one-time cost of writing the resident weights: each resident share's cost when its
  /// weights must be written, minus its cost when they are already there.
  func programming(_ mapping: MappingPlan, _ resident: [[Bool]]) -> (Energy, Time) {
    var energy = 0.0
    var seconds = 0.0
    for (i, p) in mapping.placements.enumerated() where cost.staticWeightBytes(i) > 0 {
      for (s, share) in p.shares.enumerated() where resident[i][s] && cost.weightCapacity[share.tier] != nil {
        guard case .success(let written) = cost.cost(cost.work(i, share: s, of: p, resident: false), on: share.tier),
          case .success(let kept) = cost.cost(cost.work(i, share: s, of: p, resident: true), on: share.tier)
        else { continue }
        energy += max(0, written.energy.total.joules - kept.energy.total.joules)
        seconds += max(0, written.seconds - kept.seconds)
      }
    }
    return (.joules(energy), .seconds(seconds))
  }
}
