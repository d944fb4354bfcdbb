import HybrixCLI
import Foundation
import Reports
import Testing
import Workloads

@Suite struct MapCommandTests {
  @Test func mapsWithDefaults() async {
    let r = await runHybrix(["map", "resnet20"])
    #expect(r.exitCode == 0, "\(r.standardError)")
    #expect(r.standardOutput.contains("latency"))
    #expect(r.standardOutput.contains("energy component"))
  }

  @Test func jsonReportDecodes() async throws {
    let r = await runHybrix(["map", "resnet20", "--json"])
    #expect(r.exitCode == 0)
    let report = try JSONDecoder().decode(MapReport.self, from: Data(r.standardOutput.utf8))
    #expect(report.schema == "hybrix.map" && report.schemaVersion == 1)
    #expect(report.result.feasible)
    // `map` costs the graph after deployment lowering (BatchNorms folded, activations fused).
    let lowered = try ModelZoo.model(named: "resnet20").graph().loweredForDeployment().graph
    #expect(report.operators.count == lowered.operators.count)
    #expect(report.operators.map(\.index) == Array(report.operators.indices))
    #expect(report.result.latencySeconds > 0 && report.result.energyJoules > 0)
    #expect(!report.sources.isEmpty && report.sources.allSatisfy { !$0.source.isEmpty })
  }

  @Test(arguments: [
    (["map", "resnet20", "--arch", "h3pimapp"], "no preset named"),
    (["map", "resnet20", "--arch", "/nonexistent/a.yaml"], "no such file"),
    (["map", "resnet20", "--strategy", "gready"], "unknown strategy"),
    (["map", "resnet20", "--strategy", "homogeneous:nope"], "no tier \"nope\""),
    (["map", "resnet20", "--objective", "speed"], "speed"),
    (["map", "resnet20", "--html", "/nonexistent/dir/r.html"], "cannot write the HTML report"),
  ])
  func badInputGivesOneClearMessage(arguments: [String], fragment: String) async {
    let r = await runHybrix(arguments)
    #expect(r.exitCode != 0)
    #expect(r.standardError.contains(fragment), "stderr was: \(r.standardError)")
  }

  @Test func archsListsPresetsAndPrintsYAML() async {
    let list = await runHybrix(["archs"])
    #expect(list.exitCode == 0)
    #expect(list.standardOutput.contains("systolic-baseline"))
    let yaml = await runHybrix(["archs", "systolic-baseline"])
    #expect(yaml.standardOutput.hasPrefix("version: 1"))
  }
}
