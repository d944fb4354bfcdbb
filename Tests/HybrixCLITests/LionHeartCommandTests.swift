import Foundation
import Testing

@testable import HybrixCLI

/// `hybrix map --strategy lionheart` end to end on the committed LeNet-5 and a slice of the
/// Fashion-MNIST test set: the JSON's lionheart object, the text and the HTML section, and one
/// clear message for each bad input.
@Suite struct LionHeartCommandTests {
  static let checkpoint = AccuracyCommandTests.checkpoint
  static let common = [
    "map", "lenet5", "--arch", "lionheart", "--strategy", "lionheart", "--weights", checkpoint, "--no-baselines",
  ]

  @Test(.enabled(if: AccuracyCommandTests.dataInstalled, "needs: sudo apt-get install dataset-fashion-mnist"))
  func reportsTheAnalogSetAccuracyAndGains() async throws {
    let html = FileManager.default.temporaryDirectory.appendingPathComponent("hybrix-lh-\(UUID().uuidString).html").path
    defer { try? FileManager.default.removeItem(atPath: html) }
    let args = Self.common + ["--accuracy-drop", "5", "--at", "1d", "--limit", "60", "--repeats", "3", "--seed", "2"]
    let r = await runHybrix(args + ["--json", "--html", html])
    #expect(r.exitCode == 0, "\(r.standardError)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
    let bad = NonFiniteWalk.find(in: json)
    #expect(bad.problems.isEmpty && bad.numbers > 50, "\(bad.problems)")
    let lh = try #require(json["lionheart"] as? [String: Any])
    #expect(lh["mode"] as? String == "full" && lh["thresholdPoints"] as? Double == 5 && lh["atSeconds"] as? Double == 86_400)
    #expect(lh["validationImages"] as? String == "Fashion-MNIST test images 0..<30")
    #expect(lh["testImages"] as? String == "Fashion-MNIST test images 30..<60")
    let steps = try #require(lh["steps"] as? [[String: Any]])
    #expect(steps.count == 5)
    let analog = try #require(lh["analog"] as? [String])
    let share = try #require(lh["analogMACShare"] as? Double)
    #expect((0...1).contains(share) && (analog.isEmpty == (share == 0)))
    let test = try #require(lh["test"] as? [String: Any])
    #expect(test["repeats"] as? Int == (analog.isEmpty ? 0 : 3) && test["samples"] as? Int == 30)
    let (digital, mapped) = (lh["digitalLatencySeconds"] as? Double ?? 0, lh["latencySeconds"] as? Double ?? 0)
    #expect(digital > 0 && mapped > 0 && abs((lh["speedup"] as? Double ?? 0) - digital / mapped) < 1e-9)
    let page = try String(contentsOfFile: html, encoding: .utf8)
    #expect(page.contains("<h2>LionHeart</h2>") && page.contains("Accuracy against analog MAC share"))
    // The text report of the same command: the same analog set (same seed, same decisions).
    let text = await runHybrix(args)
    #expect(text.standardOutput.contains("LionHeart (full mode): threshold 5 points at 1 d"), "\(text.standardOutput)")
    let set = analog.isEmpty ? "none" : analog.joined(separator: ", ")
    // (A long set is wrapped after commas onto lines indented by four spaces.)
    let unwrapped = text.standardOutput.replacingOccurrences(of: ",\n    ", with: ", ")
    #expect(unwrapped.contains("conv/linear layers): \(set)\n"), "\(text.standardOutput)")
  }

  @Test func badInputIsOneClearMessage() async throws {
    let cases: [([String], String)] = [
      (Self.common + ["--accuracy-drop", "-1"], "--accuracy-drop"),
      (Self.common + ["--accuracy-drop", "1", "--at", "-1d"], "--at"),
      (Self.common + ["--accuracy-drop", "1", "--repeats", "0"], "--repeats"),
      (Self.common, "accuracy threshold"),
      (Self.common + ["--at", "1d"], "without --accuracy-drop"),
      (["map", "lenet5", "--arch", "lionheart", "--fast"], "only lionheart"),
      (["map", "lenet5", "--arch", "h3pimap", "--strategy", "lionheart", "--accuracy-drop", "1", "--weights", Self.checkpoint], "analog tier"),
      (["map", "small-cnn", "--arch", "lionheart", "--strategy", "lionheart", "--accuracy-drop", "1", "--weights", Self.checkpoint], "small-cnn"),
      (Self.common + ["--accuracy-drop", "1", "--strategy-option", "lifetime=0s"], "lifetime"),
      (Self.common + ["--accuracy-drop", "1", "--accuracy-margin", "1.5"], "--accuracy-margin"),
      (Self.common + ["--accuracy-drop", "1", "--accuracy-margin", "-0.5"], "--accuracy-margin"),
      (["map", "lenet5", "--arch", "lionheart", "--accuracy-margin", "0.5"], "only lionheart"),
    ]
    #expect(await expectClearFailures(cases) == cases.count)
  }
}
