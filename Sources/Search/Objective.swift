import Mapping

/// What a search minimises: one scalar for single-objective strategies [Timeloop
/// `optimization_metrics`]. Infeasible results score `+∞`.
public enum Objective: String, Codable, Sendable, CaseIterable {
  case latency
  case energy
  /// Energy × delay.
  case edp

  public func score(_ r: MappingResult) -> Double {
    guard r.isFeasible else { return .infinity }
    return score(seconds: r.latency.seconds, joules: r.energy.total.joules)
  }

  public func score(seconds: Double, joules: Double) -> Double {
    switch self {
    case .latency: seconds
    case .energy: joules
    case .edp: seconds * joules
    }
  }
}
