import HybrixCore
import Mapping

/// CMSwitch (Zhao et al., ASPLOS 2025): the network's products on a dual-mode CIM tier's
/// arrays, in segments chosen by dynamic programming, each segment's arrays split between
/// compute and memory mode (input and output buffers) by a per-segment MIP minimising the
/// pipeline's bottleneck; pointwise work on the digital host. With `baseline=true`, or on a tier
/// without memory mode, every array computes (the CIM-MLC-like baseline). On an architecture
/// without a CIM tier with arrays it returns the greedy mapping. Minimises latency whatever the
/// goal (the paper's objective); the goal's constraints are checked as usual. Deterministic.
///
/// Options (`--strategy-option`): `solver=exact|cbc`, `baseline=true|false`,
/// `max-segment=N` (CIM operators per segment, default 8), `mip-time-limit=S` (seconds per
/// segment MIP). `docs/strategies/cmswitch.md` has the design and the figures.
public struct CMSwitchStrategy: SearchStrategy {
  public static let name = "cmswitch"
  public static let summary = "CMSwitch: segments by DP, each segment's arrays split between compute and memory mode by a MIP"
  public let compiler: SegmentCompiler

  public init(compiler: SegmentCompiler = SegmentCompiler()) { self.compiler = compiler }

  public static func make(_ request: StrategyRequest) throws(ConfigError) -> CMSwitchStrategy {
    try checkOptions(request, known: ["solver", "baseline", "max-segment", "mip-time-limit"])
    var c = SegmentCompiler()
    let o = request.options
    switch o["solver"] ?? "exact" {
    case "exact": c.solver = ExactSegmentSolver()
    case "cbc":
      try CBCSolver.requireAvailable()
      c.solver = MIPSegmentSolver.cbc
    case let s:
      throw ConfigError(path: "--strategy-option solver", message: "\"\(s)\"", expected: "exact or cbc")
    }
    switch o["baseline"] ?? "false" {
    case "true": c.computeOnly = true
    case "false": c.computeOnly = false
    case let s: throw ConfigError(path: "--strategy-option baseline", message: "\"\(s)\"", expected: "true or false")
    }
    if let s = o["max-segment"] {
      guard let n = Int(s), n >= 1 else {
        throw ConfigError(path: "--strategy-option max-segment", message: "\"\(s)\"", expected: "an integer ≥ 1")
      }
      c.maxSegment = n
    }
    if let s = o["mip-time-limit"] {
      guard let t = Double(s), t > 0 else {
        throw ConfigError(path: "--strategy-option mip-time-limit", message: "\"\(s)\"", expected: "seconds > 0")
      }
      c.timeLimit = t
    }
    return CMSwitchStrategy(compiler: c)
  }

  public func search(_ problem: MappingProblem, goal: Goal, rng: inout some RandomNumberGenerator) async throws(ConfigError) -> ParetoFront {
    if problem.isOverBudget { return ParetoFront(objectives: goal.objectives) }
    guard let program = try compiler.compile(problem) else {
      if problem.isOverBudget { return ParetoFront(objectives: goal.objectives) }
      // No CIM tier with arrays: nothing to segment.
      return try await GreedyStrategy().search(problem, goal: goal, rng: &rng)
    }
    if problem.isOverBudget { return ParetoFront(objectives: goal.objectives) }
    return Self.front(of: try await problem.assess(program.plan, goal: goal), goal: goal)
  }
}
