import HybrixCore
import Mapping

extension Goal {
  /// The goal with its accuracy constraint dropped (stage 1's).
  public var withoutAccuracy: Goal {
    Goal(objectives, constraints: constraints.filter { if case .accuracyDrop = $0 { false } else { true } })
  }
}

extension H3PIMAPStrategy {
  /// Stage 2: measure up to ``beforePoints`` stage-1 points (the picked one always), run
  /// ``RowRemapStage`` from the picked point, and return the front of every measured point that
  /// meets the limit (the remapped point among them when it does).
  func rowRemap(
    _ problem: MappingProblem, goal: Goal, stage1: ParetoFront, probe: any AccuracyProbe, limit: Double, time: Time
  ) async throws(ConfigError) -> ParetoFront {
    var after = ParetoFront(objectives: goal.objectives)
    let points = stage1.points
    guard let picked = pick.pick(points.map(\.cost), objectives: goal.objectives) else { return after }
    let space = CostCurves(problem: problem, grid: grid).space
    let errors: [Double]
    if let tierError { errors = tierError } else { errors = try await TierPrecision.errors(problem: problem, probe: probe, at: time) }
    let stage = RowRemapStage(
      problem: problem, probe: probe, limit: limit, time: time, sensitivity: sensitivity ?? .proxy(graph: problem.graph),
      tierError: errors, allowed: space.allowed, stepFraction: remapStep)

    // Before: evenly spaced stage-1 points, the picked one included.
    var chosen = Set([picked])
    let wanted = max(1, beforePoints)
    if points.count > 1 {
      for i in 0..<wanted { chosen.insert(Int((Double(i) / Double(max(1, wanted - 1)) * Double(points.count - 1)).rounded())) }
    }
    var before: [RowRemapTrace.Point] = []
    var meeting: [FrontPoint] = []
    for i in chosen.sorted() where !problem.isOverBudget || i == picked {
      let d = try await probe.searchDrop(of: points[i].plan, at: time, threshold: limit)
      problem.ledger.recordProbe()
      var p = points[i]
      p.accuracy = d
      before.append(.init(latencySeconds: p.cost.latency.seconds, energyJoules: p.cost.energy.joules, drop: d, label: i == picked ? "stage 1 (\(pick.rawValue))" : "stage 1"))
      if d.points <= limit { meeting.append(p) }
    }

    var (trace, plan) = try await stage.run(start: points[picked].plan)
    // The last step's plan was simulated and measured already: it joins the front with those
    // figures (a second Monte-Carlo run would double the cost of the step that decided).
    if trace.met, let last = trace.steps.last {
      let result = problem.simulate(plan)
      let cost = CostVector(latency: result.latency, energy: result.energy.total, area: problem.area(of: plan))
      if result.infeasible.isEmpty && goal.violations(cost).isEmpty {
        after.insert(FrontPoint(plan: plan, result: result, cost: cost, accuracy: last.drop))
      }
    }
    // Then the measured stage-1 points that meet the limit (after the remapped point, which
    // wins a tie in figures: its plan carries the rows that were measured).
    for p in meeting { after.insert(p) }
    trace.before = before
    trace.after = after.points.map {
      .init(latencySeconds: $0.cost.latency.seconds, energyJoules: $0.cost.energy.joules, drop: $0.accuracy, label: $0.plan == plan ? "Row Remap" : "stage 1")
    }
    recorder.record(trace)
    return after
  }
}
