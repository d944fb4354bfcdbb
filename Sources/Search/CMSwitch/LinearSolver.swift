import HybrixCore

/// A mixed-integer linear program built column by column and row by row, solved by whatever
/// backs it [STYLE §4; Stream's `SolverModel`]: the MIP formulations target this protocol,
/// never a particular solver. ``CBCSolver`` backs it with COIN-OR CBC when the library is
/// installed.
public protocol LinearSolver {
  /// Adds a variable with bounds `lower…upper` (`.infinity` for none) and returns its index.
  mutating func addVariable(lower: Double, upper: Double, integer: Bool) -> Int
  /// Adds `lower ≤ Σ coefficient · variable ≤ upper` (either side may be infinite).
  mutating func addConstraint(_ terms: [(variable: Int, coefficient: Double)], lower: Double, upper: Double)
  /// Sets the objective to minimise.
  mutating func minimize(_ terms: [(variable: Int, coefficient: Double)])
  /// Solves within `timeLimit` seconds (`nil`: none).
  func solve(timeLimit: Double?) throws(ConfigError) -> LinearSolution
}

/// What a solver found.
public struct LinearSolution: Sendable, Hashable {
  public enum Status: String, Sendable, Hashable, Codable {
    /// The best solution, proven.
    case optimal
    /// A solution, not proven best when the time limit stopped the search (see ``gap``).
    case feasible
    /// No solution exists.
    case infeasible
    /// The time limit came before any solution.
    case unknown
  }
  public var status: Status
  /// Variable values (empty without a solution).
  public var values: [Double]
  public var objective: Double
  /// The best bound the solver proved on the objective.
  public var bound: Double

  public init(status: Status, values: [Double], objective: Double, bound: Double) {
    self.status = status
    self.values = values
    self.objective = objective
    self.bound = bound
  }

  /// Relative distance between the solution and the proven bound (0 when proven optimal).
  public var gap: Double {
    guard status == .feasible, objective.isFinite, bound.isFinite else { return status == .optimal ? 0 : .infinity }
    return abs(objective - bound) / max(abs(objective), 1e-300)
  }
}
