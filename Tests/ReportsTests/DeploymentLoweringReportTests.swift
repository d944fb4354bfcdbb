import Foundation
import Hardware
import HybrixCore
import Reports
import Search
import Testing
import Workloads

/// Reports of lowered graphs carry `deploymentLowering` and per-operator `fused` lists, and still
/// validate against the published schemas.
@Suite struct DeploymentLoweringReportTests {
  static func validator(_ file: String) throws -> JSONSchemaValidator {
    try JSONSchemaValidator(schemaAt: ReportSchemaTests.schemas.appendingPathComponent(file))
  }

  @Test func loweredInspectReportValidates() throws {
    let lowering = try ModelZoo.model(named: "mobilenetv2").graph().loweredForDeployment()
    let report = InspectReport(
      graph: lowering.graph, precision: .int8, source: "zoo", path: nil,
      lowering: DeploymentLoweringInfo(lowering))
    let object = try #require(try ReportSchemaTests.json(report) as? [String: Any])
    #expect(object["deploymentLowering"] != nil)
    let rows = try #require(object["operators"] as? [[String: Any]])
    #expect(rows.contains { $0["fused"] != nil })
    let errors = try Self.validator("hybrix.inspect.v1.schema.json").errors(in: object)
    #expect(errors.isEmpty, "\(errors.prefix(5))")
    #expect(report.renderText().contains("conv2d+bn+relu6"))
    #expect(report.renderText().contains("dwconv2d+bn+relu6"))
  }

  @Test func loweredMapReportValidates() async throws {
    let lowering = try ModelZoo.model(named: "resnet20").graph().loweredForDeployment()
    let arch = try PresetRegistry.architecture(named: "h3pimap")
    let report = try await makeMapReport(
      graph: lowering.graph, architecture: arch, baselines: false, lowering: DeploymentLoweringInfo(lowering))
    let object = try #require(try ReportSchemaTests.json(report) as? [String: Any])
    let rows = try #require(object["operators"] as? [[String: Any]])
    #expect(rows.filter { $0["fused"] != nil }.count == 19)
    let errors = try Self.validator("hybrix.map.v1.schema.json").errors(in: object)
    #expect(errors.isEmpty, "\(errors.prefix(5))")
  }
}
