import Hardware
import HybrixCore
import Workloads

/// Turns a mapped graph into a schedule by list scheduling in graph order.
///
/// Resources are the tiers, the DRAM channel, the global buffer and each link; each does one
/// thing at a time. An operator share starts when its inputs have arrived and its tier is free.
/// Inputs produced on another tier move over their link (or through the global buffer) after the
/// producer ends; model inputs, KV-cache reads, weights that are not resident on a tier without
/// weight storage, and activations that overflow the global buffer come from DRAM, which loads
/// ahead (prefetch) as soon as the channel is free — an optimistic assumption that buffers are
/// large enough to hold prefetched data. Pipelined throughput treats consecutive batches as a
/// pipeline limited by the busiest resource.
public struct ScheduleSimulator: Sendable {
  public let cost: CostModel

  public init(cost: CostModel) { self.cost = cost }

  public func run(_ mapping: Mapping) -> MappingResult {
    let graph = cost.graph
    let arch = cost.architecture
    let precision = cost.precision
    let problems = mapping.problems(operators: graph.operators.count, tiers: arch.tiers.count)
    if !problems.isEmpty {
      return .failed(problems.map { Infeasibility(tier: "mapping", statement: $0) })
    }
    let tierCount = arch.tiers.count
    let dramIndex = tierCount
    let bufferIndex = tierCount + 1
    let linkBase = tierCount + 2
    var names = arch.tiers.map(\.id) + ["dram", "global-buffer"]
    names += arch.links.map { "link \($0.from)↔\($0.to)" }
    var free = [Double](repeating: 0, count: names.count)
    var busy = [Double](repeating: 0, count: names.count)
    var finish = [Double](repeating: 0, count: graph.operators.count)
    var energy = EnergyBreakdown()
    var byTier = [EnergyBreakdown](repeating: EnergyBreakdown(), count: tierCount)
    var movement = 0.0
    var rows: [OperatorCost] = []
    var timeline: [TimelineEvent] = []
    var infeasible: [Infeasibility] = []
    let producer = graph.producers()
    let resident = cost.residency(mapping)
    let bufferBytes = arch.memory.globalBuffer.bytes
    let modelWeightBytes = Double(precision.bytes(graph.parameterCount, .weight))

    func occupy(_ r: Int, after ready: Double, for seconds: Double, label: String, kind: TimelineEvent.Kind) -> Double {
      let start = max(ready, free[r])
      let end = start + seconds
      free[r] = end
      busy[r] += seconds
      if seconds > 0 {
        timeline.append(TimelineEvent(resource: names[r], label: label, kind: kind, start: .seconds(start), end: .seconds(end)))
      }
      return end
    }

    for (i, op) in graph.operators.enumerated() {
      let placement = mapping.placements[i]
      var opEnergy = EnergyBreakdown()
      var opMovement = 0.0
      var opStart = Double.infinity
      var opEnd = 0.0
      var utilizationSum = 0.0
      var utilizationWeight = 0.0
      var reprogrammed = false
      let opBytes = op.bytes(at: precision)
      for (s, share) in placement.shares.enumerated() {
        let t = share.tier
        let isResident = resident[i][s]
        reprogrammed = reprogrammed || !isResident
        var ready = 0.0
        // Inputs from other operators.
        for input in op.inputs {
          guard let p = producer[input.index] else { continue }
          let elements = Double(graph[input].shape.elementCount)
          let needed = precisionBytes(elements, graph[input].role) * (placement.axis == .rows ? share.fraction : 1)
          for src in mapping.placements[p].shares where src.tier != t {
            let bytes = needed * src.fraction
            guard let move = cost.transfer(bytes, from: src.tier, to: t) else { continue }
            let r: Int
            switch move.route {
            case .link(let l): r = linkBase + l
            case .globalBuffer: r = bufferIndex
            }
            let end = occupy(r, after: finish[p], for: move.seconds, label: "\(graph.operators[p].name) → \(op.name)", kind: .transfer)
            ready = max(ready, end)
            opMovement += move.joules
          }
          ready = max(ready, finish[p])
          // An activation larger than the global buffer was spilled to DRAM and is read back.
          if needed > bufferBytes {
            let d = cost.dram(needed)
            ready = max(ready, occupy(dramIndex, after: finish[p], for: d.seconds, label: "spill read → \(op.name)", kind: .dram))
            opMovement += d.joules
          }
        }
        // DRAM reads: model inputs, KV cache, streamed weights.
        var dramBytes = Double(opBytes.kvCache) * (placement.axis == .rows ? share.fraction : 1)
        for input in op.inputs where graph[input].role == .input {
          dramBytes += precisionBytes(Double(graph[input].shape.elementCount), .input)
        }
        let weightShare = Double(opBytes.weights) * (placement.axis == .rows ? 1 : share.fraction)
        let holdsWeights = arch.tiers[t].weightCapacityBytes(weightBits: precision.weightBits) != nil
        if op.secondOperand == .staticWeight || op.matmul == nil {
          if !holdsWeights || !isResident {
            // Weights come from DRAM unless the whole model fits in the global buffer.
            if modelWeightBytes > bufferBytes { dramBytes += weightShare }
          }
        }
        if dramBytes > 0 {
          let d = cost.dram(dramBytes)
          ready = max(ready, occupy(dramIndex, after: 0, for: d.seconds, label: "load → \(op.name)", kind: .dram))
          opMovement += d.joules
        }
        switch cost.slice(i, tier: t, fraction: share.fraction, axis: placement.axis, resident: isResident) {
        case .failure(let why):
          infeasible.append(Infeasibility(
            tier: why.tier, statement: "\(op.name): \(why.statement)", demand: why.demand, bound: why.bound,
            unit: why.unit, levers: why.levers))
        case .success(let c):
          let end = occupy(t, after: ready, for: c.seconds, label: op.name, kind: .compute)
          opStart = min(opStart, end - c.seconds)
          opEnd = max(opEnd, end)
          opEnergy += c.energy
          byTier[t] += c.energy
          if let u = c.utilization {
            utilizationSum += u * c.seconds
            utilizationWeight += c.seconds
          }
        }
      }
      // Outputs that overflow the global buffer are written to DRAM.
      let outBytes = Double(opBytes.out)
      if outBytes > bufferBytes {
        let d = cost.dram(outBytes)
        _ = occupy(dramIndex, after: opEnd, for: d.seconds, label: "spill write ← \(op.name)", kind: .dram)
        opMovement += d.joules
      }
      finish[i] = opEnd
      energy += opEnergy
      movement += opMovement
      rows.append(
        OperatorCost(
          index: i, name: op.name, label: op.label,
          shares: Dictionary(placement.shares.map { (arch.tiers[$0.tier].id, $0.fraction) }, uniquingKeysWith: +),
          mainTier: arch.tiers[placement.mainTier].id, start: .seconds(opStart.isFinite ? opStart : opEnd),
          end: .seconds(opEnd), energy: opEnergy, movementEnergy: .joules(opMovement), macs: op.macs,
          utilization: utilizationWeight > 0 ? utilizationSum / utilizationWeight : nil,
          reprogrammed: reprogrammed && op.secondOperand == .staticWeight))
    }
    if !infeasible.isEmpty { return .failed(infeasible) }
    energy[.movement] = .joules(movement)
    let latency = max(free.max() ?? 0, 0)
    let bottleneck = busy.max() ?? 0
    let samples = Double(graph.workload.batch)
    var result = MappingResult(
      infeasible: [], latency: .seconds(latency), throughput: bottleneck > 0 ? samples / bottleneck : 0,
      energy: energy,
      energyByTier: Dictionary(uniqueKeysWithValues: arch.tiers.indices.map { (arch.tiers[$0].id, byTier[$0]) }),
      movementEnergy: .joules(movement), area: arch.computeArea,
      busy: Dictionary(uniqueKeysWithValues: names.indices.map { (names[$0], Time.seconds(busy[$0])) }),
      programmingEnergy: .zero, programmingTime: .zero, operators: rows, timeline: timeline)
    (result.programmingEnergy, result.programmingTime) = programming(mapping, resident)
    return result
  }

  func precisionBytes(_ elements: Double, _ role: TensorRole) -> Double {
    elements * Double(cost.precision.bits(for: role)) / 8
  }

  /// The one-time cost of writing the resident weights: each resident share's cost when its
  /// weights must be written, minus its cost when they are already there.
  func programming(_ mapping: Mapping, _ resident: [[Bool]]) -> (Energy, Time) {
    var energy = 0.0
    var seconds = 0.0
    for (i, p) in mapping.placements.enumerated() where cost.graph.operators[i].secondOperand == .staticWeight {
      for (s, share) in p.shares.enumerated() where resident[i][s] {
        guard cost.architecture.tiers[share.tier].weightCapacityBytes(weightBits: cost.precision.weightBits) != nil,
          case .success(let written) = cost.slice(i, tier: share.tier, fraction: share.fraction, axis: p.axis, resident: false),
          case .success(let kept) = cost.slice(i, tier: share.tier, fraction: share.fraction, axis: p.axis, resident: true)
        else { continue }
        energy += max(0, written.energy.total.joules - kept.energy.total.joules)
        seconds += max(0, written.seconds - kept.seconds)
      }
    }
    return (.joules(energy), .seconds(seconds))
  }
}
