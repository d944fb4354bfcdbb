import HybrixCore
import Mapping
import Workloads

/// The LionHeart loop over one problem (papers.md §2.4; `docs/strategies/lionheart.md`): conv
/// and linear operators by MACs, largest first, each tried on the analog tier and kept while
/// the Monte-Carlo drop of the whole analog set at `time` stays within `threshold` points of the
/// all-digital model (cumulative), else reverted. Fast mode measures each candidate's own drop
/// once, accepts by those (least drop per MAC first, their sum within the threshold) and checks
/// the set with one Monte-Carlo evaluation, removing the last accepted layers while it fails.
struct LionHeartSearch {
  let problem: MappingProblem
  /// The probe over the original weights; with retraining, the run's figures come from a probe
  /// over the last accepted weights (``chooseRetraining(_:)``).
  var probe: any AccuracyProbe
  /// The drop the user allows, X points (the goal's `accuracy-drop<=X@T`): what the report states.
  let limit: Double
  /// Points kept back from `limit` when deciding (`margin=δ`, `--accuracy-margin`): the
  /// validation images are a sample, and a set chosen on them shows a larger drop on other images.
  let margin: Double
  /// What every decision is against, X − δ points (sequential stopping, accept/reject, fast
  /// mode's sum and check, retraining rounds, the lifetime checkpoints).
  var threshold: Double { limit - margin }
  let time: Time
  let mode: LionHeartStrategy.Mode
  let lifetime: Time?
  /// Per-step HWA retraining (full mode), or `nil` for the loop without it.
  var retraining: LionHeartRetraining?
  let analog: Int
  let host: Int
  /// Conv/linear operators with a static weight, largest MACs first (graph order on ties).
  let candidates: [Int]
  let totalMACs: Int

  init(problem: MappingProblem, goal: Goal, mode: LionHeartStrategy.Mode, lifetime: Time?, margin: Double = 0) throws(ConfigError) {
    guard let (points, at) = goal.accuracyConstraint else {
      throw ConfigError(
        path: "--strategy", message: "lionheart needs an accuracy threshold",
        expected: "--accuracy-drop POINTS [--at TIME] (or --constraint 'accuracy-drop<=POINTS@TIME')",
        hint: "e.g. --accuracy-drop 2 --at 1d, with --weights for a zoo model")
    }
    guard points >= 0, points.isFinite else {
      throw ConfigError(path: "--accuracy-drop", message: "\(points)", expected: "a drop ≥ 0 percentage points")
    }
    guard margin.isFinite, margin >= 0, margin <= points else {
      throw ConfigError(
        path: "--accuracy-margin", message: "\(margin) points with --accuracy-drop \(points)",
        expected: "a margin from 0 to the allowed drop (decisions are against drop − margin)",
        hint: "e.g. --accuracy-drop 2 --accuracy-margin 0.5 decides against 1.5 points on the validation images")
    }
    guard at.seconds >= 0, at.seconds.isFinite else {
      throw ConfigError(path: "--at", message: "\(at.seconds) s", expected: "a time ≥ 0 after programming, e.g. 1d")
    }
    guard let probe = problem.accuracy else {
      throw ConfigError(
        path: "--weights", message: "lionheart measures accuracy and has no accuracy probe",
        expected: "trained weights and test data", hint: "pass --weights with the model's checkpoint")
    }
    guard let analog = problem.tierKinds.firstIndex(of: .analog) else {
      throw ConfigError(
        path: "--arch", message: "lionheart maps layers onto an analog tier and this architecture has none",
        expected: "an architecture with an analog (PCM) tier beside a digital one: \(problem.tierIDs.joined(separator: ", ")) has kinds \(problem.tierKinds.map(\.rawValue).joined(separator: ", "))",
        hint: "use --arch lionheart")
    }
    guard let host = problem.hostTier else {
      throw ConfigError(
        path: "--arch", message: "lionheart keeps the other layers on a digital tier and this architecture has none",
        expected: "an architecture with a digital tier", hint: "use --arch lionheart")
    }
    if let lifetime, !(lifetime.seconds > 0 && lifetime.seconds.isFinite) {
      throw ConfigError(path: "--lifetime", message: "\(lifetime.seconds) s", expected: "a lifetime > 0, e.g. 1y")
    }
    let ops = problem.graph.operators
    let candidates = ops.indices.filter {
      (ops[$0].kind == .conv || ops[$0].kind == .matmul) && ops[$0].secondOperand == .staticWeight
    }
    guard !candidates.isEmpty else {
      throw ConfigError(
        path: "MODEL", message: "graph \(problem.graph.name) has no conv or linear layer for lionheart to place",
        expected: "a model with conv or linear (matrix product with a weight) layers")
    }
    self.problem = problem
    self.probe = probe
    self.limit = points
    self.margin = margin
    self.time = at
    self.mode = mode
    self.lifetime = lifetime
    self.analog = analog
    self.host = host
    self.candidates = candidates.sorted { (ops[$0].macs, -$0) > (ops[$1].macs, -$1) }
    self.totalMACs = ops.reduce(0) { $0 + $1.macs }
  }

  func plan(_ set: [Int]) -> MappingPlan {
    let on = Set(set)
    return MappingPlan(placements: problem.graph.operators.indices.map { .on(on.contains($0) ? analog : host) })
  }

  func macs(_ set: [Int]) -> Int { set.reduce(0) { $0 + problem.graph.operators[$1].macs } }
  func share(_ set: [Int]) -> Double { totalMACs > 0 ? Double(macs(set)) / Double(totalMACs) : 0 }

  /// Whether every weight of `set` fits in the analog tier's tiles at once (``Residency``'s
  /// capacity, the tile count × tile size of the preset).
  func fits(_ set: [Int]) -> Bool {
    guard let capacity = problem.residency.capacity[analog] else { return true }
    return set.reduce(0.0) { $0 + problem.weightBytes[$1] } <= capacity
  }

  func supported(_ op: Int) -> Bool {
    problem.estimate(op, .on(analog), residency: problem.residency, after: plan([]).placements.prefix(op).map { $0 }) != nil
  }

  func step(_ c: Int, _ d: LionHeartStep.Decision, _ drop: AccuracyDrop?, _ set: [Int]) -> LionHeartStep {
    LionHeartStep(
      operatorName: problem.graph.operators[c].name, operatorIndex: c, macs: problem.graph.operators[c].macs,
      decision: d, drop: drop, analogMACShare: share(set))
  }

  func searchDrop(_ set: [Int], at t: Time) async throws(ConfigError) -> AccuracyDrop {
    let d = try await probe.searchDrop(of: plan(set), at: t, threshold: threshold)
    problem.ledger.recordProbe()
    return d
  }

  /// The analog set and the steps that chose it.
  func choose() async throws(ConfigError) -> (set: [Int], steps: [LionHeartStep]) {
    var accepted: [Int] = []
    var steps: [LionHeartStep] = []
    switch mode {
    case .full:
      for c in candidates {
        if problem.isOverBudget { break }
        guard supported(c) else { steps.append(step(c, .unsupported, nil, accepted)); continue }
        guard fits(accepted + [c]) else { steps.append(step(c, .noTiles, nil, accepted)); continue }
        let d = try await searchDrop(accepted + [c], at: time)
        if d.points <= threshold { accepted.append(c) }
        steps.append(step(c, d.points <= threshold ? .accepted : .rejected, d, accepted))
      }
    case .fast:
      var measured: [(op: Int, points: Double)] = []
      for c in candidates {
        if problem.isOverBudget { break }
        guard supported(c) else { steps.append(step(c, .unsupported, nil, accepted)); continue }
        let s = try await probe.sensitivity(operator: c, tier: analog, at: time)
        problem.ledger.recordProbe()
        measured.append((c, max(0, s.points)))
        steps.append(step(c, .measured, s, accepted))
      }
      let ops = problem.graph.operators
      // Least drop per MAC first (the knapsack greedy for the most analog MACs under an additive budget).
      measured.sort { a, b in
        let (x, y) = (a.points / Double(max(1, ops[a.op].macs)), b.points / Double(max(1, ops[b.op].macs)))
        return x != y ? x < y : (ops[a.op].macs, -a.op) > (ops[b.op].macs, -b.op)
      }
      var sum = 0.0
      for (c, points) in measured {
        guard fits(accepted + [c]) else { steps.append(step(c, .noTiles, nil, accepted)); continue }
        guard sum + points <= threshold else { steps.append(step(c, .rejected, nil, accepted)); continue }
        sum += points
        accepted.append(c)
        steps.append(step(c, .accepted, nil, accepted))
      }
      // One Monte-Carlo check of the whole set; while it fails, the last accepted goes back.
      while !accepted.isEmpty, !problem.isOverBudget {
        let d = try await searchDrop(accepted, at: time)
        if d.points <= threshold { break }
        let c = accepted.removeLast()
        steps.append(step(c, .removed, d, accepted))
      }
    }
    return (accepted, steps)
  }

  func run(goal: Goal, recorder: LionHeartRecorder) async throws(ConfigError) -> ParetoFront {
    let clock = ContinuousClock()
    let start = clock.now
    let front = ParetoFront(objectives: goal.objectives)
    var search = self
    let set: [Int]
    let steps: [LionHeartStep]
    var summary: LionHeartRetrainingSummary?
    if let retraining {
      let r = try await chooseRetraining(retraining)
      (set, steps) = (r.set, r.steps)
      search.probe = r.probe
      recorder.record(network: r.network)
      summary = LionHeartRetrainingSummary(retraining, finalWeights: r.network)
    } else {
      (set, steps) = try await choose()
    }
    return try await search.finish(set: set, steps: steps, retraining: summary, goal: goal, recorder: recorder, start: start, front: front)
  }

  /// The report of the chosen set: validation and test drops from ``probe``, costs, lifetime.
  func finish(
    set: [Int], steps: [LionHeartStep], retraining: LionHeartRetrainingSummary?, goal: Goal, recorder: LionHeartRecorder,
    start: ContinuousClock.Instant, front: ParetoFront
  ) async throws(ConfigError) -> ParetoFront {
    let clock = ContinuousClock()
    var front = front
    guard !problem.isOverBudget else { return front }
    let validation: AccuracyDrop? = set.isEmpty ? nil : try await searchDrop(set, at: time)
    let finalPlan = plan(set)
    // The accuracy was decided on the validation images; the cost constraints are checked here
    // and the test images give the reported drop.
    let costGoal = Goal(goal.objectives, constraints: goal.constraints.filter { if case .accuracyDrop = $0 { false } else { true } })
    var a = try await problem.assess(finalPlan, goal: costGoal)
    let test = try await probe.drop(of: finalPlan, at: time)
    problem.ledger.recordProbe()
    a.point.accuracy = test
    if a.isFeasible { front.insert(a.point) }
    let digital = problem.simulate(plan([]))
    var schedule: LifetimeSchedule?
    if let lifetime, !set.isEmpty, !problem.isOverBudget {
      schedule = try await LifetimePlanner(search: self).plan(set, lifetime: lifetime)
    }
    let names = problem.graph.operators.map(\.name)
    let split = probe as? SplitAccuracyProbe
    let elapsed = start.duration(to: clock.now)
    recorder.record(
      LionHeartOutcome(
        mode: mode.rawValue, thresholdPoints: limit, marginPoints: margin, atSeconds: time.seconds, analogTier: problem.tierIDs[analog],
        validationImages: split?.validationImages ?? "the probe's images (no separate test split)",
        testImages: split?.testImages ?? "the probe's images (no separate test split)",
        candidates: candidates.count, totalMACs: totalMACs, analogMACs: macs(set), analog: set.map { names[$0] },
        steps: steps, validation: validation, test: test, metThreshold: !set.isEmpty,
        note: set.isEmpty
          ? "no conv or linear layer stays within \(formatSignificant(threshold, digits: 3)) points\(margin > 0 ? " (the limit less the margin)" : "") at \(time) on the analog tier: the all-digital mapping is returned"
          : nil,
        digitalLatencySeconds: digital.latency.seconds, digitalEnergyJoules: digital.energy.total.joules,
        latencySeconds: a.point.result.latency.seconds, energyJoules: a.point.result.energy.total.joules,
        lifetime: schedule, retraining: retraining,
        wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18))
    return front
  }
}
