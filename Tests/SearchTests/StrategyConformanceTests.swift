import Hardware
import HybrixCore
import Testing
import Workloads

@testable import Mapping
@testable import Search

/// Laws every registered strategy obeys, on small graphs and every preset [issue 9]: what it
/// returns is feasible under the simulator with the figures it claims; no point of its front
/// dominates another; the same seed gives the same front bit for bit; a budget is honoured and
/// reported; an impossible constraint is an infeasible result with its reason, never a crash.
/// A new strategy is covered by adding its one line to ``StrategyRegistry/builtIn``.
@Suite struct StrategyConformanceTests {
  static let graphs: [(String, ZooOptions)] = [
    ("lenet5", ZooOptions()), ("mlp", ZooOptions(batch: 4)), ("resnet20", ZooOptions()),
    ("bert-base", ZooOptions(sequenceLength: 8)),
  ]
  static let goals: [Goal] = [
    .minimise(.latency), .minimise(.energy), .minimise(.edp), .minimise(.area), Goal([.latency, .energy]),
  ]

  /// Every registered strategy, instantiated for the architecture (one per tier when it takes a tier).
  static func strategies(_ arch: Architecture) throws -> [any SearchStrategy] {
    let ids = arch.tiers.map(\.id)
    var out: [any SearchStrategy] = []
    let hasAnalog = arch.tiers.contains { type(of: $0).kind == .analog }
    for entry in StrategyRegistry.builtIn {
      // LionHeart needs an analog tier (its absence is a ConfigError, LionHeartStrategyTests).
      if entry.name == LionHeartStrategy.name, !hasAnalog { continue }
      if entry.argument == nil {
        out.append(try StrategyRegistry.strategy(named: entry.name, tiers: ids))
      } else {
        for id in ids { out.append(try StrategyRegistry.strategy(named: "\(entry.name):\(id)", tiers: ids)) }
      }
    }
    return out
  }

  static func explorer(_ model: String, _ options: ZooOptions, _ preset: String) throws -> Explorer {
    let graph = try ModelZoo.model(named: model).graph(options).loweredForDeployment().graph
    let arch = try PresetRegistry.architecture(named: preset)
    // An exact accuracy probe (1 point per analog operator) for strategies that need one.
    let digital = Set(arch.tiers.indices.filter { type(of: arch.tiers[$0]).kind == .digital })
    return Explorer(graph: graph, architecture: arch, precision: .int8, accuracy: WeightedProbe(digital: digital))
  }

  /// `goal`, with the accuracy threshold LionHeart decides by (2 points at 1 d) for lionheart.
  static func goal(_ goal: Goal, for strategy: any SearchStrategy) -> Goal {
    guard strategy is LionHeartStrategy else { return goal }
    return Goal(goal.objectives, constraints: goal.constraints + [.accuracyDrop(points: 2, at: .seconds(86_400))])
  }

  func same(_ a: ParetoFront, _ b: ParetoFront) -> Bool {
    a.points.count == b.points.count
      && zip(a.points, b.points).allSatisfy { $0.plan == $1.plan && $0.cost == $1.cost && $0.result == $1.result }
  }

  @Test(arguments: PresetRegistry.names)
  func frontsAreFeasibleNonDominatedAndReproducible(preset: String) async throws {
    var points = 0
    var runs = 0
    var feasibleRuns = 0
    for (model, options) in Self.graphs {
      let explorer = try Self.explorer(model, options, preset)
      let checker = Explorer(graph: explorer.graph, architecture: explorer.architecture, precision: .int8)
      for strategy in try Self.strategies(explorer.architecture) {
        for plain in Self.goals {
          let goal = Self.goal(plain, for: strategy)
          let r = try await explorer.run(strategy, goal: goal, seed: 7)
          runs += 1
          #expect(r.statistics.evaluations >= 1, "\(strategy.name) on \(model)/\(preset) evaluated nothing")
          #expect(r.statistics.stoppedBy == nil)
          #expect(r.front.objectives == goal.objectives)
          if r.isFeasible { feasibleRuns += 1 } else {
            // Nothing feasible: the report's result says why, from the ledger's count.
            let (feasible, reasons) = (r.result.isFeasible, r.result.infeasible.count)
            #expect(!feasible && reasons > 0)
            #expect(r.statistics.infeasible == r.statistics.evaluations)
          }
          if !goal.isMultiObjective { #expect(r.front.count <= 1) }
          for p in r.front.points {
            points += 1
            #expect(p.plan.problems(operators: explorer.graph.operators.count, tiers: explorer.architecture.tiers.count).isEmpty)
            let again = checker.simulator.run(p.plan)
            #expect(again.isFeasible, "\(strategy.name) returned an infeasible mapping of \(model) on \(preset)")
            let equal = again == p.result
            #expect(equal, "\(strategy.name) on \(model)/\(preset): the front's figures differ from a fresh simulation")
            #expect(p.cost.latency == again.latency && p.cost.energy == again.energy.total)
          }
          for a in r.front.points {
            for b in r.front.points {
              #expect(!ParetoFront.dominates(a.cost, b.cost, on: goal.objectives))
            }
          }
          let twice = try await explorer.run(strategy, goal: goal, seed: 7)
          #expect(same(r.front, twice.front), "\(strategy.name) is not reproducible for seed 7")
        }
      }
    }
    // Counted, so a suite that checks nothing fails: every run checked, most of them feasible.
    #expect(runs >= Self.graphs.count * Self.goals.count * 3)
    #expect(points >= runs / 2, "only \(points) front points in \(runs) runs")
    #expect(feasibleRuns >= runs / 2)
  }

  @Test(arguments: PresetRegistry.names)
  func budgetsAreHonouredAndReported(preset: String) async throws {
    let explorer = try Self.explorer("resnet20", ZooOptions(), preset)
    var checked = 0
    for strategy in try Self.strategies(explorer.architecture) {
      let goal = Self.goal(.minimise(.latency), for: strategy)
      let timed = try await explorer.run(strategy, goal: goal, budget: SearchBudget(timeLimit: .seconds(1e-9)))
      #expect(timed.statistics.stoppedBy == .timeLimit, "\(strategy.name) ignored a 1 ns time limit")
      #expect(timed.statistics.wallSeconds < 1)
      let (feasible, said) = (timed.result.isFeasible, timed.result.infeasible.first?.statement ?? "")
      #expect(!feasible && said.contains("time limit"), "\(said)")
      let counted = try await explorer.run(strategy, goal: goal, budget: SearchBudget(evaluations: 1))
      #expect(counted.statistics.evaluations <= 1)
      checked += 1
    }
    #expect(checked >= 3)
  }

  @Test(arguments: PresetRegistry.names)
  func impossibleConstraintsAreInfeasibleResultsWithReasons(preset: String) async throws {
    let explorer = try Self.explorer("lenet5", ZooOptions(), preset)
    var checked = 0
    for strategy in try Self.strategies(explorer.architecture) {
      for limit in [Constraint.atMost(.latency, 1e-15), .atMost(.energy, 1e-18), .atMost(.area, 1e-15)] {
        let r = try await explorer.run(strategy, goal: Self.goal(Goal([.latency], constraints: [limit]), for: strategy))
        let (frontSize, feasible) = (r.front.count, r.result.isFeasible)
        #expect(frontSize == 0)
        #expect(!feasible)
        #expect(r.statistics.infeasible == r.statistics.evaluations && r.statistics.evaluations >= 1)
        let reason = r.result.infeasible.map(\.statement).joined(separator: "; ")
        // Either the constraint or the tier's own reason (a homogeneous mapping the tier cannot run).
        #expect(reason.contains("exceeds the constraint") || r.chosen.map { !$0.result.isFeasible } == true, "\(reason)")
        checked += 1
      }
    }
    #expect(checked >= 9)
  }
}
