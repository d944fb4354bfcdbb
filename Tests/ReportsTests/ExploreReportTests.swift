import Foundation
import Hardware
import HybrixCore
import Mapping
import Reports
import Search
import Testing
import Workloads

/// `hybrix explore`'s report: it validates against its schema, its ratios and shares are what
/// they say, and a cut search says so.
@Suite struct ExploreReportTests {
  static func report(
    _ model: String, _ options: ZooOptions, preset: String, budget: SearchBudget = .unlimited, rule: FrontPick = .knee
  ) async throws -> (ExploreReport, Graph) {
    let graph = try ModelZoo.model(named: model).graph(options).loweredForDeployment().graph
    let arch = try PresetRegistry.architecture(named: preset)
    let explorer = Explorer(graph: graph, architecture: arch, precision: .int8)
    let goal = Goal([.latency, .energy])
    let result = try await explorer.run(H3PIMAPStrategy(population: 12, generations: 6), goal: goal, seed: 2, budget: budget)
    var baselines: [(name: String, kind: String, result: SearchResult)] = []
    for t in arch.tiers { baselines.append(("homogeneous:\(t.id)", "homogeneous", try await explorer.run(HomogeneousStrategy(tier: t.id), goal: goal))) }
    let problem = explorer.problem()
    let space = CostCurves(problem: problem, grid: 16).space
    baselines.append(("equal split", "equal split", try await explorer.evaluate(space.plan(space.equalSplit(fallback: problem.hostTier)), goal: goal, label: "equal split")))
    var rng = SplitMix64(seed: 5)
    let random = (0..<5).compactMap { _ -> FrontPoint? in
      let plan = space.plan(space.randomPoint(rng: &rng))
      let r = explorer.simulator.run(plan)
      return r.isFeasible ? FrontPoint(plan: plan, result: r, cost: CostVector(latency: r.latency, energy: r.energy.total, area: problem.area(of: plan))) : nil
    }
    let report = ExploreReport(
      graph: graph, source: "zoo", path: nil, precision: .int8, architecture: arch, goal: goal,
      settings: .init(population: 12, generations: 6, grid: 16, seed: 2), search: result, generationsRun: 6, pick: rule,
      baselines: baselines, random: random, warnings: [])
    return (report, graph)
  }

  @Test(arguments: ["h3pimap", "mirage", "cmswitch"])
  func reportsValidateAndAddUp(preset: String) async throws {
    let validator = try JSONSchemaValidator(schemaAt: ReportSchemaTests.schemas.appendingPathComponent("hybrix.explore.v1.schema.json"))
    let (r, graph) = try await Self.report("resnet20", ZooOptions(), preset: preset)
    let errors = validator.errors(in: try ReportSchemaTests.json(r))
    #expect(errors.isEmpty, "\(errors.prefix(5))")
    #expect(!r.front.isEmpty)
    let i = try #require(r.pick.index)
    #expect(r.front.indices.contains(i))
    // Rows per tier add up to the operator's output channels; MAC shares to 1.
    #expect(r.pick.operators.count == graph.operators.count)
    for o in r.pick.operators {
      if let rows = o.rows { #expect(o.shares.compactMap(\.rows).reduce(0, +) == rows) }
      #expect(abs(o.shares.map(\.fraction).reduce(0, +) - 1) < 1e-9)
    }
    for p in r.front { #expect(abs(p.macShare.map(\.fraction).reduce(0, +) - 1) < 1e-9) }
    // Ratios are baseline ÷ point, one per (point, feasible baseline).
    let feasible = r.baselines.filter { $0.point != nil }
    #expect(r.ratios.count == 3 * feasible.count)
    for x in r.ratios where x.point == "picked" {
      let b = try #require(feasible.first { $0.name == x.baseline }?.point)
      #expect(x.latency == b.latencySeconds / r.front[i].latencySeconds)
      #expect(x.energy == b.energyJoules / r.front[i].energyJoules)
    }
    // The front is never beaten on both figures by a baseline it started from.
    for b in feasible {
      let p = try #require(b.point)
      #expect(r.front.contains { $0.latencySeconds <= p.latencySeconds && $0.energyJoules <= p.energyJoules }, "\(b.name)")
    }
    #expect(r.hypervolume.normalised > 0 && r.hypervolume.normalised <= 1)
    let text = r.renderText()
    #expect(text.contains("Front (") && text.contains("Ratios") && text.contains("← knee"))
    let html = ExploreHTML.render(r, picked: nil)
    #expect(html.contains("<svg") && html.contains("<polyline") && html.hasSuffix("</html>\n"))
  }

  @Test func aCutSearchSaysSoAndValidates() async throws {
    let validator = try JSONSchemaValidator(schemaAt: ReportSchemaTests.schemas.appendingPathComponent("hybrix.explore.v1.schema.json"))
    let (r, _) = try await Self.report("lenet5", ZooOptions(), preset: "h3pimap", budget: SearchBudget(timeLimit: .seconds(1e-9)))
    #expect(r.search.stoppedBy == "time limit")
    #expect(r.front.isEmpty && r.pick.index == nil)
    let errors = validator.errors(in: try ReportSchemaTests.json(r))
    #expect(errors.isEmpty, "\(errors.prefix(5))")
    #expect(r.renderText().contains("cut by the time limit"))
  }

  /// Drop = 10 points × the share of product rows off the host (exact, no noise).
  struct OffHostProbe: AccuracyProbe {
    let graph: Graph
    func drop(of plan: MappingPlan, at time: Time) async throws(ConfigError) -> AccuracyDrop {
      var off = 0.0, all = 0.0
      for (op, p) in zip(graph.operators, plan.placements) {
        guard let n = op.matmul?.n else { continue }
        all += Double(n)
        off += Double(n) * (1 - p.fraction(on: 0))
      }
      let points = 10 * off / max(1, all)
      return AccuracyDrop(points: points, low95: points - 0.1, high95: points + 0.1, referenceAccuracy: 0.9, meanAccuracy: 0.9 - points / 100, repeats: 3, samples: 100, atSeconds: time.seconds)
    }
    func sensitivity(operator op: Int, tier: Int, at time: Time) async throws(ConfigError) -> AccuracyDrop {
      try await drop(of: MappingPlan.uniform(tier, operators: graph.operators.count), at: time)
    }
  }

  @Test func aRowRemapReportValidatesAndShowsItsSteps() async throws {
    let validator = try JSONSchemaValidator(schemaAt: ReportSchemaTests.schemas.appendingPathComponent("hybrix.explore.v1.schema.json"))
    let graph = try ModelZoo.model(named: "lenet5").graph(ZooOptions())
    let arch = try PresetRegistry.architecture(named: "h3pimap")
    let explorer = Explorer(graph: graph, architecture: arch, precision: .int8, accuracy: OffHostProbe(graph: graph))
    var strategy = H3PIMAPStrategy(population: 8, generations: 3)
    strategy.tierError = TierPrecision.errors(architecture: arch, at: .seconds(86_400))
    strategy.pick = .minLatency
    let goal = Goal([.latency, .energy], constraints: [.accuracyDrop(points: 1, at: .seconds(86_400))])
    let result = try await explorer.run(strategy, goal: goal, seed: 1)
    let trace = try #require(strategy.recorder.trace)
    #expect(trace.met && trace.sensitivityMethod == .proxy)
    #expect(trace.tierOrder.first == "host")  // exact
    let r = ExploreReport(
      graph: graph, source: "zoo", path: nil, precision: .int8, architecture: arch, goal: goal.withoutAccuracy,
      settings: .init(population: 8, generations: 3, grid: 16, seed: 1), search: result, generationsRun: 3, pick: .minLatency,
      baselines: [], random: [], warnings: [], rowRemap: trace)
    let errors = validator.errors(in: try ReportSchemaTests.json(r))
    #expect(errors.isEmpty, "\(errors.prefix(5))")
    #expect(r.front.allSatisfy { ($0.accuracy?.points ?? 99) <= 1 })
    let text = r.renderText()
    #expect(text.contains("Row Remap (stage 2)") && text.contains("The constraint holds after step \(trace.steps.count - 1)."))
    let html = ExploreHTML.render(r, picked: nil)
    #expect(html.contains("Row Remap (stage 2)") && html.contains("<circle") && html.contains("stroke-dasharray=\"4 3\""))
  }
}
