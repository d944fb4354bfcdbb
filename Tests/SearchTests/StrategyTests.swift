import Hardware
import HybrixCore
import HybrixTestSupport
import Testing
import Workloads

@testable import Mapping
@testable import Search

@Suite struct StrategyTests {
  func explorer() throws -> Explorer {
    Explorer(graph: try TestArchitectures.mlp(batch: 64), architecture: try TestArchitectures.twoArrays(), precision: .int8)
  }

  @Test func homogeneousPutsEverythingOnItsTier() async throws {
    let r = try await explorer().run(HomogeneousStrategy(tier: "small"), goal: .minimise(.latency))
    #expect(r.mapping.placements.allSatisfy { $0 == .on(1) })
    #expect(r.result.isFeasible)
    #expect(r.fallbacks.isEmpty)
    #expect(r.statistics.evaluations == 1)
  }

  /// The big array is 16× larger at equal energy per MAC, so for latency greedy never does worse
  /// than putting everything on the small one, and it uses the big one for every product.
  @Test func greedyBeatsTheWorseHomogeneous() async throws {
    let e = try explorer()
    let greedy = try await e.run(GreedyStrategy(), goal: .minimise(.latency))
    let small = try await e.run(HomogeneousStrategy(tier: "small"), goal: .minimise(.latency))
    #expect(greedy.result.latency.seconds <= small.result.latency.seconds)
    for (i, op) in e.graph.operators.enumerated() where op.matmul != nil {
      #expect(greedy.mapping.placements[i].fraction(on: 0) >= 0.5, "\(op.name)")
    }
  }

  /// For area, greedy keeps to the tiers it already uses: the MLP fits on one array.
  @Test func greedyForAreaUsesOneTier() async throws {
    let r = try await explorer().run(GreedyStrategy(), goal: .minimise(.area))
    let used = Set(r.mapping.placements.flatMap { $0.shares.map(\.tier) })
    #expect(used.count == 1)
    #expect(r.front.points.first?.cost.area == (try TestArchitectures.twoArrays()).tiers[used.first ?? 0].area)
  }

  @Test func unknownStrategyAndTierAreClearErrors() {
    #expect(throws: ConfigError.self) { try StrategyRegistry.strategy(named: "gredy", tiers: ["a"]) }
    do {
      _ = try StrategyRegistry.strategy(named: "homogeneous:bigg", tiers: ["big", "small"])
      Issue.record("accepted")
    } catch {
      #expect(error.hint == "did you mean homogeneous:big?")
    }
    do {
      _ = try StrategyRegistry.strategy(named: "gredy", tiers: ["a"])
    } catch {
      #expect(error.hint == "did you mean greedy?")
      #expect(error.expected?.contains("homogeneous:<tier>") == true)
    }
    #expect(throws: ConfigError.self) { try StrategyRegistry.strategy(named: "homogeneous", tiers: ["a"]) }
    #expect(throws: ConfigError.self) { try StrategyRegistry.strategy(named: "greedy:x", tiers: ["a"]) }
    #expect(throws: ConfigError.self) { try StrategyRegistry.strategy(named: "greedy", tiers: ["a"], options: ["depth": "2"]) }
  }

  @Test func goalScores() {
    #expect(Goal.minimise(.edp).score(seconds: 2, joules: 3) == 6)
    #expect(Goal.minimise(.energy).score(seconds: 2, joules: 3) == 3)
    let c = CostVector(latency: .seconds(2), energy: .joules(3), area: .squareMillimetres(5))
    #expect(c.value(.edp) == 6)
    #expect(c.value(.area) == Area.squareMillimetres(5).baseValue)
  }
}
