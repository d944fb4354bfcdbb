import Hardware
import HybrixCore
import Mapping
import Workloads

/// The driver of every search [issue 9]: it owns the cost model, the schedule simulator and the
/// accuracy probe, builds each strategy's ``MappingProblem`` with a fresh ledger, seeds the
/// strategy's random generator, and turns what the strategy returns into a ``SearchResult``.
/// Commands (`map`, `accuracy`, sweeps) call it; strategies never build cost models.
public struct Explorer: Sendable {
  public let graph: Graph
  public let architecture: Architecture
  public let precision: Precision
  public let cost: CostModel
  public let simulator: ScheduleSimulator
  public let accuracy: (any AccuracyProbe)?

  public init(graph: Graph, architecture: Architecture, precision: Precision, accuracy: (any AccuracyProbe)? = nil) {
    self.graph = graph
    self.architecture = architecture
    self.precision = precision
    cost = CostModel(graph: graph, architecture: architecture, precision: precision)
    simulator = ScheduleSimulator(cost: cost)
    self.accuracy = accuracy
  }

  /// A problem whose ledger counts against `budget`.
  public func problem(budget: SearchBudget = .unlimited) -> MappingProblem {
    let model = cost
    let simulator = simulator
    return MappingProblem(
      graph: graph, tierIDs: architecture.tiers.map(\.id), tierKinds: architecture.tiers.map { type(of: $0).kind },
      tierAreas: architecture.tiers.map(\.area),
      weightBytes: graph.operators.indices.map { model.staticWeightBytes($0) }, residency: model.emptyResidency,
      estimate: { op, placement, resident, placements in
        try? model.estimate(op, placement: placement, resident: resident, placements: placements).get()
      },
      simulate: { simulator.run($0) }, accuracy: accuracy, budget: budget,
      idleWatts: architecture.tiers.indices.map { model.idleWatts($0) })
  }

  /// Problems with `goal` that no search can fix: an accuracy constraint without a probe.
  public func check(_ goal: Goal) throws(ConfigError) {
    if goal.accuracyConstraint != nil, accuracy == nil {
      throw ConfigError(
        path: "--constraint", message: "an accuracy constraint needs trained weights and test data",
        expected: "a model with weights (an ONNX file, or a zoo model with --weights)",
        hint: "drop the accuracy-drop constraint, or train the model first: hybrix train MODEL --out MODEL.onnx")
    }
  }

  /// Runs `strategy` for `goal` with a generator seeded by `seed`, within `budget`.
  public func run(
    _ strategy: any SearchStrategy, goal: Goal, seed: UInt64 = 1, budget: SearchBudget = .unlimited
  ) async throws(ConfigError) -> SearchResult {
    try check(goal)
    let problem = problem(budget: budget)
    var rng = SplitMix64(seed: seed)
    let front = try await strategy.search(problem, goal: goal, rng: &rng)
    return result(strategy: strategy.name, goal: goal, front: front, problem: problem, seed: seed)
  }

  /// Evaluates a given mapping (from a mapping file) as a search of one point called `label`.
  public func evaluate(_ plan: MappingPlan, goal: Goal, label: String) async throws(ConfigError) -> SearchResult {
    try check(goal)
    let problem = problem()
    let a = try await problem.assess(plan, goal: goal)
    var front = ParetoFront(objectives: goal.objectives)
    if a.isFeasible { front.insert(a.point) }
    return result(strategy: label, goal: goal, front: front, problem: problem, seed: 0)
  }

  func result(strategy: String, goal: Goal, front: ParetoFront, problem: MappingProblem, seed: UInt64) -> SearchResult {
    let stats = problem.ledger.statistics(seed: seed)
    if let best = front.best(by: goal.primary) {
      return SearchResult(strategy: strategy, goal: goal, front: front, chosen: best, statistics: stats)
    }
    let first = problem.ledger.firstInfeasible
    return SearchResult(
      strategy: strategy, goal: goal, front: front, chosen: first?.point, rejection: first?.reasons ?? [], statistics: stats)
  }
}
