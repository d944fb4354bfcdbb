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
