import HybrixCore
import Testing
import Workloads

@testable import Hardware
@testable import Mapping
@testable import Search

/// H3PIMAP's stage 1 as a strategy: its front is never worse than the baselines it starts from,
/// its options are checked, and the pieces it is made of keep their laws.
@Suite struct H3PIMAPStrategyTests {
  /// Every homogeneous mapping, the equal split and greedy are each weakly dominated by a point
  /// of the front (simulator figures, latency and energy).
  @Test(arguments: ["h3pimap", "mirage", "cmswitch"])
  func frontMatchesOrBeatsEveryBaseline(preset: String) async throws {
    var checked = 0
    for (model, options) in [("resnet20", ZooOptions()), ("bert-base", ZooOptions(sequenceLength: 8))] {
      let explorer = try StrategyConformanceTests.explorer(model, options, preset)
      let goal = Goal([.latency, .energy])
      let r = try await explorer.run(H3PIMAPStrategy(population: 16, generations: 10), goal: goal, seed: 3)
      #expect(r.front.count >= 1)
      var baselines: [any SearchStrategy] = explorer.architecture.tiers.map { HomogeneousStrategy(tier: $0.id) }
      baselines.append(GreedyStrategy())
      for b in baselines {
        guard let p = try await explorer.run(b, goal: goal).front.points.first else { continue }
        let covered = r.front.points.contains { q in
          q.cost.latency.seconds <= p.cost.latency.seconds && q.cost.energy.joules <= p.cost.energy.joules
        }
        #expect(covered, "\(b.name) on \(model)/\(preset) (\(p.cost.latency), \(p.cost.energy)) beats every front point")
        checked += 1
      }
      // The equal split, as the strategy builds it.
      let curves = CostCurves(problem: explorer.problem(), grid: 16)
      let equal = curves.space.plan(curves.space.equalSplit(fallback: explorer.problem().hostTier))
      let e = explorer.simulator.run(equal)
      if e.isFeasible {
        #expect(r.front.points.contains { $0.cost.latency <= e.latency && $0.cost.energy <= e.energy.total })
        checked += 1
      }
    }
    #expect(checked >= 8)
  }

  @Test func optionsAreCheckedWithClearErrors() throws {
    let tiers = ["host", "reram0"]
    let s = try StrategyRegistry.strategy(named: "h3pimap", tiers: tiers, options: ["population": "32", "generations": "5", "grid": "16"])
    let h = try #require(s as? H3PIMAPStrategy)
    #expect(h.population == 32 && h.generations == 5 && h.grid == 16)
    for (k, v) in [("population", "2"), ("generations", "-1"), ("grid", "x"), ("populaton", "8")] {
      do {
        _ = try StrategyRegistry.strategy(named: "h3pimap", tiers: tiers, options: [k: v])
        Issue.record("\(k)=\(v) accepted")
      } catch {
        #expect(error.path == "--strategy-option")
      }
    }
  }

  /// Plans of the space are well-formed and round-trip through `nearest`; the equal split deals
  /// the grid evenly.
  @Test func splitSpacePointsAreWellFormed() throws {
    let explorer = try StrategyConformanceTests.explorer("resnet20", ZooOptions(), "h3pimap")
    let problem = explorer.problem()
    let space = CostCurves(problem: problem, grid: 16).space
    var rng = SplitMix64(seed: 9)
    var cases = 0
    for _ in 0..<30 {
      let g = NSGA2(population: 4, generations: 0).randomPoint(space, rng: &rng)
      #expect(space.contains(g))
      let plan = space.plan(g)
      #expect(plan.problems(operators: space.operatorCount, tiers: space.tierCount).isEmpty)
      #expect(space.nearest(plan) == g)
      cases += 1
    }
    let equal = space.equalSplit(fallback: problem.hostTier)
    for op in 0..<space.operatorCount where space.splittable[op] {
      let row = equal.row(op, space.tierCount).filter { $0 > 0 }
      #expect(row.count == space.allowed[op].count && (row.max() ?? 0) - (row.min() ?? 0) <= 1)
      cases += 1
    }
    #expect(cases > 30)
  }
}

/// Records what the separable model asks for.
final class RecordingCurves: ShareCostSource {
  var asked: [[Int]: Bool] = [:]
  func cost(op: Int, tier: Int, units: Int, resident: Bool) -> ShareCost? {
    asked[[op, tier, units]] = resident
    return ShareCost(seconds: 1, joules: 1)
  }
}

@Suite struct SeparableModelResidencyTests {
  /// The model's inline residency rule decides exactly as ``Residency/admit(_:weightBytes:)``
  /// does for the same plan, on a preset whose tiers run out of room.
  @Test func residencyMatchesTheSimulatorsRule() throws {
    let explorer = try StrategyConformanceTests.explorer("resnet50", ZooOptions(), "cmswitch")
    let problem = explorer.problem()
    let space = CostCurves(problem: problem, grid: 16).space
    var rng = SplitMix64(seed: 4)
    var shares = 0
    var evicted = 0
    for _ in 0..<20 {
      let g = NSGA2(population: 4, generations: 0).randomPoint(space, rng: &rng)
      let rec = RecordingCurves()
      let model = SeparableModel(space: space, source: rec, tierAreas: problem.tierAreas.map(\.baseValue), weightBytes: problem.weightBytes, residency: problem.residency)
      _ = model.cost(g)
      var r = problem.residency
      for op in 0..<space.operatorCount {
        let p = space.placement(g, op: op)
        for (s, ok) in r.admit(p, weightBytes: problem.weightBytes[op]).enumerated() {
          let units = g[op, p.shares[s].tier, space.tierCount]
          #expect(rec.asked[[op, p.shares[s].tier, units]] == ok)
          shares += 1
          if !ok { evicted += 1 }
        }
      }
    }
    #expect(shares > 100)
    #expect(evicted > 0, "no share ran out of room: the law checked only the easy case")
  }
}
