import Foundation
import HybrixCLI
import Testing

/// `hybrix compile` end to end: the files it writes, a tier without memory mode, and bad input.
@Suite struct CompileCommandTests {
  @Test func writesJSONHTMLAndProgram() async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hybrix-compile-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let html = dir.appendingPathComponent("c.html").path
    let program = dir.appendingPathComponent("p.txt").path
    let r = await runHybrix(["compile", "resnet18", "--json", "--html", html, "--emit", program])
    #expect(r.exitCode == 0, "\(r.standardError)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
    #expect(json["schema"] as? String == "hybrix.compile" && json["schemaVersion"] as? Int == 1)
    let segments = try #require(json["segments"] as? [[String: Any]])
    let page = try String(contentsOfFile: html, encoding: .utf8)
    #expect(page.contains("<svg") && page.contains("resnet18"))
    // The program has one parallel block per segment.
    let text = try String(contentsOfFile: program, encoding: .utf8)
    #expect(text.components(separatedBy: "parallel{").count - 1 == segments.count)
    // Text mode names the page it wrote.
    let t = await runHybrix(["compile", "resnet20", "--html", html])
    #expect(t.exitCode == 0 && t.standardOutput.contains("HTML report written to \(html)"))
  }

  /// VGG-16's conv4+ and classifier need more than the 96 arrays: `compile` splits them, says so,
  /// and its saved mapping of the split graph re-prices bit for bit with `map --mapping` (which
  /// splits the graph alike); `accuracy`-style readers of the graph as built refuse it by name.
  @Test func aSplitGraphIsReportedAndItsMappingRepricesBitForBit() async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hybrix-compile-split-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let mapping = dir.appendingPathComponent("m.json").path
    let r = await runHybrix(["compile", "vgg16", "--json", "--save-mapping", mapping])
    #expect(r.exitCode == 0, "\(r.standardError)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
    let splits = try #require(json["splitOperators"] as? [[String: Any]])
    #expect(splits.contains { $0["name"] as? String == "classifier.fc1" })
    let latency = try #require(json["latencySeconds"] as? Double)
    let m = await runHybrix(["map", "vgg16", "--arch", "cmswitch", "--mapping", mapping, "--no-baselines", "--json"])
    #expect(m.exitCode == 0, "\(m.standardError)")
    let map = try #require(try JSONSerialization.jsonObject(with: Data(m.standardOutput.utf8)) as? [String: Any])
    let result = try #require(map["result"] as? [String: Any])
    #expect(result["latencySeconds"] as? Double == latency, "map --mapping re-priced \(result["latencySeconds"] ?? "-") s, compile \(latency) s")
    let text = await runHybrix(["compile", "vgg16"])
    #expect(text.standardOutput.contains("classifier.fc1: 8137 arrays → 103 parts"))
  }

  /// CIM tiers without memory mode compile the baseline and say so.
  @Test func aTierWithoutMemoryModeCompilesTheBaseline() async throws {
    let r = await runHybrix(["compile", "lenet5", "--arch", "h3pimap", "--json"])
    #expect(r.exitCode == 0, "\(r.standardError)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
    #expect(json["dualMode"] as? Bool == false)
    let notes = try #require(json["notes"] as? [String])
    #expect(notes.contains { $0.contains("no memory mode") })
    #expect(abs((json["speedup"] as? Double ?? 0) - 1) < 1e-12)
  }

  @Test(arguments: [
    (["compile", "resnet20", "--solver", "exct"], "did you mean exact?"),
    (["compile", "resnet20", "--max-segment", "0"], "--max-segment"),
    (["compile", "resnet20", "--time-limit", "0"], "--time-limit"),
    (["compile", "resnet20", "--arch", "lionheart"], "no CIM tier"),
    (["compile", "resnet20", "--html", "/nonexistent/dir/c.html"], "cannot write the HTML report"),
    (["compile", "resnet20", "--emit", "/nonexistent/dir/p.txt"], "cannot write the program"),
  ])
  func badInputGivesOneClearMessage(arguments: [String], fragment: String) async {
    await expectClearFailure(arguments, fragment: fragment)
  }
}
