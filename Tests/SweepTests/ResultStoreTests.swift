import HybrixCLI
import Foundation
import HybrixCore
import Reports
import Testing

@testable import Sweep

@Suite struct ResultStoreTests {
  static let smallPlan = repositoryRoot.appendingPathComponent("examples/sweep-small.yaml").path

  @Test func runThenResumeRunsNothingTwice() async throws {
    let folder = temporaryFolder()
    let path = folder + "/r.sqlite"
    let p = try SweepPlan.load(path: Self.smallPlan)
    let first = try await SweepRunner(plan: p, store: ResultStore(path: path), jobs: 2).run()
    #expect(first.ran == 20 && first.resumed == 0)
    #expect(first.byStatus["ok"] == 20)
    let second = try await SweepRunner(plan: p, store: ResultStore(path: path), jobs: 2).run()
    #expect(second.ran == 0 && second.resumed == 20)
    #expect(try ResultStore(path: path).count() == 20)
    // One worker or two: the same rows.
    let serial = folder + "/serial.sqlite"
    _ = try await SweepRunner(plan: p, store: ResultStore(path: serial), jobs: 1).run()
    #expect(try allRows(serial) == allRows(path))
  }

  /// A stored report is exactly what `hybrix map --json` prints for the same point, but for the
  /// search's wall time, which the store zeroes.
  @Test func storedReportIsTheMapReport() async throws {
    let folder = temporaryFolder()
    let path = folder + "/r.sqlite"
    let p = try plan(
      """
      version: 1
      workloads: [{model: lenet5, batch: [1, 4]}]
      architectures: [lionheart]
      strategies: [greedy, naive, "homogeneous:cpu"]
      objectives: [energy]
      """)
    _ = try await SweepRunner(plan: p, store: ResultStore(path: path), jobs: 2).run()
    let table = try ResultStore(path: path, readOnly: true).query(columns: ["batch", "strategy", "report", "energy_j"])
    #expect(table.rows.count == 6)
    for i in table.rows.indices {
      guard case .integer(let batch) = table.value("batch", row: i), let strategy = table.value("strategy", row: i).text
      else { Issue.record("row \(i) lacks batch or strategy"); continue }
      let map = await runHybrix([
        "map", "lenet5", "--batch", "\(batch)", "--arch", "lionheart", "--strategy", strategy, "--objective", "energy",
        "--no-baselines", "--json",
      ])
      #expect(map.exitCode == 0)
      var report = try JSONDecoder().decode(MapReport.self, from: Data(map.standardOutput.utf8))
      #expect((report.search?.wallSeconds ?? 0) > 0)
      report.search?.wallSeconds = 0
      #expect(table.value("report", row: i).text == (try ReportJSON.encode(report)), "\(strategy) batch \(batch)")
      #expect(table.value("energy_j", row: i).double == report.result.energyJoules)
    }
  }

  @Test func shardsMergeToTheSingleRun() async throws {
    let folder = temporaryFolder()
    let p = try SweepPlan.load(path: Self.smallPlan)
    let whole = folder + "/whole.sqlite"
    _ = try await SweepRunner(plan: p, store: ResultStore(path: whole), jobs: 2).run()
    var shardPaths: [String] = []
    var shardRows = 0
    for i in 0..<3 {
      let path = folder + "/shard-\(i).sqlite"
      let s = try await SweepRunner(plan: p, store: ResultStore(path: path), jobs: 1, shard: Shard(index: i, count: 3)).run()
      shardRows += s.ran
      shardPaths.append(path)
    }
    #expect(shardRows == 20)
    let merged = folder + "/merged.sqlite"
    let out = try ResultStore(path: merged)
    let added = try shardPaths.map { try out.merge(from: $0) }
    #expect(added == [7, 7, 6])
    #expect(try allRows(merged) == allRows(whole))
    // Idempotent: merging again adds nothing.
    #expect(try shardPaths.map { try out.merge(from: $0) } == [0, 0, 0])
    #expect(try out.merge(from: whole) == 0)
    #expect(try allRows(merged) == allRows(whole))
  }

  @Test func conflictingRowsRefuseToMerge() async throws {
    let folder = temporaryFolder()
    let p = try SweepPlan.load(path: Self.smallPlan)
    let a = folder + "/a.sqlite"
    let b = folder + "/b.sqlite"
    _ = try await SweepRunner(plan: p, store: ResultStore(path: a), jobs: 2).run()
    _ = try await SweepRunner(plan: p, store: ResultStore(path: b), jobs: 2).run()
    try ResultStore(path: b).lockedDatabase { db throws(ConfigError) in
      try db.execute("UPDATE points SET energy_j = energy_j * 2 WHERE point = 3")
    }
    let out = try ResultStore(path: folder + "/out.sqlite")
    #expect(try out.merge(from: a) == 20)
    #expect(throws: ConfigError.self) { try out.merge(from: b) }
    #expect(try out.count() == 20)
  }

  @Test func otherToolVersionsAndBrokenFilesAreRefused() async throws {
    let folder = temporaryFolder()
    let old = folder + "/old.sqlite"
    _ = try ResultStore(path: old)
    try ResultStore(path: old).lockedDatabase { db throws(ConfigError) in
      try db.execute("UPDATE meta SET value = '0.0.1' WHERE key = 'tool_version'")
    }
    var messages: [String] = []
    do { _ = try ResultStore(path: old) } catch { messages.append(error.description) }
    do { _ = try ResultStore(path: folder + "/new.sqlite").merge(from: old) } catch { messages.append(error.description) }
    let garbage = folder + "/garbage.sqlite"
    try Data("not a database at all, just some bytes".utf8).write(to: URL(fileURLWithPath: garbage))
    do { _ = try ResultStore(path: garbage, readOnly: true) } catch { messages.append(error.description) }
    do { _ = try ResultStore(path: folder + "/absent.sqlite", readOnly: true) } catch { messages.append(error.description) }
    #expect(messages.count == 4)
    #expect(messages[0].contains("written by hybrix 0.0.1") && messages[1].contains("written by hybrix 0.0.1"))
    #expect(messages[2].contains("not a hybrix results store"))
    #expect(messages[3].contains("no such results store"))
  }

  @Test func shardsAndSlurmVariables() async throws {
    #expect(try Shard(parsing: "2/4") == Shard(index: 2, count: 4))
    #expect(throws: ConfigError.self) { try Shard(parsing: "4/4") }
    #expect(throws: ConfigError.self) { try Shard(parsing: "-1/4") }
    #expect(throws: ConfigError.self) { try Shard(parsing: "1of4") }
    #expect(try Shard.fromSlurm([:]) == nil)
    #expect(try Shard.fromSlurm(["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "4"]) == Shard(index: 3, count: 4))
    #expect(
      try Shard.fromSlurm(["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "1"])
        == Shard(index: 3, count: 4))
    #expect(throws: ConfigError.self) { try Shard.fromSlurm(["SLURM_ARRAY_TASK_ID": "x"]) }
    // Every point is in exactly one shard.
    let points = try SweepPlan.load(path: Self.smallPlan).points()
    for n in 1...5 {
      let shards = try (0..<n).map { try Shard(index: $0, count: n) }
      #expect(points.allSatisfy { p in shards.filter { $0.contains(p) }.count == 1 })
    }
  }

  @Test func queriesFilterOnFiguresAndParameters() async throws {
    let path = temporaryFolder() + "/q.sqlite"
    _ = try await SweepRunner(plan: SweepPlan.load(path: Self.smallPlan), store: ResultStore(path: path), jobs: 2).run()
    let store = try ResultStore(path: path, readOnly: true)
    #expect(try store.parameterPaths() == ["tiers.reram0.adc_bits", "tiers.pcm0.count"])
    let adc7 = try store.query(where: "\"tiers.reram0.adc_bits\" = 7")
    #expect(adc7.rows.count == 4)
    let all = try store.query(columns: ["energy_mj"])
    let threshold = 0.005
    let expected = all.rows.filter { ($0[0].double ?? .infinity) < threshold }.count
    #expect(expected > 0 && expected < 20)
    #expect(try store.query(where: "energy_mj < \(threshold)").rows.count == expected)
    #expect(throws: ConfigError.self) { try store.query(where: "energy_mj <") }
    #expect(throws: ConfigError.self) { try store.query(columns: ["energy_mJ2"]) }
  }
}
