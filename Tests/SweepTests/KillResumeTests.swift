import Foundation
import HybrixCore
import Testing

@testable import Sweep

/// The real `hybrix` binary, killed with SIGKILL mid-sweep, resumes with nothing lost and
/// nothing run twice, and ends with the rows of an uninterrupted run.
@Suite struct KillResumeTests {
  static let planYAML = """
    version: 1
    name: kill-resume
    workloads: [{model: resnet50}, {model: bert-base, seq: 128}]
    architectures:
      - {arch: h3pimap, parameters: {tiers.reram0.adc_bits: [5, 6, 7, 8]}}
      - {arch: cmswitch, parameters: {tiers.dyna0.count: [48, 96]}}
    strategies: [greedy, naive]
    """

  static func rowCount(_ path: String) -> Int {
    guard FileManager.default.fileExists(atPath: path), let store = try? ResultStore(path: path, readOnly: true) else {
      return 0
    }
    return (try? store.count()) ?? 0
  }

  static func sweep(_ binary: String, _ arguments: [String]) throws -> ChildProcess {
    try ChildProcess(binary, ["sweep"] + arguments)
  }

  @Test(.timeLimit(.minutes(3))) func killNineThenResume() async throws {
    let binary = try #require(hybrixExecutable, "build the hybrix executable first (swift build --build-tests)")
    let folder = temporaryFolder()
    let planPath = folder + "/plan.yaml"
    try Self.planYAML.write(toFile: planPath, atomically: true, encoding: .utf8)
    let store = folder + "/killed.sqlite"
    let total = 24

    // Start, wait until a few points are stored, then SIGKILL.
    let child = try Self.sweep(binary, [planPath, "--store", store, "--jobs", "1"])
    let deadline = Date().addingTimeInterval(30)
    while Self.rowCount(store) < 4, child.isRunning, Date() < deadline { usleep(2_000) }
    child.send(SIGKILL)
    #expect(child.wait().signal == SIGKILL, "the sweep finished before it could be killed")
    let stored = Self.rowCount(store)
    #expect(stored >= 4 && stored < total)

    // Resume: the stored points are skipped, the others run once.
    let resumed = try Self.sweep(binary, [planPath, "--store", store, "--jobs", "1"])
    #expect(resumed.wait().exitCode == 0)
    let text = resumed.output
    #expect(text.contains("kill-resume: \(total - stored) points run"), "\(text)")
    #expect(text.contains("\(stored) already stored"), "\(text)")
    #expect(Self.rowCount(store) == total)

    // Row for row, the same as a run that was never interrupted.
    let clean = folder + "/clean.sqlite"
    _ = try await SweepRunner(plan: SweepPlan.load(path: planPath), store: ResultStore(path: clean), jobs: 2).run()
    #expect(try allRows(store) == allRows(clean))
    // The killed store passes SQLite's own check.
    let check = try ResultStore(path: store).lockedDatabase { db throws(ConfigError) in try db.rows("PRAGMA integrity_check") }
    #expect(check.first?["integrity_check"]?.text == "ok")
  }
}
