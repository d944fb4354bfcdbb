import Foundation
import HybrixCore
import Testing

@testable import Sweep

/// A one-node Slurm cluster on localhost (scripts/slurm-local-cluster: munged, slurmctld,
/// slurmd) runs the small plan as a 4-task job array; the merged shard stores equal a
/// single-process run row for row.
///
/// Skipped, with the reason on standard error, only where the cluster cannot start (no root, no
/// Debian packages): `.ci/run` installs and starts it.
@Suite struct SlurmTests {
  /// The cluster's config file, or why there is none.
  static let cluster: Result<String, ClusterUnavailable> = {
    let script = repositoryRoot.appendingPathComponent("scripts/slurm-local-cluster").path
    let run = runTool("/usr/bin/env", ["bash", script, "start"])
    let conf = run.output.split(separator: "\n").last.map(String.init) ?? ""
    guard run.status == 0, FileManager.default.fileExists(atPath: conf) else {
      let reason = "the one-node Slurm cluster did not start: \(run.error.isEmpty ? run.output : run.error)"
      FileHandle.standardError.write(Data("SlurmTests skipped: \(reason)\n".utf8))
      return .failure(ClusterUnavailable(reason: reason))
    }
    return .success(conf)
  }()

  struct ClusterUnavailable: Error { var reason: String }

  static func runTool(_ path: String, _ arguments: [String], environment: [String: String] = [:]) -> (
    status: Int32, output: String, error: String
  ) {
    ChildProcess.run(path, arguments, environment: environment, directory: repositoryRoot.path)
  }

  @Test(.enabled(if: (try? cluster.get()) != nil), .timeLimit(.minutes(3)))
  func jobArrayMergesToTheSingleRun() async throws {
    let conf = try Self.cluster.get()
    let binary = try #require(hybrixExecutable)
    let folder = temporaryFolder()
    let plan = repositoryRoot.appendingPathComponent("examples/sweep-small.yaml").path
    let sbatch = repositoryRoot.appendingPathComponent("deploy/slurm/sweep.sbatch").path
    let submitted = Self.runTool(
      "/usr/bin/env",
      ["timeout", "-k", "10", "150", "sbatch", "--wait", "--array=0-3", "--output=\(folder)/task-%a.out", sbatch],
      environment: ["SLURM_CONF": conf, "PLAN": plan, "OUT": folder + "/out", "HYBRIX": binary])
    #expect(submitted.status == 0, "sbatch: \(submitted.output) \(submitted.error)")
    let shards = (0..<4).map { "\(folder)/out/shard-\($0).sqlite" }
    #expect(shards.allSatisfy { FileManager.default.fileExists(atPath: $0) })
    // Each task ran its own quarter of the 20 points.
    let counts = try shards.map { try ResultStore(path: $0, readOnly: true).count() }
    #expect(counts == [5, 5, 5, 5])

    let merged = folder + "/merged.sqlite"
    let merge = Self.runTool(binary, ["results", "merge", merged] + shards)
    #expect(merge.status == 0, "\(merge.error)")
    #expect(merge.output.contains("20 rows added from 4 stores"))

    let single = folder + "/single.sqlite"
    _ = try await SweepRunner(plan: SweepPlan.load(path: plan), store: ResultStore(path: single), jobs: 2).run()
    #expect(try allRows(merged) == allRows(single))
  }
}
