import Foundation
import Hardware
import HybrixCore
import Mapping
import Reports
import Search
import Workloads

/// Runs one sweep point with the code `hybrix map` runs: StrategyRegistry → MappingProblem →
/// strategy.search → (baselines) → MapReport → JSON as `hybrix map --json` prints it.
///
/// This is the one file to change when the search driver (`Explorer`) replaces this sequence.
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
  public static func run(_ point: SweepPoint, workload loaded: WorkloadRequest.Loaded) -> Outcome {
    let architecture: Architecture
    switch point.architecture {
    case .success(let a): architecture = a
    case .failure(let errors): return Outcome(status: .invalid, reason: errors.description)
    }
    let chosen: any SearchStrategy
    do {
      chosen = try StrategyRegistry.strategy(named: point.strategy, tiers: architecture.tiers.map(\.id))
    } catch {
      return Outcome(status: .invalid, reason: error.description)
    }
    let problem = MappingProblem(graph: loaded.graph, architecture: architecture, precision: point.precision)
    let result = chosen.search(problem, objective: point.objective)
    let baselines =
      point.baselines
      ? Baselines.run(
        graph: loaded.graph, architecture: architecture, precision: point.precision, objective: point.objective,
        excluding: chosen.name)
      : []
    let report = MapReport(
      graph: loaded.graph, source: loaded.source, path: loaded.path, precision: point.precision,
      architecture: architecture, search: result, objective: point.objective, baselines: baselines,
      warnings: loaded.warnings, lowering: DeploymentLoweringInfo(loaded))
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
