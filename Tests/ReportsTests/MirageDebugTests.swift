import Hardware
import HybrixCore
import Mapping
import Testing
import Workloads

@testable import Reports

@Suite struct MirageDebugTests {
  @Test func dump() throws {
    let g = try WorkloadRequest(model: "resnet18", batch: 256, phase: .train).load().graph
    let a = try PresetRegistry.architecture(named: "mirage")
    let c = CostModel(graph: g, architecture: a, precision: .fp32)
    let r = ScheduleSimulator(cost: c).run(MappingPlan(placements: g.operators.indices.map { .on(g.operators[$0].matmul != nil ? 1 : 0) }))
    for o in r.operators.sorted(by: { ($0.end - $0.start).seconds > ($1.end - $1.start).seconds }).prefix(12) {
      print(o.name, o.mainTier, (o.end - o.start).seconds, o.energy.total.joules, o.movementEnergy.joules, o.utilization ?? -1)
    }
    print(r.busy)
  }
}
