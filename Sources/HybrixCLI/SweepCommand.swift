import ArgumentParser
import Foundation
import HybrixCore
import Search
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
        hybrix sweep plan.yaml --time-limit 10min                    (then the same command resumes)
      Ctrl-C or --time-limit stops within a second: every finished point stays stored, points under \
      way are dropped, and running the same command again resumes. A second Ctrl-C quits at once.
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

  @Option(name: .customLong("time-limit"), help: "Stop after this long, e.g. 90s, 10min, 2h (default: no limit); run again to resume.")
  var timeLimit: String?

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
      let limit = try SearchBudget.parse(timeLimit: timeLimit, evaluations: nil).timeLimit
      let results = try ResultStore(path: store)
      let storedBefore = try results.count()
      let stop = StopRequest(timeLimitSeconds: limit?.seconds)
      // In-process (tests) the runner's own SIGINT handling is left alone.
      if Terminal.capture == nil { stop.installInterruptHandler() }
      let storePath = store
      // The hard stop: points under way may take longer than a second; within one second of the
      // request the store is sealed (a write under way commits, later ones are dropped) and the
      // process ends.
      stop.startWatchdog(grace: Self.stopGraceSeconds) { reason in
        results.seal()
        let stored = ((try? results.count()) ?? storedBefore) - storedBefore
        print("")
        print(Self.stoppedMessage(reason, storedNow: stored, store: storePath, droppedPointsUnderWay: true))
        Foundation.exit(reason == .interrupted ? 130 : 0)
      }
      let line = ProgressLine()
      let runner = SweepRunner(plan: loaded, store: results, jobs: workers, shard: slice)
      let summary = try await runner.run(
        progress: { p in
          let rate = p.seconds > 0 ? Double(p.done) / p.seconds : 0
          let eta = rate > 0 ? Double(p.total - p.done) / rate : 0
          line.update("\(ProgressLine.bar(p.done, p.total)) \(p.done)/\(p.total) points, \(String(format: "%.1f", rate)) points/s, ETA \(Int(eta.rounded())) s", force: p.done == p.total)
        },
        shouldStop: { stop.isRequested })
      stop.finish()
      line.finish()
      let statuses = summary.byStatus.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
      let rate = summary.seconds > 0 ? Double(summary.ran) / summary.seconds : 0
      Terminal.print(
        "\(loaded.name): \(summary.ran) points run\(statuses.isEmpty ? "" : " (\(statuses))"), \(summary.resumed) already stored"
          + (slice.map { ", shard \($0) of \(summary.planPoints) points" } ?? " of \(summary.planPoints)")
          + String(format: "; %.2f s, %.1f points/s with %d worker%@", summary.seconds, rate, workers, workers == 1 ? "" : "s")
          + String(
            format: " (plan %.2f s; per point: mapping %.1f ms, row and store write %.2f ms)", summary.planSeconds,
            summary.ran > 0 ? 1000 * summary.mappingSeconds / Double(summary.ran) : 0,
            summary.ran > 0 ? 1000 * summary.storeSeconds / Double(summary.ran) : 0)
          + "\nstore: \(store)")
      if let reason = stop.reason, summary.resumed + summary.ran < summary.shardPoints {
        Terminal.print(Self.stoppedMessage(reason, storedNow: summary.ran, store: store, droppedPointsUnderWay: false))
        if reason == .interrupted { throw ExitCode(130) }
      }
    }
  }

  /// How long the points under way may take to finish after Ctrl-C or the time limit.
  static let stopGraceSeconds = 0.8

  static func stoppedMessage(_ reason: StopRequest.Reason, storedNow: Int, store: String, droppedPointsUnderWay: Bool) -> String {
    "sweep \(reason.rawValue): \(storedNow) points stored by this run"
      + (droppedPointsUnderWay ? ", the points under way dropped" : "")
      + "; the store is consistent (every stored point is whole). Run the same command again to resume: \(store)"
  }
}
