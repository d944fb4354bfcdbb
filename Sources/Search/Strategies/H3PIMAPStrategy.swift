import HybrixCore
import Mapping

/// H3PIMAP's stage 1 (papers.md §7.2): NSGA-II over each operator's split of its weight rows
/// (output channels) between the tiers that can run it, on a grid of `grid` parts, minimising the
/// goal's objectives under the paper's separable formulation (``SeparableModel``, from each
/// operator's per-tier cost curve computed once, ``CostCurves``). The initial population holds
/// every homogeneous mapping, the equal split and greedy's mapping; at the end those and the
/// last population's first front are simulated (``MappingProblem/assess(_:goal:fallbacks:)``),
/// so the front has the simulator's figures and is never worse than those baselines.
///
/// Options: `population` (default 8), `generations` (default 6) — small so the conformance
/// suite stays fast; `hybrix explore` runs 64 × 100 — and `grid` (16 parts per operator).
///
/// - Complexity: O(operators × tiers × grid) cost estimates at most (memoised), O(generations ×
///   population × operators × tiers) curve look-ups, O(generations × population²) sorting, and
///   at most population + tiers + 2 simulations.
public struct H3PIMAPStrategy: SearchStrategy {
  public static let name = "h3pimap"
  public static let summary = "H3PIMAP stage 1: NSGA-II over each product's split of its rows between tiers (a latency/energy front)"
  public static let findsFronts = true
  public static let options = ["population", "generations", "grid", "pick", "remap-step"]

  public var population: Int
  public var generations: Int
  public var grid: Int
  /// Called after each generation (the command's progress line).
  public var progress: (@Sendable (GenerationReport) -> Void)?
  /// Stage 2: the stage-1 point Row Remap starts from.
  public var pick: FrontPick = .knee
  /// Stage 2: rows moved per step, as a fraction of all product rows.
  public var remapStep: Double = 1.0 / 32
  /// Stage 2: row sensitivities (``RowSensitivity/taylor(network:graph:images:labels:relativeSigma:probes:seed:)``
  /// when the command has the weights); `nil`: the fan-in proxy.
  public var sensitivity: RowSensitivity?
  /// Stage 2: each tier's product error (``TierPrecision/errors(architecture:at:)``); `nil`: ranked by the probe.
  public var tierError: [Double]?
  /// Stage 2: stage-1 front points whose accuracy is measured for the before/after comparison.
  public var beforePoints: Int = 5
  /// Where stage 2 leaves its trace.
  public let recorder: RowRemapRecorder

  public init(
    population: Int = 8, generations: Int = 6, grid: Int = 16, progress: (@Sendable (GenerationReport) -> Void)? = nil,
    recorder: RowRemapRecorder = RowRemapRecorder()
  ) {
    self.population = population
    self.generations = generations
    self.grid = grid
    self.progress = progress
    self.recorder = recorder
  }

  public static func make(_ request: StrategyRequest) throws(ConfigError) -> H3PIMAPStrategy {
    try checkOptions(request, known: options)
    func int(_ key: String, _ fallback: Int, _ range: ClosedRange<Int>) throws(ConfigError) -> Int {
      guard let text = request.options[key] else { return fallback }
      guard let v = Int(text), range.contains(v) else {
        throw ConfigError(
          path: "--strategy-option", message: "\(key)=\(text)", expected: "\(key) an integer in \(range.lowerBound)…\(range.upperBound)",
          hint: "e.g. --strategy-option \(key)=\(fallback)")
      }
      return v
    }
    var s = H3PIMAPStrategy(
      population: try int("population", 8, 4...10_000), generations: try int("generations", 6, 0...1_000_000),
      grid: try int("grid", 16, 1...1024))
    if let text = request.options["pick"] { s.pick = try FrontPick.parse(text) }
    if let text = request.options["remap-step"] {
      guard let v = Double(text), v > 0, v <= 1 else {
        throw ConfigError(
          path: "--strategy-option", message: "remap-step=\(text)", expected: "remap-step a fraction of the rows in (0, 1]",
          hint: "e.g. --strategy-option remap-step=0.03125 (1/32 of the rows per step)")
      }
      s.remapStep = v
    }
    return s
  }

  public func search(_ problem: MappingProblem, goal: Goal, rng: inout some RandomNumberGenerator) async throws(ConfigError) -> ParetoFront {
    // Stage 1 minimises cost under the cost bounds; an accuracy bound is stage 2's (Row Remap).
    let stage1 = try await stageOne(problem, goal: goal.withoutAccuracy, rng: &rng)
    guard let (limit, time) = goal.accuracyConstraint, let probe = problem.accuracy else { return stage1 }
    return try await rowRemap(problem, goal: goal, stage1: stage1, probe: probe, limit: limit, time: time)
  }

  func stageOne(_ problem: MappingProblem, goal: Goal, rng: inout some RandomNumberGenerator) async throws(ConfigError) -> ParetoFront {
    var front = ParetoFront(objectives: goal.objectives)
    guard !problem.isOverBudget else { return front }
    let curves = CostCurves(problem: problem, grid: grid)
    let space = curves.space
    let model = SeparableModel(
      space: space, source: curves, tierAreas: problem.tierAreas.map(\.baseValue), weightBytes: problem.weightBytes,
      residency: problem.residency, idleWatts: problem.idleWatts.isEmpty ? nil : problem.idleWatts)

    // Greedy's mapping is simulated as greedy finds it; its point joins the front as it is.
    let greedy = try await GreedyStrategy().search(problem, goal: goal, rng: &rng)
    for p in greedy.points { front.insert(p) }
    let baselines = space.tierIDsInOrder.map { space.homogeneous($0, fallback: problem.hostTier) } + [space.equalSplit(fallback: problem.hostTier)]
    let seeds = baselines + (greedy.points.first.flatMap { space.nearest($0.plan) }.map { [$0] } ?? [])
      + ScalarisedSeeds.points(space, source: curves, weights: ScalarisedSeeds.weights(goal.isMultiObjective ? 5 : 2))

    // A concrete generator seeded from the driver's: the engine's loops run specialised.
    var local = SplitMix64(seed: rng.next())
    let engine = NSGA2(population: population, generations: generations)
    let last = engine.run(
      space: space, seeds: seeds, rng: &local,
      evaluate: { g in
        guard let c = model.cost(g) else { return nil }
        return (goal.objectives.map { c.value($0) }, Self.violation(c, goal))
      },
      stop: { problem.isOverBudget }, report: { r in progress?(r) })

    // Simulate the baselines first (the front can only match or beat them), then the first front.
    // A search cut by its time limit or by Ctrl-C still simulates what it found, for at most
    // `cutGraceSeconds` more, so "the best front so far" is a front and the stop stays prompt.
    let best = last.filter { $0.rank == 0 && $0.violation == 0 && !$0.values.isEmpty }
      .sorted { $0.values.lexicographicallyPrecedes($1.values) }.map(\.genome)
    var assessed = Set<SplitGenome>()
    var cutAt: ContinuousClock.Instant?
    for g in baselines + best where assessed.insert(g).inserted {
      if cutAt == nil, problem.isOverBudget {
        if problem.ledger.stoppedBy == .evaluations { break }  // a simulation budget is a count: kept exactly
        cutAt = .now
      }
      if let cutAt, ContinuousClock.now - cutAt > .milliseconds(Int(Self.cutGraceSeconds * 1000)) { break }
      let a = try await problem.assess(space.plan(g), goal: goal)
      if a.isFeasible { front.insert(a.point) }
    }
    return front
  }

  /// How long a cut search goes on simulating the points it found (baselines first).
  public static let cutGraceSeconds = 0.5

  /// How far `c` breaks the goal's bounds on latency, energy, EDP and area (0: it meets them).
  static func violation(_ c: CostVector, _ goal: Goal) -> Double {
    goal.constraints.reduce(0) { sum, k in
      guard case .atMost(let m, let limit) = k else { return sum }
      return sum + max(0, c.value(m) / limit - 1)
    }
  }
}

extension SplitSpace {
  /// Tier indices 0..<tierCount.
  var tierIDsInOrder: Range<Int> { 0..<tierCount }
}
