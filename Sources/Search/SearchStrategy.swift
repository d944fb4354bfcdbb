import Hardware
import HybrixCore
import Mapping

/// What `--strategy NAME[:ARGUMENT]` and a sweep plan's `strategy:` pass to a strategy's
/// factory: the argument after the colon, `key=value` options, and the architecture's tiers.
public struct StrategyRequest: Sendable {
  public var argument: String?
  public var options: [String: String]
  public var tierIDs: [String]

  public init(argument: String? = nil, options: [String: String] = [:], tierIDs: [String]) {
    self.argument = argument
    self.options = options
    self.tierIDs = tierIDs
  }
}

/// A way of choosing mappings [STYLE §4]. A new strategy is one file with a type conforming to
/// this protocol and one line in ``StrategyRegistry/builtIn``; the conformance suite then
/// covers it.
///
/// A strategy evaluates candidates only through ``MappingProblem/assess(_:goal:fallbacks:)``
/// (which counts them), checks ``MappingProblem/isOverBudget`` before each one, draws every random
/// number from `rng`, and returns the feasible mappings it found that no other found mapping
/// dominates on the goal's objectives (one point for a single-objective strategy). An empty front
/// means nothing feasible was found; the driver reports why from the ledger.
public protocol SearchStrategy: Sendable {
  /// The name written on the command line before any `:argument` (`greedy`, `homogeneous`).
  static var name: String { get }
  /// One line of help.
  static var summary: String { get }
  /// What follows `name:` (`"<tier>"`), or `nil` when the strategy takes no argument.
  static var argument: String? { get }
  /// Whether the strategy searches for a front of several points under a multi-objective goal
  /// (otherwise it minimises the goal's first objective).
  static var findsFronts: Bool { get }
  /// The strategy for a request, or a ``ConfigError`` naming what is wrong with it.
  static func make(_ request: StrategyRequest) throws(ConfigError) -> Self

  /// The full name, with its argument (`homogeneous:sa0`).
  var name: String { get }

  func search(_ problem: MappingProblem, goal: Goal, rng: inout some RandomNumberGenerator) async throws(ConfigError) -> ParetoFront
}

extension SearchStrategy {
  public static var argument: String? { nil }
  public static var findsFronts: Bool { false }
  public var name: String { Self.name }

  /// Rejects options the strategy does not know.
  public static func checkOptions(_ request: StrategyRequest, known: [String] = []) throws(ConfigError) {
    for key in request.options.keys.sorted() where !known.contains(key) {
      throw ConfigError(
        path: "--strategy-option", message: "\(name) has no option \"\(key)\"",
        expected: known.isEmpty ? "no options" : known.joined(separator: ", "),
        hint: NearestName.suggestion(for: key, among: known).map { "did you mean \($0)?" })
    }
  }

  /// The front of the single feasible point of `assessment` (empty when it is infeasible).
  public static func front(of assessment: Assessment, goal: Goal) -> ParetoFront {
    var f = ParetoFront(objectives: goal.objectives)
    if assessment.isFeasible { f.insert(assessment.point) }
    return f
  }
}

/// What a search returns: the front, the point a report shows, and what it spent.
public struct SearchResult: Sendable {
  public var strategy: String
  public var goal: Goal
  public var front: ParetoFront
  /// The point shown as "the" mapping: the front's best on the goal's first objective, or, when
  /// nothing feasible was found, the first infeasible mapping tried (with its reasons).
  public var chosen: FrontPoint?
  /// Why ``chosen`` is infeasible (empty when it is on the front).
  public var rejection: [Infeasibility]
  public var statistics: SearchStatistics

  public init(
    strategy: String, goal: Goal, front: ParetoFront, chosen: FrontPoint?, rejection: [Infeasibility] = [],
    statistics: SearchStatistics
  ) {
    self.strategy = strategy
    self.goal = goal
    self.front = front
    self.chosen = chosen
    self.rejection = rejection
    self.statistics = statistics
  }

  public var isFeasible: Bool { !front.isEmpty }

  /// The chosen mapping (empty when the strategy tried none).
  public var mapping: MappingPlan { chosen?.plan ?? MappingPlan(placements: []) }

  /// The chosen mapping's simulation; when nothing feasible was found, a failed result with the
  /// reasons (of the first infeasible mapping tried, or the budget's).
  public var result: MappingResult {
    guard let c = chosen else {
      let why = statistics.stoppedBy.map { "the \($0.rawValue) ran out before any mapping was evaluated" } ?? "no mapping was evaluated"
      return .failed([Infeasibility(tier: "search", statement: why, levers: ["raise --time-limit or --evaluations"])])
    }
    var r = c.result
    if !rejection.isEmpty { r.infeasible = rejection }
    return r
  }

  public var fallbacks: [String] { chosen?.fallbacks ?? [] }
  public var evaluations: Int { statistics.evaluations }
}
