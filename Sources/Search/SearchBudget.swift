import Foundation
import HybrixCore

/// How much a search may spend: wall-clock time and full simulations, and a stop that can come
/// from outside (Ctrl-C). A strategy stops at the first limit reached and returns what it has,
/// and the result says which limit cut it short.
public struct SearchBudget: Sendable, Hashable {
  public var timeLimit: Time?
  /// Full simulations (``MappingProblem/assess(_:goal:fallbacks:)`` calls).
  public var evaluations: Int?
  /// A stop asked for from outside the search (`hybrix explore` turns Ctrl-C into one): once
  /// requested, the budget is spent. Compared by identity.
  public var stop: StopRequest?

  public init(timeLimit: Time? = nil, evaluations: Int? = nil, stop: StopRequest? = nil) {
    self.timeLimit = timeLimit
    self.evaluations = evaluations
    self.stop = stop
  }

  public static func == (a: SearchBudget, b: SearchBudget) -> Bool {
    a.timeLimit == b.timeLimit && a.evaluations == b.evaluations && a.stop.map(ObjectIdentifier.init) == b.stop.map(ObjectIdentifier.init)
  }

  public func hash(into h: inout Hasher) {
    h.combine(timeLimit)
    h.combine(evaluations)
    h.combine(stop.map(ObjectIdentifier.init))
  }

  public static let unlimited = SearchBudget()

  /// `--time-limit 30s` and `--evaluations 1000` as the user wrote them.
  public static func parse(timeLimit: String?, evaluations: Int?) throws(ConfigError) -> SearchBudget {
    var b = SearchBudget()
    if let timeLimit {
      if let plain = Double(timeLimit.trimmingCharacters(in: .whitespaces)), plain <= 0 {
        throw ConfigError(
          path: "--time-limit", message: "\(timeLimit)", expected: "a time > 0 with a unit, e.g. 500ms, 30s, 10min",
          hint: "leave --time-limit out for no limit")
      }
      let t = try Time.parse(timeLimit, path: "--time-limit")
      guard t.seconds > 0, t.seconds.isFinite else {
        throw ConfigError(
          path: "--time-limit", message: "\(timeLimit)", expected: "a time > 0, e.g. 500ms, 30s, 10min",
          hint: "leave --time-limit out for no limit")
      }
      b.timeLimit = t
    }
    if let evaluations {
      guard evaluations >= 1 else {
        throw ConfigError(path: "--evaluations", message: "\(evaluations)", expected: "at least 1 simulation", hint: "leave --evaluations out for no limit")
      }
      b.evaluations = evaluations
    }
    return b
  }
}

/// Why a search stopped before it had finished.
public enum BudgetStop: String, Sendable, Codable, Hashable {
  case timeLimit = "time limit"
  case evaluations = "evaluation budget"
  case interrupted = "interrupt (Ctrl-C)"
}

/// What a search spent and found, counted by the driver the same way for every strategy.
public struct SearchStatistics: Sendable, Codable, Hashable {
  /// Full simulations run.
  public var evaluations: Int
  /// Of these, the ones that were infeasible (a tier could not run a share, or a constraint broke).
  public var infeasible: Int
  /// Infeasible evaluations by reason (the first reason of each), most frequent first.
  public var reasons: [ReasonCount]
  /// Accuracy probes run (whole-mapping Monte-Carlo drops).
  public var accuracyProbes: Int
  public var wallSeconds: Double
  /// Set when a limit of the budget cut the search short.
  public var stoppedBy: BudgetStop?
  public var seed: UInt64

  public struct ReasonCount: Sendable, Codable, Hashable {
    public var reason: String
    public var count: Int
  }
}
