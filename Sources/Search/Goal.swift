import Hardware
import HybrixCore
import Mapping

/// A figure of a mapping a search can minimise or bound.
public enum Metric: String, Codable, Sendable, CaseIterable {
  /// Seconds from the first input to the last output of one batch.
  case latency
  /// Joules of one batch, static and idle energy included.
  case energy
  /// Energy × delay, joule-seconds.
  case edp
  /// Square metres of the tiers the mapping uses (a tier with no share of any operator is left
  /// out: the chip one would build for this mapping).
  case area

  /// The unit of ``CostVector/value(_:)`` for this metric.
  public var unit: String {
    switch self {
    case .latency: "s"
    case .energy: "J"
    case .edp: "J·s"
    case .area: "m²"
    }
  }
}

/// The figures of one feasible mapping that goals speak about, in SI units.
public struct CostVector: Sendable, Hashable, Codable {
  public var latency: Time
  public var energy: Energy
  public var area: Area

  public init(latency: Time, energy: Energy, area: Area) {
    self.latency = latency
    self.energy = energy
    self.area = area
  }

  /// The figure of `metric` in its SI unit (``Metric/unit``).
  public func value(_ metric: Metric) -> Double {
    switch metric {
    case .latency: latency.seconds
    case .energy: energy.joules
    case .edp: latency.seconds * energy.joules
    case .area: area.baseValue
    }
  }
}

/// A bound a mapping must meet to count as feasible.
public enum Constraint: Sendable, Hashable, CustomStringConvertible {
  /// The metric's value (SI unit) at most `limit`.
  case atMost(Metric, Double)
  /// The Monte-Carlo accuracy drop against the all-digital model at most `points` percentage
  /// points at `time` after programming (the mean; LionHeart's criterion).
  case accuracyDrop(points: Double, at: Time)

  public var description: String {
    switch self {
    case .atMost(let m, let v): "\(m.rawValue) ≤ \(Self.format(v, m))"
    case .accuracyDrop(let p, let t): "accuracy drop ≤ \(formatSignificant(p, digits: 4)) points at \(t)"
    }
  }

  static func format(_ v: Double, _ m: Metric) -> String {
    switch m {
    case .latency: Time(baseValue: v).description
    case .energy: Energy(baseValue: v).description
    case .area: Area(baseValue: v).description
    case .edp: "\(formatSignificant(v, digits: 4)) J·s"
    }
  }
}

/// What a search is asked for: one or more metrics to minimise (several give a Pareto front)
/// and the constraints a mapping must meet.
public struct Goal: Sendable, Hashable, CustomStringConvertible {
  /// Metrics to minimise, most important first; never empty, no repeats.
  public private(set) var objectives: [Metric]
  public var constraints: [Constraint]

  /// - Precondition: `objectives` is not empty (``parse(objectives:constraints:)`` checks user input).
  public init(_ objectives: [Metric], constraints: [Constraint] = []) {
    precondition(!objectives.isEmpty, "a goal minimises at least one metric")
    var seen: [Metric] = []
    for m in objectives where !seen.contains(m) { seen.append(m) }
    self.objectives = seen
    self.constraints = constraints
  }

  public static func minimise(_ metric: Metric) -> Goal { Goal([metric]) }

  /// The metric single-objective strategies minimise.
  public var primary: Metric { objectives[0] }
  public var isMultiObjective: Bool { objectives.count > 1 }

  /// The accuracy constraint, if any (a probe is then needed).
  public var accuracyConstraint: (points: Double, at: Time)? {
    for c in constraints { if case .accuracyDrop(let p, let t) = c { return (p, t) } }
    return nil
  }

  public var description: String {
    let o = objectives.map(\.rawValue).joined(separator: ",")
    return constraints.isEmpty ? o : o + " subject to " + constraints.map(\.description).joined(separator: ", ")
  }

  /// The score a single-objective strategy minimises for a candidate's seconds and joules
  /// (`area` is not a per-operator figure: strategies handle it themselves).
  public func score(seconds: Double, joules: Double) -> Double {
    switch primary {
    case .latency: seconds
    case .energy: joules
    case .edp: seconds * joules
    case .area: seconds
    }
  }

  /// The reasons `cost` breaks the constraints on latency, energy, EDP and area (the accuracy
  /// constraint is checked with a probe, by ``MappingProblem``).
  public func violations(_ cost: CostVector) -> [Infeasibility] {
    constraints.compactMap { c in
      guard case .atMost(let m, let limit) = c else { return nil }
      let v = cost.value(m)
      guard v > limit * (1 + 1e-12) else { return nil }
      return Infeasibility(
        tier: "goal", statement: "\(m.rawValue) \(Constraint.format(v, m)) exceeds the constraint \(c)",
        demand: v, bound: limit, unit: m.unit, levers: ["relax --constraint \(m.rawValue)<=…", "use a larger architecture"])
    }
  }
}
