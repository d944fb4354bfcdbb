import Foundation
import Hardware
import Mapping
import Synchronization

/// The driver's count of what one search spends: simulations, infeasible results by reason,
/// accuracy probes, and the budget's clock. Every strategy's evaluations go through it
/// (``MappingProblem/assess(_:goal:fallbacks:)``), so every strategy is counted alike.
public final class SearchLedger: Sendable {
  struct State {
    var evaluations = 0
    var infeasible = 0
    var reasons: [String: Int] = [:]
    var reasonOrder: [String] = []
    var probes = 0
    var stoppedBy: BudgetStop?
    /// The first infeasible assessment, shown when a search finds nothing feasible.
    var firstInfeasible: Assessment?
  }

  public let budget: SearchBudget
  let start: ContinuousClock.Instant
  let deadline: ContinuousClock.Instant?
  let state = Mutex(State())

  public init(budget: SearchBudget) {
    self.budget = budget
    let now = ContinuousClock.now
    start = now
    deadline = budget.timeLimit.map { now.advanced(by: .nanoseconds(Int64(min($0.seconds * 1e9, 9e18)))) }
  }

  /// Whether a limit of the budget has been reached; the first time it is, the limit is recorded.
  public var isExhausted: Bool {
    state.withLock { s in
      if s.stoppedBy != nil { return true }
      if let n = budget.evaluations, s.evaluations >= n {
        s.stoppedBy = .evaluations
      } else if let deadline, ContinuousClock.now >= deadline {
        s.stoppedBy = .timeLimit
      } else if let reason = budget.stop?.reason {
        s.stoppedBy = reason == .interrupted ? .interrupted : .timeLimit
      }
      return s.stoppedBy != nil
    }
  }

  /// The limit that cut the search, once one did.
  public var stoppedBy: BudgetStop? { state.withLock { $0.stoppedBy } }

  func record(_ a: Assessment) {
    state.withLock { s in
      s.evaluations += 1
      guard let first = a.reasons.first else { return }
      s.infeasible += 1
      let key = first.statement
      if s.reasons[key] == nil { s.reasonOrder.append(key) }
      s.reasons[key, default: 0] += 1
      if s.firstInfeasible == nil { s.firstInfeasible = a }
    }
  }

  func recordProbe() { state.withLock { $0.probes += 1 } }

  var firstInfeasible: Assessment? { state.withLock { $0.firstInfeasible } }

  /// The statistics so far.
  public func statistics(seed: UInt64) -> SearchStatistics {
    let wall = ContinuousClock.now - start
    return state.withLock { s in
      let reasons = s.reasonOrder.map { SearchStatistics.ReasonCount(reason: $0, count: s.reasons[$0] ?? 0) }
        .enumerated().sorted { ($0.element.count, -$0.offset) > ($1.element.count, -$1.offset) }.map(\.element)
      return SearchStatistics(
        evaluations: s.evaluations, infeasible: s.infeasible, reasons: reasons, accuracyProbes: s.probes,
        wallSeconds: Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18,
        stoppedBy: s.stoppedBy, seed: seed)
    }
  }
}

/// One evaluated mapping and why it is infeasible (empty: feasible).
public struct Assessment: Sendable {
  public var point: FrontPoint
  public var reasons: [Infeasibility]
  public var isFeasible: Bool { reasons.isEmpty }
}
