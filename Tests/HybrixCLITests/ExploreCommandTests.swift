import HybrixCLI
import Foundation
import Reports
import Search
import Testing

@Suite struct ExploreCommandTests {
  @Test func jsonReportDecodes() async throws {
    let r = await runHybrix(["explore", "lenet5", "--population", "8", "--generations", "3", "--random", "4", "--json"])
    #expect(r.exitCode == 0, "\(r.standardError)")
    let report = try JSONDecoder().decode(ExploreReport.self, from: Data(r.standardOutput.utf8))
    #expect(report.schema == "hybrix.explore" && report.schemaVersion == 1)
    #expect(!report.front.isEmpty && report.search.generationsRun == 3)
    #expect(report.baselines.map(\.kind).contains("equal split") && report.baselines.map(\.kind).contains("greedy"))
    #expect(report.random.count <= 4)
  }

  @Test func textAndHTML() async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("explore-\(UUID().uuidString).html").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let r = await runHybrix(["explore", "lenet5", "--population", "8", "--generations", "3", "--random", "4", "--pick", "min-energy", "--html", path])
    #expect(r.exitCode == 0, "\(r.standardError)")
    #expect(r.standardOutput.contains("← min-energy") && r.standardOutput.contains("hypervolume"))
    let html = try String(contentsOfFile: path, encoding: .utf8)
    #expect(html.contains("<svg") && html.contains("Picked mapping: timeline"))
  }

  @Test func oneTierSaysThereIsNothingToSplit() async {
    let r = await runHybrix(["explore", "lenet5", "--arch", "systolic-baseline", "--population", "4", "--generations", "1", "--random", "0"])
    #expect(r.exitCode == 0, "\(r.standardError)")
    #expect(r.standardOutput.contains("one tier"))
  }

  @Test(arguments: [
    (["explore", "lenet5", "--objectives", "speed"], "--objectives: unknown objective \"speed\""),
    (["explore", "lenet5", "--time-limit", "0"], "--time-limit"),
    (["explore", "lenet5", "--pick", "kne"], "did you mean knee?"),
    (["explore", "lenet5", "--population", "2"], "population"),
    (["explore", "lenet5", "--arch", "h3pimapp"], "no preset named"),
    (["explore", "lenet5", "--random=-1"], "--random"),
    (["explore", "lenet5", "--generations", "1", "--html", "/nonexistent/dir/r.html"], "cannot write the HTML report"),
    // Stage 2 (Row Remap).
    (["explore", "small-cnn", "--weights", checkpointPath("lenet5"), "--accuracy-drop", "1", "--generations", "1"], "expected weights of this model"),
    (["explore", "small-cnn", "--accuracy-drop=-1"], "--accuracy-drop"),
    (["explore", "small-cnn", "--accuracy-drop", "1", "--at", "yesterday"], "--at"),
    (["explore", "small-cnn", "--accuracy-drop", "1", "--remap-step", "0"], "--remap-step"),
  ])
  func badInputGivesOneClearMessage(arguments: [String], fragment: String) async {
    await expectClearFailure(arguments, fragment: fragment)
  }
}

/// A committed checkpoint under models/.
func checkpointPath(_ name: String) -> String {
  URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("models/\(name).onnx").path
}

extension ExploreCommandTests {
  /// Without weights the proxy runs both stages and says so.
  @Test func theProxyRunsBothStagesAndSaysSo() async throws {
    let r = await runHybrix(["explore", "lenet5", "--population", "8", "--generations", "3", "--random", "0", "--accuracy-drop", "0.5", "--json"])
    #expect(r.exitCode == 0 || r.exitCode == 2, "\(r.standardError)")
    let report = try JSONDecoder().decode(ExploreReport.self, from: Data(r.standardOutput.utf8))
    let trace = try #require(report.rowRemap)
    #expect(trace.sensitivityMethod == .proxy && !trace.steps.isEmpty)
    #expect(report.warnings.contains { $0.contains("not a measured accuracy") })
    #expect((r.exitCode == 0) == trace.met)
  }
}
