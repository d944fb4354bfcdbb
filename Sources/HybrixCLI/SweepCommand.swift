import ArgumentParser
import Foundation
import HybrixCore
import Sweep

/// `hybrix sweep PLAN.yaml [--jobs N] [--store FILE] [--shard i/N]`: run every point of a
/// design-space plan into a resumable SQLite results store.
struct SweepCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Run a design-space sweep (a plan of workloads × architectures × parameters × strategies) into a results store.",
    discussion: """
      Each point runs the same code as `hybrix map` and becomes one row of the store, keyed by a \
      content hash; run the same command again to resume after an interruption.
      Examples:
        hybrix sweep examples/sweep-small.yaml
        hybrix sweep plan.yaml --jobs 2 --store results.sqlite
        hybrix sweep plan.yaml --shard 0/4 --store shard-0.sqlite   (or inside a Slurm job array)
      docs/sweeps.md describes plans and stores.
      """)

  @Argument(help: "The sweep plan (YAML, version: 1).")
  var plan: String

  @Option(name: .long, help: "Worker threads (default: the number of cores).")
  var jobs: Int?

  @Option(name: .long, help: "The SQLite results store to write (created if absent; resumed if present).")
  var store: String = "results.sqlite"

  @Option(name: .long, help: "Run only shard INDEX/COUNT (INDEX from 0). Default: SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT when set.")
  var shard: String?

  @Flag(name: .customLong("dry-run"), help: "Print how many points the plan and this shard have, and run nothing.")
  var dryRun = false

  func run() async throws {
    try await reportingErrors {
      let loaded = try SweepPlan.load(path: plan)
      let slice = try shard.map { s throws(ConfigError) in try Shard(parsing: s) }
        ?? Shard.fromSlurm(ProcessInfo.processInfo.environment)
      let workers = jobs ?? ProcessInfo.processInfo.activeProcessorCount
      guard workers >= 1 else {
        throw ConfigError(path: "--jobs", message: "\(workers)", expected: "an integer ≥ 1")
      }
      if dryRun {
        let points = loaded.points()
        let mine = slice.map { s in points.filter { s.contains($0) }.count } ?? points.count
        Terminal.print("\(loaded.name): \(points.count) points; \(mine) in shard \(slice?.description ?? "all")")
        return
      }
      let results = try ResultStore(path: store)
      let line = ProgressLine()
      let runner = SweepRunner(plan: loaded, store: results, jobs: workers, shard: slice)
      let summary = try await runner.run { p in
        let rate = p.seconds > 0 ? Double(p.done) / p.seconds : 0
        let eta = rate > 0 ? Double(p.total - p.done) / rate : 0
        line.update("\(ProgressLine.bar(p.done, p.total)) \(p.done)/\(p.total) points, \(String(format: "%.1f", rate)) points/s, ETA \(Int(eta.rounded())) s", force: p.done == p.total)
      }
      line.finish()
      let statuses = summary.byStatus.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
      let rate = summary.seconds > 0 ? Double(summary.ran) / summary.seconds : 0
      Terminal.print(
        "\(loaded.name): \(summary.ran) points run\(statuses.isEmpty ? "" : " (\(statuses))"), \(summary.resumed) already stored"
          + (slice.map { ", shard \($0) of \(summary.planPoints) points" } ?? " of \(summary.planPoints)")
          + String(format: "; %.2f s, %.1f points/s with %d worker%@", summary.seconds, rate, workers, workers == 1 ? "" : "s")
          + "\nstore: \(store)")
    }
  }
}
