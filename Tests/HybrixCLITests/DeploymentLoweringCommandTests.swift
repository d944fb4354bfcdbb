import HybrixCLI
import Foundation
import Reports
import Testing
import Workloads

/// `inspect` and `map` lower inference graphs for deployment by default; `--no-fusion` and the
/// training phase keep the graph as built.
@Suite struct DeploymentLoweringCommandTests {
  func inspect(_ arguments: [String]) async throws -> InspectReport {
    let r = await runHybrix(["inspect"] + arguments + ["--json"])
    #expect(r.exitCode == 0, "\(r.standardError)")
    return try JSONDecoder().decode(InspectReport.self, from: Data(r.standardOutput.utf8))
  }

  @Test func inspectFoldsAndFusesByDefault() async throws {
    let asBuilt = try ModelZoo.model(named: "resnet50").graph()
    let report = try await inspect(["resnet50"])
    let lowering = try #require(report.deploymentLowering)
    #expect(
      lowering
        == DeploymentLoweringInfo(applied: true, foldedNormalizations: 53, fusedActivations: 33))
    #expect(report.totals.operators == asBuilt.operators.count - 53 - 33)
    #expect(report.totals.macs == asBuilt.macs)
    let conv1 = try #require(report.operators.first { $0.name == "layer1.0.conv1" })
    #expect(conv1.fused?.map(\.name) == ["layer1.0.conv1.bn", "layer1.0.conv1.relu"])
    #expect(!report.operators.contains { $0.label == "batchnorm" })
  }

  @Test func noFusionGivesTheGraphAsBuilt() async throws {
    let asBuilt = try ModelZoo.model(named: "resnet50").graph()
    let report = try await inspect(["resnet50", "--no-fusion"])
    #expect(report.deploymentLowering == DeploymentLoweringInfo(applied: false))
    #expect(report.totals.operators == asBuilt.operators.count)
    #expect(report.totals.vectorOps == asBuilt.vectorOps)
    #expect(report.totals.parameters == asBuilt.parameterCount)
    #expect(report.operators.allSatisfy { $0.fused == nil })
  }

  @Test func trainingGraphIsNotLowered() async throws {
    let options = ZooOptions(imageSize: 32, phase: .train)
    let asBuilt = try ModelZoo.model(named: "resnet18").graph(options)
    let report = try await inspect(["resnet18", "--image-size", "32", "--phase", "train"])
    #expect(report.deploymentLowering == nil)
    #expect(report.totals.operators == asBuilt.operators.count)
    #expect(report.operators.contains { $0.label == "batchnorm" })
  }

  @Test func textOutputsSayWhatWasLowered() async {
    let line =
      "deployment lowering: 19 BatchNorms folded, 10 activations fused (--no-fusion to keep them)"
    let inspect = await runHybrix(["inspect", "resnet20"])
    #expect(inspect.exitCode == 0)
    #expect(inspect.standardOutput.contains(line))
    #expect(inspect.standardOutput.contains("conv2d+bn+relu"))
    let map = await runHybrix(["map", "resnet20", "--no-baselines"])
    #expect(map.exitCode == 0, "\(map.standardError)")
    #expect(map.standardOutput.contains(line))
    #expect(map.standardOutput.contains("conv2d+bn+relu"))
    let off = await runHybrix(["map", "resnet20", "--no-baselines", "--no-fusion"])
    #expect(off.standardOutput.contains("deployment lowering off (--no-fusion)"))
    #expect(!off.standardOutput.contains("conv2d+bn"))
  }

  @Test func mapJSONRowsNameWhatTheyAbsorbed() async throws {
    let r = await runHybrix(["map", "resnet20", "--json", "--no-baselines"])
    #expect(r.exitCode == 0, "\(r.standardError)")
    let report = try JSONDecoder().decode(MapReport.self, from: Data(r.standardOutput.utf8))
    #expect(report.deploymentLowering?.foldedNormalizations == 19)
    let conv1 = try #require(report.operators.first { $0.name == "conv1" })
    #expect(conv1.fused?.map(\.function) == ["batchnorm", "relu"])
    #expect(report.operators.filter { $0.fused != nil }.count == 19)
  }
}
