import Hardware
import HybrixCore
import Workloads

extension ScheduleSimulator {
  /// Runs a segmented plan (``ArrayAllocation``): segments one after another, each starting
  /// when the previous ends, with its boundary (mode switches, write-back) first; then its
  /// operators side by side for ``SegmentSpan/seconds(_:allocated:)``: each operator with
  /// arrays on its own arrays from the segment's start, everything else one after another on
  /// the resource it uses. Nothing is priced here: the shares, boundaries and spans are the
  /// cost model's, the same the compiler minimises.
  ///
  /// Static energy: an operator on its arrays is charged their share of the tier's static
  /// power; the tier's idle energy covers the rest of the run, so the tier draws its full
  /// static power for the whole run.
  func runSegmented(_ mapping: MappingPlan, ranges: [Range<Int>]) -> MappingResult {
    let graph = cost.graph
    let arch = cost.architecture
    var res = Resources(arch)
    var energy = EnergyBreakdown()
    var byTier = [EnergyBreakdown](repeating: EnergyBreakdown(), count: arch.tiers.count)
    var used = [Bool](repeating: false, count: arch.tiers.count)
    var rows: [OperatorCost] = []
    var infeasible: [Infeasibility] = []
    let resident = cost.residency(mapping)
    var clock = 0.0
    for range in ranges {
      infeasible += cost.segmentProblems(range, placements: mapping.placements)
      var estimates: [OperatorEstimate] = []
      for i in range {
        switch cost.estimate(i, placement: mapping.placements[i], resident: resident[i], placements: mapping.placements) {
        case .failure(let why):
          infeasible.append(
            Infeasibility(
              tier: why.tier, statement: "\(graph.operators[i].name): \(why.statement)", demand: why.demand,
              bound: why.bound, unit: why.unit, levers: why.levers))
        case .success(let e): estimates.append(e)
        }
      }
      guard infeasible.isEmpty else { continue }
      let allocated = range.map { mapping.placements[$0].arrays != nil }
      // The boundary, on the whole tier: switches, then write-back through the memories.
      var start = clock
      for (e, i) in zip(estimates, range) {
        guard let b = e.boundary else { continue }
        let label = "\(graph.operators[i].name) (segment boundary)"
        res.occupy(b.tier, from: start, for: b.seconds, label: label, kind: .compute)
        res.occupy(res.dram, from: start + b.slice.seconds, for: b.dramSeconds, label: label, kind: .dram)
        res.occupy(res.buffer, from: start + b.slice.seconds, for: b.bufferSeconds, label: label, kind: .dram)
        used[b.tier] = true
        var be = b.energy
        be[.movement] = .zero
        byTier[b.tier] += be
        start += b.seconds
      }
      let end = start + SegmentSpan.seconds(estimates, allocated: allocated)
      for r in res.free.indices { res.free[r] = max(res.free[r], start) }
      for (n, (e, i)) in zip(estimates, range).enumerated() {
        let op = graph.operators[i]
        var first = Double.infinity
        var last = start
        for (s, share) in (e.shares + (e.reduction.map { [$0] } ?? [])).enumerated() {
          for t in share.transfers {
            let r = res.index(t.route)
            res.occupy(r, from: res.free[r], for: t.seconds, label: "\(graph.operators[t.producer].name) → \(op.name)", kind: .transfer)
          }
          let begin: Double
          if allocated[n], s < e.shares.count, let a = mapping.placements[i].arrays {
            // On its own arrays: from the segment's start; the tier is busy for its arrays' share.
            begin = start
            if share.seconds > 0 {
              res.timeline.append(
                TimelineEvent(resource: res.names[share.tier], label: op.name, kind: .compute, start: .seconds(begin), end: .seconds(begin + share.seconds)))
              let count = Double(max(1, arch.tiers[share.tier].common.count))
              res.busy[share.tier] += share.seconds * min(1, Double(a.compute + a.inputBuffers + a.outputBuffers) / count)
            }
          } else {
            begin = res.free[share.tier]
            res.occupy(share.tier, from: begin, for: share.seconds, label: op.name, kind: .compute)
          }
          res.occupy(res.dram, from: res.free[res.dram], for: share.dramSeconds, label: "stream ↔ \(op.name)", kind: .dram)
          res.occupy(res.buffer, from: res.free[res.buffer], for: share.bufferSeconds, label: "buffer → \(op.name)", kind: .dram)
          used[share.tier] = true
          var se = share.energy
          se[.movement] = .zero
          byTier[share.tier] += se
          first = min(first, begin)
          last = max(last, begin + share.seconds)
        }
        let oe = e.energy
        energy += oe
        var computeEnergy = oe
        computeEnergy[.movement] = .zero
        let placement = mapping.placements[i]
        let weighted = e.all.reduce((0.0, 0.0)) { acc, s in
          guard let u = s.slice.utilization else { return acc }
          return (acc.0 + u * s.slice.seconds, acc.1 + s.slice.seconds)
        }
        rows.append(
          OperatorCost(
            index: i, name: op.name, label: op.label,
            shares: Dictionary(placement.shares.map { (arch.tiers[$0.tier].id, $0.fraction) }, uniquingKeysWith: +),
            mainTier: arch.tiers[placement.mainTier].id, start: .seconds(first.isFinite ? first : start),
            end: .seconds(last), energy: computeEnergy, movementEnergy: oe[.movement], macs: op.macs,
            utilization: weighted.1 > 0 ? weighted.0 / weighted.1 : nil,
            reprogrammed: e.shares.contains { $0.reprogrammed }))
      }
      clock = end
      for r in res.free.indices { res.free[r] = max(res.free[r], end) }
    }
    if !infeasible.isEmpty { return .failed(infeasible) }
    let latency = clock
    for t in arch.tiers.indices where used[t] {
      let idle = Energy.joules(cost.idleWatts(t) * max(0, latency - res.busy[t]))
      byTier[t][.idle] = idle
      energy[.idle] = energy[.idle] + idle
    }
    let bottleneck = res.busy.max() ?? 0
    return MappingResult(
      infeasible: [], latency: .seconds(latency),
      throughput: bottleneck > 0 ? Double(graph.workload.batch) / bottleneck : 0, energy: energy,
      energyByTier: Dictionary(uniqueKeysWithValues: arch.tiers.indices.map { (arch.tiers[$0].id, byTier[$0]) }),
      movementEnergy: energy[.movement], area: arch.computeArea,
      busy: Dictionary(uniqueKeysWithValues: res.names.indices.map { (res.names[$0], Time.seconds(res.busy[$0])) }),
      programmingEnergy: .zero, programmingTime: .zero, operators: rows, timeline: res.timeline)
  }
}
