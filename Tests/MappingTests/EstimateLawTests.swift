import Hardware
import HybrixCore
import Testing
import Workloads

@testable import Mapping

/// What a strategy estimates equals what the simulator reports (issue 8 §1.6): on every mapping
/// with every operator on one tier the sums are exact; on mixed mappings the energy minus the idle
/// energy is exact and the latency is bounded by the serial sum.
@Suite struct EstimateLawTests {
  /// Small zoo workloads that every kind of tier sees.
  static func workloads() throws -> [Graph] {
    [
      try ModelZoo.model(named: "mlp").graph(),
      try ModelZoo.model(named: "lenet5").graph(),
      try ModelZoo.model(named: "small-cnn").graph(ZooOptions(batch: 2)),
      try ModelZoo.model(named: "resnet20").graph(),
      try ModelZoo.model(named: "mobilenetv2").graph(ZooOptions(imageSize: 64)),
      try ModelZoo.model(named: "bert-base").graph(ZooOptions(sequenceLength: 16)),
      try ModelZoo.model(named: "gpt2").graph(ZooOptions(sequenceLength: 32, phase: .decode)),
    ]
  }

  static func sums(_ cost: CostModel, _ mapping: MappingPlan) -> (serial: Double, joules: Double)? {
    let resident = cost.residency(mapping)
    var seconds = 0.0
    var joules = 0.0
    for i in mapping.placements.indices {
      guard
        case .success(let e) = cost.estimate(
          i, placement: mapping.placements[i], resident: resident[i], placements: mapping.placements)
      else { return nil }
      seconds += e.serialSeconds
      joules += e.joules
    }
    return (seconds, joules)
  }

  @Test func singleTierMappingsAddUpExactly() throws {
    var checked = 0
    for preset in PresetRegistry.all {
      let arch = try preset.architecture()
      for g in try Self.workloads() {
        let cost = CostModel(graph: g, architecture: arch, precision: .int8)
        for t in arch.tiers.indices {
          let mapping = MappingPlan.uniform(t, operators: g.operators.count)
          let r = ScheduleSimulator(cost: cost).run(mapping)
          guard r.isFeasible else { continue }
          let s = try #require(Self.sums(cost, mapping))
          let where_ = "\(g.name) on \(arch.name)/\(arch.tiers[t].id)"
          #expect(abs(r.latency.seconds - s.serial) <= 1e-9 * s.serial, "\(where_): latency")
          #expect(abs(r.energy.total.joules - s.joules) <= 1e-9 * s.joules, "\(where_): energy")
          #expect(r.energy[.idle].joules <= 1e-12 * s.joules, "\(where_): a tier busy all run waits for nothing")
          checked += 1
        }
      }
    }
    // 5 presets × 7 workloads × the tiers that run everything (digital, CIM, analog): 59 today.
    #expect(checked >= 55, "only \(checked) single-tier mappings were feasible")
  }

  @Test func mixedMappingsObeyTheirBounds() throws {
    var checked = 0
    for preset in PresetRegistry.all {
      let arch = try preset.architecture()
      guard arch.tiers.count > 1 else { continue }
      for g in try Self.workloads().prefix(4) {
        let cost = CostModel(graph: g, architecture: arch, precision: .int8)
        var rng = SplitMix64(seed: 42)
        for _ in 0..<20 {
          let placements = g.operators.indices.map { i -> Placement in
            let ok = arch.tiers.indices.filter { (try? cost.slice(i, tier: $0).get()) != nil }
            let a = ok[Int(rng.next() % UInt64(ok.count))]
            let b = ok[Int(rng.next() % UInt64(ok.count))]
            if a == b || rng.next() % 2 == 0 { return .on(a) }
            let f = 0.1 + 0.8 * rng.nextUnitDouble()
            // A k split only of a matrix product (``SplitRule``): others are refused, not priced.
            let axes: [SplitAxis] = g.operators[i].matmul != nil ? [.m, .n, .k] : [.m, .n, .m]
            return Placement(
              shares: [TierShare(tier: a, fraction: f), TierShare(tier: b, fraction: 1 - f)],
              axis: axes[Int(rng.next() % 3)])
          }
          let mapping = MappingPlan(placements: placements)
          let r = ScheduleSimulator(cost: cost).run(mapping)
          guard r.isFeasible, let s = Self.sums(cost, mapping) else { continue }
          let busyJoules = r.energy.total.joules - r.energy[.idle].joules
          #expect(abs(busyJoules - s.joules) <= 1e-9 * s.joules, "\(g.name) on \(arch.name)")
          #expect(r.latency.seconds <= s.serial * (1 + 1e-9), "\(g.name) on \(arch.name)")
          checked += 1
        }
      }
    }
    #expect(checked >= 40, "only \(checked) random mixed mappings were feasible")
  }
}
