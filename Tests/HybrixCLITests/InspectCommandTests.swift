import HybrixCLI
import Foundation
import Reports
import Testing
import Workloads

@Suite struct InspectCommandTests {
  @Test func inspectResNet50JSONMatchesPublishedFigures() async throws {
    let r = await runHybrix(["inspect", "resnet50", "--json"])
    #expect(r.exitCode == 0)
    let report = try JSONDecoder().decode(InspectReport.self, from: Data(r.standardOutput.utf8))
    #expect(report.schema == "hybrix.inspect")
    #expect(report.schemaVersion == 1)
    // torchvision: 25,557,032 parameters; 4.09 G MACs at 224×224 (within 2 %).
    #expect(abs(Double(report.totals.parameters) / 25.557032e6 - 1) < 0.02)
    #expect(abs(Double(report.totals.macs) / 4.09e9 - 1) < 0.02)
    #expect(report.operators.count == report.totals.operators)
    #expect(report.operators.reduce(0) { $0 + $1.macs } == report.totals.macs)
  }

  @Test func llamaDecodeShowsKVCacheAndIntensity() async {
    let r = await runHybrix(["inspect", "llama2-7b", "--phase", "decode", "--seq", "2048", "--top", "3"])
    #expect(r.exitCode == 0)
    #expect(r.standardOutput.contains("KV cache read"))
    #expect(r.standardOutput.contains("537 MB"))
    #expect(r.standardOutput.contains("arithmetic intensity       2.00"))
  }

  @Test func modelsListsTheZoo() async {
    let r = await runHybrix(["models"])
    #expect(r.exitCode == 0)
    for m in ModelZoo.all { #expect(r.standardOutput.contains(m.name)) }
  }

  @Test(arguments: [
    (["inspect", "resnet5"], "did you mean resnet50?"),
    (["inspect", "resnet50", "--batch", "0"], "--batch: batch size 0"),
    (["inspect", "resnet50", "--precision", "int9x"], "unknown precision"),
    (["inspect", "resnet50", "--phase", "decode"], "has no decode phase"),
    (["inspect", "llama2-7b", "--batch", "1000000000000", "--seq", "4096", "--phase", "prefill"], "64-bit"),
    (["inspect", "resnet50", "--dim", "N"], "NAME=VALUE"),
    (["inspect", "resnet50", "--phase", "sideways"], "sideways"),
    (["inspect", "resnet50", "--top", "0"], "--top"),
  ])
  func badInputGivesOneClearMessage(arguments: [String], fragment: String) async {
    let r = await runHybrix(arguments)
    #expect(r.exitCode != 0)
    #expect(r.standardError.contains(fragment), "stderr was: \(r.standardError)")
    #expect(r.standardOutput.isEmpty)
  }
}
