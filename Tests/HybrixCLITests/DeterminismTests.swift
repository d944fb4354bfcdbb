import HybrixCLI
import Foundation
import Testing

/// Every subcommand run twice with the same seed prints byte-identical output (JSON where the
/// command has it), in-process through the CLI runner. The only lines allowed to differ are the
/// timings and timestamps named in ``timingKeys``; they are masked before the comparison.
@Suite struct DeterminismTests {
  /// JSON keys that hold a wall-clock timing (the only non-deterministic values in any report):
  ///   - `wallSeconds`: the search time in `hybrix map --json` (`search.wallSeconds`, also in
  ///     each baseline's search) and in `hybrix accuracy --json`;
  ///   - `seconds`: the wall time of `hybrix train --json`, in all (`seconds`) and per epoch
  ///     (`epochs[].seconds`).
  /// Sweep stores hold no timings (the stored reports have `wallSeconds` 0), so `hybrix results`
  /// output is compared unmasked.
  static let timingKeys = ["wallSeconds", "seconds"]

  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let dataInstalled = AccuracyCommandTests.dataInstalled

  /// `text` with the value of every timing key replaced by `<timing>` (pretty-printed JSON has
  /// one key per line).
  static func masked(_ text: String) -> String {
    var out = text
    for key in timingKeys {
      out = out.replacingOccurrences(
        of: "(\"\(key)\" ?: ?)[-+0-9.eE]+", with: "$1<timing>", options: .regularExpression)
    }
    return out
  }

  /// Runs `arguments` twice; both runs succeed, print something, and print the same bytes once
  /// the timings are masked. Returns the first run's output.
  @discardableResult
  static func twice(_ arguments: [String], _ setUp: () -> Void = {}) async -> String {
    setUp()
    let first = await runHybrix(arguments)
    setUp()
    let second = await runHybrix(arguments)
    let line = "hybrix " + arguments.joined(separator: " ")
    #expect(first.exitCode == 0 && second.exitCode == 0, "\(line): \(first.standardError)")
    #expect(!first.standardOutput.isEmpty, "\(line) printed nothing")
    #expect(masked(first.standardOutput) == masked(second.standardOutput), "\(line) differs between two runs")
    return first.standardOutput
  }

  @Test func modelsArchsInspectAndMapRepeatByteForByte() async {
    await Self.twice(["models", "--json"])
    await Self.twice(["archs"])
    await Self.twice(["archs", "h3pimap"])
    await Self.twice(["inspect", "resnet20", "--json"])
    await Self.twice(["inspect", Self.root.appendingPathComponent("models/lenet5.onnx").path, "--dim", "N=1", "--json"])
    let map = await Self.twice(["map", "resnet20", "--arch", "h3pimap", "--seed", "7", "--json"])
    // The mask is no wider than the named keys: the report holds the timing, masked once.
    #expect(Self.masked(map).components(separatedBy: "<timing>").count - 1 == map.components(separatedBy: "\"wallSeconds\"").count - 1)
    await Self.twice(["map", "gpt2", "--seq", "8", "--arch", "mirage", "--objective", "latency,energy", "--seed", "3", "--json"])
    await Self.twice(["map", "small-cnn", "--arch", "lionheart", "--strategy", "naive", "--json"])
  }

  @Test(.enabled(if: dataInstalled, "needs: sudo apt-get install dataset-fashion-mnist"))
  func accuracyAndTrainRepeatByteForByte() async {
    await Self.twice([
      "accuracy", "lenet5", "--weights", AccuracyCommandTests.checkpoint, "--arch", "lionheart",
      "--mapping", "homogeneous:pcm0", "--at", "1d", "--repeats", "2", "--limit", "20", "--seed", "5", "--json",
    ])
    await Self.twice([
      "train", "mlp", "--dataset", "fashion-mnist", "--epochs", "1", "--limit", "64", "--test-limit", "32",
      "--batch-size", "32", "--seed", "3", "--json",
    ])
  }

  @Test func sweepAndResultsRepeatByteForByte() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hybrix-det-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let plan = Self.root.appendingPathComponent("examples/sweep-small.yaml").path
    // Each sweep starts from no store; the stores' rows (every column, the full reports) must match.
    var stores: [String] = []
    for i in 0..<2 {
      let store = folder + "/s\(i).sqlite"
      let r = await runHybrix(["sweep", plan, "--store", store, "--jobs", "2"])
      #expect(r.exitCode == 0, "\(r.standardError)")
      stores.append(store)
    }
    let columns = "point,hash,status,reason,model,strategy,objective,latency_ms,energy_mj,report"
    var rows: [String] = []
    for s in stores { rows.append(try #require(await runHybrixOK(["results", "query", s, "--columns", columns, "--json"]))) }
    #expect(rows[0] == rows[1], "two sweeps of one plan stored different rows")
    #expect(rows[0].contains("\"report\""))
    for s in stores.prefix(1) {
      await Self.twice(["results", "list", s, "--json"])
      await Self.twice(["results", "list", s, "--csv"])
      await Self.twice(["results", "query", s, "--where", "status = 'ok'", "--json"])
    }
    // merge: two merges of the same shards give the same rows; plot: the same HTML twice.
    var merged: [String] = []
    for i in 0..<2 {
      let out = folder + "/m\(i).sqlite"
      _ = await runHybrixOK(["results", "merge", out] + stores)
      merged.append(try #require(await runHybrixOK(["results", "query", out, "--columns", columns, "--json"])))
    }
    #expect(merged[0] == merged[1] && merged[0] == rows[0])
    var pages: [String] = []
    for i in 0..<2 {
      let html = folder + "/p\(i).html"
      _ = await runHybrixOK(["results", "plot", stores[0], "--html", html])
      pages.append((try? String(contentsOfFile: html, encoding: .utf8)) ?? "")
    }
    #expect(!pages[0].isEmpty && pages[0] == pages[1])
  }
}

/// The standard output of a run that must succeed (`nil`, with the failure recorded, otherwise).
func runHybrixOK(_ arguments: [String]) async -> String? {
  let r = await runHybrix(arguments)
  #expect(r.exitCode == 0, "hybrix \(arguments.joined(separator: " ")): \(r.standardError)")
  return r.exitCode == 0 ? r.standardOutput : nil
}

/// The command fails (non-zero exit) with a message containing `fragment`, never a crash (no
/// "Fatal error", no stack dump).
func expectClearFailure(_ arguments: [String], fragment: String) async {
  let r = await runHybrix(arguments)
  #expect(r.exitCode != 0, "\(arguments) succeeded")
  #expect(r.standardError.contains(fragment), "\(arguments): \(r.standardError)")
  #expect(!r.standardError.contains("Fatal error") && !r.standardError.contains("Stack dump")
      && !r.standardError.contains("Program crashed"), "\(arguments): \(r.standardError)")
}

/// Each command of `cases` fails with one clear message containing its fragment
/// (`expectClearFailure`); returns how many were checked.
@discardableResult
func expectClearFailures(_ cases: [(arguments: [String], fragment: String)]) async -> Int {
  for (args, fragment) in cases { await expectClearFailure(args, fragment: fragment) }
  return cases.count
}
