import HybrixCLI
import Foundation
import HybrixCore
import Testing

@testable import Sweep

/// Ctrl-C and `--time-limit` stop a sweep within a second, leave a consistent store that says
/// so, and the same command resumes it to the rows of an uninterrupted run.
@Suite struct SweepStopTests {

  static func integrity(_ store: String) throws -> String? {
    try ResultStore(path: store).lockedDatabase { db throws(ConfigError) in try db.rows("PRAGMA integrity_check") }
      .first?["integrity_check"]?.text
  }

  @Test(.timeLimit(.minutes(3))) func controlCStopsWithinASecondAndResumes() async throws {
    let binary = try #require(hybrixExecutable, "build the hybrix executable first (swift build --build-tests)")
    let folder = temporaryFolder()
    let planPath = folder + "/plan.yaml"
    try KillResumeTests.planYAML.write(toFile: planPath, atomically: true, encoding: .utf8)
    let store = folder + "/interrupted.sqlite"
    let total = 24

    let child = try ChildProcess(binary, ["sweep", planPath, "--store", store, "--jobs", "2"])
    let deadline = Date().addingTimeInterval(30)
    while KillResumeTests.rowCount(store) < 3, child.isRunning, Date() < deadline { usleep(2_000) }
    let sent = ContinuousClock.now
    child.send(SIGINT)
    let end = child.wait()
    let text = child.output + child.errorOutput
    let took = ContinuousClock.now - sent
    // The hard stop comes 0.8 s after the request; the rest is slack for a loaded machine.
    #expect(took < .milliseconds(1_500), "stopping took \(took)")
    #expect(end.exitCode == 130, "\(text)")
    #expect(text.contains("sweep interrupted (Ctrl-C)") && text.contains("the store is consistent"), "\(text)")
    let stored = KillResumeTests.rowCount(store)
    #expect(stored >= 3 && stored < total, "\(stored) rows")
    #expect(try Self.integrity(store) == "ok")

    // The same command resumes; the store ends as an uninterrupted run's.
    let resumed = try KillResumeTests.sweep(binary, [planPath, "--store", store, "--jobs", "2"])
    #expect(resumed.wait().exitCode == 0)
    let resumedText = resumed.output
    #expect(resumedText.contains("\(total - stored) points run") && resumedText.contains("\(stored) already stored"), "\(resumedText)")
    let clean = folder + "/clean.sqlite"
    _ = try await SweepRunner(plan: SweepPlan.load(path: planPath), store: ResultStore(path: clean), jobs: 2).run()
    #expect(try allRows(store) == allRows(clean))
  }

  @Test(.timeLimit(.minutes(3))) func timeLimitStopsWithinASecondOfIt() throws {
    let binary = try #require(hybrixExecutable, "build the hybrix executable first (swift build --build-tests)")
    let folder = temporaryFolder()
    let store = folder + "/limited.sqlite"
    let plan = repositoryRoot.appendingPathComponent("examples/sweep-large.yaml").path  // 924 points: minutes in debug
    let started = ContinuousClock.now
    let child = try KillResumeTests.sweep(binary, [plan, "--store", store, "--jobs", "2", "--time-limit", "1500ms"])
    let end = child.wait()
    let text = child.output + child.errorOutput
    let took = ContinuousClock.now - started
    #expect(took < .milliseconds(1_500 + 1_500), "the sweep ran \(took) with --time-limit 1500ms")
    #expect(end.exitCode == 0, "\(text)")
    #expect(text.contains("sweep stopped at the time limit") && text.contains("Run the same command again to resume"), "\(text)")
    #expect(KillResumeTests.rowCount(store) < 924)
    #expect(try Self.integrity(store) == "ok")
  }

  @Test func aBadTimeLimitIsOneMessage() async {
    let r = await runHybrix(["sweep", repositoryRoot.appendingPathComponent("examples/sweep-small.yaml").path, "--store", temporaryFolder() + "/s.sqlite", "--time-limit", "soon"])
    #expect(r.exitCode != 0)
    #expect(r.standardError.contains("--time-limit"), "\(r.standardError)")
  }

  /// In-process: the runner stops taking points once asked, and every point it ran is stored.
  @Test func theRunnerStopsTakingPointsWhenAsked() async throws {
    let folder = temporaryFolder()
    let p = try SweepPlan.load(path: repositoryRoot.appendingPathComponent("examples/sweep-small.yaml").path)
    let stop = StopRequest()
    let counter = Counter()
    let summary = try await SweepRunner(plan: p, store: ResultStore(path: folder + "/s.sqlite"), jobs: 1).run(
      progress: { _ in if counter.increment() == 5 { stop.request(.interrupted) } },
      shouldStop: { stop.isRequested })
    #expect(summary.ran == 5 && summary.shardPoints == 20)
    #expect(try ResultStore(path: folder + "/s.sqlite").count() == 5)
    #expect(stop.reason == .interrupted)
    stop.request(.timeLimit)
    #expect(stop.reason == .interrupted, "the first reason is kept")
  }

  @Test func theWatchdogFiresAfterTheGraceAndNotAfterFinish() async throws {
    let fired = Counter()
    let stop = StopRequest(timeLimitSeconds: 0.05)
    stop.startWatchdog(grace: 0.1) { reason in if reason == .timeLimit { _ = fired.increment() } }
    try await Task.sleep(for: .milliseconds(600))
    #expect(fired.value == 1)
    let finished = StopRequest()
    finished.startWatchdog(grace: 0.05) { _ in _ = fired.increment() }
    finished.finish()
    finished.request(.interrupted)
    try await Task.sleep(for: .milliseconds(300))
    #expect(fired.value == 1)
    #expect(StopRequest().reason == nil)
  }
}

final class Counter: @unchecked Sendable {
  // @unchecked: `count` is read and written under `lock`.
  private let lock = NSLock()
  private var count = 0
  func increment() -> Int { lock.withLock { count += 1; return count } }
  var value: Int { lock.withLock { count } }
}
