import Foundation
import Hardware
import HybrixCore
import Mapping
import Reports
import Search
import Workloads

/// Runs one sweep point with the code `hybrix map` runs: StrategyRegistry → ``Explorer`` (which
/// owns the cost model and simulator) → (baselines) → MapReport → JSON as `hybrix map --json`
/// prints it.
public enum PointRunner {
  /// How a point ended.
  public enum Status: String, Sendable, Codable {
    /// Mapped: the report's figures are in the row.
    case ok
    /// The strategy found no feasible mapping; the report says why.
    case infeasible
    /// The point could not run: its overrides make the spec invalid, or its strategy names no
    /// tier of the architecture. `reason` holds the error.
    case invalid
  }

  public struct Outcome: Sendable {
    public var status: Status
    public var reason: String?
    public var report: MapReport?
    /// The report exactly as `hybrix map --json` prints it.
    public var json: String?
  }

  /// Runs `point` on its loaded workload.
  public static func run(_ point: SweepPoint, workload loaded: WorkloadRequest.Loaded) async -> Outcome {
    let architecture: Architecture
    switch point.architecture {
    case .success(let a): architecture = a
    case .failure(let errors): return Outcome(status: .invalid, reason: errors.description)
    }
    var report: MapReport
    do throws(ConfigError) {
      let goal = try Goal.parse(objectives: point.objective)
      let chosen = try StrategyRegistry.strategy(named: point.strategy, tiers: architecture.tiers.map(\.id))
      let explorer = Explorer(graph: loaded.graph, architecture: architecture, precision: point.precision)
      let result = try await explorer.run(chosen, goal: goal, seed: point.seed)
      let baselines = point.baselines ? try await explorer.baselines(goal: goal, excluding: chosen.name) : []
      report = MapReport(
        graph: loaded.graph, source: loaded.source, path: loaded.path, precision: point.precision,
        architecture: architecture, search: result, baselines: baselines,
        warnings: loaded.warnings, lowering: DeploymentLoweringInfo(loaded))
    } catch {
      return Outcome(status: .invalid, reason: error.description)
    }
    // The one timing in a map report: zeroed, so that a point's row is the same in every run,
    // resumed or sharded (the sweep's own wall time is in its summary line).
    report.search?.wallSeconds = 0
    let json: String
    do { json = try ReportJSON.encode(report) } catch {
      return Outcome(status: .invalid, reason: "cannot encode the report: \(error)")
    }
    let feasible = report.result.feasible
    return Outcome(
      status: feasible ? .ok : .infeasible,
      reason: feasible ? nil : report.result.infeasible.joined(separator: "; "), report: report, json: json)
  }
}
