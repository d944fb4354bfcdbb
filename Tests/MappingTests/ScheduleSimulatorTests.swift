import HybrixTestSupport
import Hardware
import HybrixCore
import PropertyBased
import Testing
import Workloads

@testable import Mapping

@Suite struct ScheduleSimulatorTests {
  /// Operators never start before their inputs end.
  @Test func dependenciesAreRespected() throws {
    let g = try TestArchitectures.mlp()
    let arch = try TestArchitectures.twoArrays()
    let placements = g.operators.indices.map { Placement.on($0 % 2) }
    let r = ScheduleSimulator(cost: CostModel(graph: g, architecture: arch, precision: .int8)).run(MappingPlan(placements: placements))
    let preds = g.predecessors()
    for (i, row) in r.operators.enumerated() {
      for p in preds[i] { #expect(row.start.seconds >= r.operators[p].end.seconds - 1e-15, "\(row.name) starts before \(r.operators[p].name) ends") }
    }
  }

  /// Doubling a link's bandwidth never raises latency, for random mappings of the MLP over two
  /// tiers (including splits).
  @Test func fasterLinkNeverSlower() async throws {
    let g = try TestArchitectures.mlp()
    let slow = CostModel(graph: g, architecture: try TestArchitectures.twoArrays(linkGBps: 8), precision: .int8)
    let fast = CostModel(graph: g, architecture: try TestArchitectures.twoArrays(linkGBps: 16), precision: .int8)
    await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
      var rng = SplitMix64(seed: UInt64(seed))
      let placements = g.operators.indices.map { i -> Placement in
        switch rng.next() % 3 {
        case 0: return .on(0)
        case 1: return .on(1)
        default:
          let f = 0.1 + 0.8 * rng.nextUnitDouble()
          // A k split only of a matrix product (``SplitRule``): others are refused, not priced.
          let axes: [SplitAxis] = g.operators[i].matmul != nil ? [.m, .n, .k] : [.m, .n, .m]
          return Placement(shares: [TierShare(tier: 0, fraction: f), TierShare(tier: 1, fraction: 1 - f)], axis: axes[Int(rng.next() % 3)])
        }
      }
      let m = MappingPlan(placements: placements)
      let slowRun = ScheduleSimulator(cost: slow).run(m)
      #expect(slowRun.isFeasible, "\(slowRun.infeasible)")
      let a = slowRun.latency.seconds
      let b = ScheduleSimulator(cost: fast).run(m).latency.seconds
      #expect(b <= a * (1 + 1e-12), "doubling the link raised latency from \(a) to \(b)")
    }
  }

  @Test func malformedMappingIsAnInfeasibleResult() throws {
    let g = try TestArchitectures.mlp()
    let sim = ScheduleSimulator(cost: CostModel(graph: g, architecture: try TestArchitectures.twoArrays(), precision: .int8))
    let short = sim.run(MappingPlan(placements: [.on(0)]))
    #expect(!short.isFeasible)
    var bad = MappingPlan.uniform(0, operators: g.operators.count)
    bad.placements[1] = Placement(shares: [TierShare(tier: 0, fraction: 0.5), TierShare(tier: 7, fraction: 0.5)])
    let r = sim.run(bad)
    #expect(!r.isFeasible)
    #expect(r.infeasible.contains { $0.statement.contains("tier index 7") })
  }

  /// Transfers between tiers use the link when there is one, the global buffer otherwise.
  @Test func transfersPickTheirRoute() throws {
    let g = try TestArchitectures.mlp()
    let linked = CostModel(graph: g, architecture: try TestArchitectures.twoArrays(), precision: .int8)
    let unlinked = CostModel(graph: g, architecture: try TestArchitectures.twoArrays(withLink: false), precision: .int8)
    #expect(linked.transfer(1e6, from: 0, to: 1)?.route == .link(0))
    #expect(unlinked.transfer(1e6, from: 0, to: 1)?.route == .globalBuffer)
    #expect(linked.transfer(1e6, from: 1, to: 1) == nil)
    // 1 MB over 64 GB/s.
    #expect(abs((linked.transfer(1e6, from: 0, to: 1)?.seconds ?? 0) - 1e6 / 64e9) < 1e-15)
  }
}
