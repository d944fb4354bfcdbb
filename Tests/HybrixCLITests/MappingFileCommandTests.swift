import Foundation
import Testing

@testable import HybrixCLI

/// `map --save-mapping` → `map --mapping` and `accuracy --mapping` round-trip a split mapping with
/// its axis and give identical figures [issue 9].
@Suite struct MappingFileCommandTests {
  static func temporary(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("hybrix-\(UUID().uuidString)-\(name)").path
  }

  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  /// The figures of a map report that must not change: totals and every operator row.
  static func figures(_ report: [String: Any]) throws -> String {
    let result = try #require(report["result"] as? [String: Any])
    let operators = try #require(report["operators"] as? [[String: Any]])
    let keep = ["latencySeconds", "energyJoules", "energyByComponentJoules", "throughputSamplesPerSecond", "feasible"]
    let data = try JSONSerialization.data(
      withJSONObject: ["result": result.filter { keep.contains($0.key) }, "operators": operators], options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
  }

  /// Rewrites the saved file's operator `name` with `shares` along `axis`.
  static func edit(_ path: String, _ name: String, shares: [(String, Double)], axis: String) throws {
    var file = try json(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self))
    var ops = try #require(file["operators"] as? [[String: Any]])
    let i = try #require(ops.firstIndex { $0["name"] as? String == name })
    ops[i]["shares"] = shares.map { ["tier": $0.0, "fraction": $0.1] }
    ops[i]["axis"] = axis
    file["operators"] = ops
    try JSONSerialization.data(withJSONObject: file, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: path))
  }

  @Test(arguments: ["m", "n", "k"])
  func mapRoundTripsASplitMappingWithItsAxis(axis: String) async throws {
    let path = Self.temporary("m.json")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let base = ["map", "lenet5", "--arch", "h3pimap", "--no-baselines", "--json"]
    let saved = await runHybrix(base + ["--save-mapping", path])
    #expect(saved.exitCode == 0, "\(saved.standardError)")
    try Self.edit(path, "fc1", shares: [("cim0", 0.375), ("host", 0.625)], axis: axis)
    try Self.edit(path, "conv2", shares: [("lt0", 0.5), ("host", 0.25), ("cim0", 0.25)], axis: axis)
    let first = await runHybrix(base + ["--mapping", path])
    #expect(first.exitCode == 0, "\(first.standardError)")
    // Saving what was read and reading it again changes nothing, bit for bit.
    let again = Self.temporary("again.json")
    defer { try? FileManager.default.removeItem(atPath: again) }
    let resaved = await runHybrix(base + ["--mapping", path, "--save-mapping", again])
    let second = await runHybrix(base + ["--mapping", again])
    #expect(resaved.exitCode == 0 && second.exitCode == 0)
    let a = try Self.json(first.standardOutput), b = try Self.json(second.standardOutput)
    #expect(try Self.figures(a) == Self.figures(b))
    let rows = try #require(a["operators"] as? [[String: Any]])
    let fc1 = try #require(rows.first { $0["name"] as? String == "fc1" })
    #expect(fc1["shares"] as? [String: Double] == ["cim0": 0.375, "host": 0.625])
    let strategy = try #require(a["strategy"] as? String)
    #expect(strategy.hasPrefix("mapping file"))
  }

  @Test func aGreedyMappingSavedAndReadGivesTheSameFigures() async throws {
    let path = Self.temporary("g.json")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let base = ["map", "small-cnn", "--arch", "h3pimap", "--no-baselines", "--json"]
    let searched = await runHybrix(base + ["--save-mapping", path])
    let read = await runHybrix(base + ["--mapping", path])
    #expect(searched.exitCode == 0 && read.exitCode == 0, "\(read.standardError)")
    #expect(try Self.figures(Self.json(searched.standardOutput)) == Self.figures(Self.json(read.standardOutput)))
  }

  /// The accuracy of a saved split mapping equals the accuracy of the strategy that found it.
  @Test(.enabled(if: AccuracyCommandTests.dataInstalled, "needs: sudo apt-get install dataset-fashion-mnist"))
  func accuracyReadsTheSavedMapping() async throws {
    let path = Self.temporary("a.json")
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(await runHybrix(["map", "lenet5", "--arch", "h3pimap", "--no-baselines", "--save-mapping", path]).exitCode == 0)
    let common = ["accuracy", "lenet5", "--weights", AccuracyCommandTests.checkpoint, "--arch", "h3pimap", "--limit", "100", "--repeats", "2", "--json"]
    let byStrategy = await runHybrix(common + ["--mapping", "greedy"])
    let byFile = await runHybrix(common + ["--mapping", path])
    #expect(byStrategy.exitCode == 0 && byFile.exitCode == 0, "\(byFile.standardError)")
    let s = try #require(Self.json(byStrategy.standardOutput)["result"] as? [String: Any])
    let f = try #require(Self.json(byFile.standardOutput)["result"] as? [String: Any])
    #expect((s["points"] as? [[String: Any]])?.first?["accuracies"] as? [Double] == (f["points"] as? [[String: Any]])?.first?["accuracies"] as? [Double])
    // A split along m with its axis reaches the accuracy side.
    try Self.edit(path, "fc1", shares: [("cim0", 0.5), ("lt0", 0.5)], axis: "m")
    let split = await runHybrix(common + ["--mapping", path])
    #expect(split.exitCode == 0, "\(split.standardError)")
    let ops = try #require((Self.json(split.standardOutput)["result"] as? [String: Any])?["operators"] as? [[String: Any]])
    #expect(ops.first { $0["name"] as? String == "fc1" }?["tiers"] as? [String: Double] == ["cim0": 0.5, "lt0": 0.5])
  }

  @Test func badMappingFilesAreOneClearMessage() async throws {
    let report = Self.temporary("report.json")
    let other = Self.temporary("other.json")
    defer { for p in [report, other] { try? FileManager.default.removeItem(atPath: p) } }
    let map = await runHybrix(["map", "lenet5", "--arch", "h3pimap", "--no-baselines", "--json"])
    try Data(map.standardOutput.utf8).write(to: URL(fileURLWithPath: report))
    #expect(await runHybrix(["map", "mlp", "--arch", "h3pimap", "--no-baselines", "--save-mapping", other]).exitCode == 0)
    let checked = await expectClearFailures([
      (["map", "lenet5", "--arch", "h3pimap", "--mapping", report], "--save-mapping"),
      (["map", "lenet5", "--arch", "h3pimap", "--mapping", other], "mlp"),
      (["map", "lenet5", "--arch", "h3pimap", "--mapping", "/nonexistent/m.json"], "/nonexistent/m.json"),
      (["map", "mlp", "--arch", "lionheart", "--mapping", other], "tier"),
      (["map", "lenet5", "--arch", "h3pimap", "--save-mapping", "/nonexistent/dir/m.json"], "/nonexistent/dir/m.json"),
      (["map", "lenet5", "--time-limit", "0"], "a time > 0"),
      (["map", "lenet5", "--objective", "speed"], "unknown objective"),
      (["map", "lenet5", "--constraint", "latency<=1ns"], "exceeds the constraint"),
    ])
    #expect(checked == 8)
  }
}

/// `map --constraint 'accuracy-drop<=X@T'` measures accuracy through the probe (trained weights,
/// real test images) and says why a mapping breaks the bound.
@Suite struct MapAccuracyConstraintTests {
  @Test(.enabled(if: AccuracyCommandTests.dataInstalled, "needs: sudo apt-get install dataset-fashion-mnist"))
  func accuracyConstraintsAreMeasured() async throws {
    let base = [
      "map", "lenet5", "--arch", "lionheart", "--strategy", "homogeneous:pcm0", "--weights", AccuracyCommandTests.checkpoint,
      "--accuracy-images", "100", "--accuracy-repeats", "3", "--no-baselines", "--json",
    ]
    let tight = await runHybrix(base + ["--constraint", "accuracy-drop<=0@1y", "--compensation", "off"])
    #expect(tight.exitCode == 2, "\(tight.standardError)")
    let t = try MappingFileCommandTests.json(tight.standardOutput)
    let reasons = (t["result"] as? [String: Any])?["infeasible"] as? [String] ?? []
    #expect(reasons.first?.contains("accuracy drop") == true, "\(reasons)")
    let loose = await runHybrix(base + ["--constraint", "accuracy-drop<=100@1s"])
    #expect(loose.exitCode == 0, "\(loose.standardError)")
    let search = try #require(MappingFileCommandTests.json(loose.standardOutput)["search"] as? [String: Any])
    #expect(search["accuracyProbes"] as? Int == 1)
    let drop = try #require((search["front"] as? [[String: Any]])?.first?["accuracyDropPoints"] as? Double)
    #expect(drop.isFinite && drop <= 100)
    // A digital mapping needs no run of the network: its drop is exactly 0.
    let digital = await runHybrix(base.map { $0 == "homogeneous:pcm0" ? "homogeneous:cpu" : $0 } + ["--constraint", "accuracy-drop<=0@1d"])
    #expect(digital.exitCode == 0, "\(digital.standardError)")
  }

  @Test func accuracyConstraintWithoutWeightsIsOneClearMessage() async {
    let r = await runHybrix(["map", "lenet5", "--arch", "lionheart", "--constraint", "accuracy-drop<=1@1d"])
    #expect(r.exitCode != 0)
    #expect(r.standardError.contains("--weights"), "\(r.standardError)")
  }
}
