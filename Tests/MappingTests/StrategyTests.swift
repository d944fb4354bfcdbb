import Hardware
import HybrixCore
import Testing
import Workloads

@testable import Mapping
@testable import Search

@Suite struct StrategyTests {
  func problem() throws -> MappingProblem {
    MappingProblem(graph: try TestArchitectures.mlp(batch: 64), architecture: try TestArchitectures.twoArrays(), precision: .int8)
  }

  @Test func homogeneousPutsEverythingOnItsTier() throws {
    let p = try problem()
    let r = HomogeneousStrategy(tier: "small").search(p, objective: .latency)
    #expect(r.mapping.placements.allSatisfy { $0 == .on(1) })
    #expect(r.result.isFeasible)
    #expect(r.fallbacks.isEmpty)
  }

  /// The big array is 16× larger at equal energy per MAC, so for latency greedy never does worse
  /// than putting everything on the small one, and it uses the big one for every product.
  @Test func greedyBeatsTheWorseHomogeneous() throws {
    let p = try problem()
    let greedy = GreedyStrategy().search(p, objective: .latency)
    let small = HomogeneousStrategy(tier: "small").search(p, objective: .latency)
    #expect(greedy.result.latency.seconds <= small.result.latency.seconds)
    for (i, op) in p.graph.operators.enumerated() where op.matmul != nil {
      #expect(greedy.mapping.placements[i].fraction(on: 0) >= 0.5, "\(op.name)")
    }
  }

  @Test(arguments: Objective.allCases)
  func greedyIsDeterministic(_ objective: Objective) throws {
    let p = try problem()
    #expect(GreedyStrategy().search(p, objective: objective).mapping == GreedyStrategy().search(p, objective: objective).mapping)
  }

  @Test func unknownStrategyAndTierAreClearErrors() {
    #expect(throws: ConfigError.self) { try StrategyRegistry.strategy(named: "gredy", tiers: ["a"]) }
    do {
      _ = try StrategyRegistry.strategy(named: "homogeneous:bigg", tiers: ["big", "small"])
      Issue.record("accepted")
    } catch {
      #expect(error.hint == "did you mean homogeneous:big?")
    }
  }

  @Test func objectiveScores() {
    #expect(Objective.edp.score(seconds: 2, joules: 3) == 6)
    #expect(Objective.latency.score(MappingResult.failed([Infeasibility(tier: "t", statement: "cannot")])) == .infinity)
  }
}
