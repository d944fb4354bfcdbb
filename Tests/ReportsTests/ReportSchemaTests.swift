import Foundation
import HybrixCore
import Reports
import Testing
import Workloads
import Hardware
import Search

/// Reports validate against the JSON Schemas published in docs/schemas, so tools written against
/// the schema can rely on them. A field added to a report without a schema update fails here.
@Suite struct ReportSchemaTests {
  static let schemas = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/schemas")

  static func json(_ value: some Encodable) throws -> Any {
    try JSONSerialization.jsonObject(with: try JSONEncoder().encode(value))
  }

  @Test(arguments: [
    ("resnet50", ZooOptions()), ("llama2-7b", ZooOptions(sequenceLength: 64, phase: .decode)),
    ("bert-base", ZooOptions(sequenceLength: 16, phase: .train)),
  ])
  func inspectReportsValidate(model: String, options: ZooOptions) async throws {
    let validator = try JSONSchemaValidator(schemaAt: Self.schemas.appendingPathComponent("hybrix.inspect.v1.schema.json"))
    let g = try ModelZoo.model(named: model).graph(options)
    let report = InspectReport(graph: g, precision: .int8, source: "zoo", path: nil, warnings: ["w"])
    let errors = validator.errors(in: try Self.json(report))
    #expect(errors.isEmpty, "\(errors.prefix(5))")
  }

  /// The validator itself rejects what it should (so a passing validation means something).
  @Test func validatorCatchesViolations() async throws {
    let validator = try JSONSchemaValidator(schemaAt: Self.schemas.appendingPathComponent("hybrix.inspect.v1.schema.json"))
    let g = try ModelZoo.model(named: "resnet20").graph()
    var object = try #require(try Self.json(InspectReport(graph: g, precision: .int8, source: "zoo", path: nil)) as? [String: Any])
    object["schemaVersion"] = 2
    object["surprise"] = true
    object.removeValue(forKey: "totals")
    let errors = validator.errors(in: object)
    #expect(errors.contains { $0.contains("schemaVersion") })
    #expect(errors.contains { $0.contains("unexpected key surprise") })
    #expect(errors.contains { $0.contains("missing totals") })
  }
}

@Suite struct MapReportSchemaTests {
  static func report(_ model: String, _ options: ZooOptions, arch: Architecture, strategy: any SearchStrategy) async throws -> MapReport {
    let graph = try ModelZoo.model(named: model).graph(options)
    return try await makeMapReport(graph: graph, architecture: arch, strategy: strategy, isoArea: true)
  }

  @Test(arguments: ["h3pimap", "lionheart", "mirage", "cmswitch", "systolic-baseline"])
  func mapReportsValidate(preset: String) async throws {
    let validator = try JSONSchemaValidator(
      schemaAt: ReportSchemaTests.schemas.appendingPathComponent("hybrix.map.v1.schema.json"))
    let arch = try PresetRegistry.architecture(named: preset)
    let r = try await Self.report("resnet20", ZooOptions(), arch: arch, strategy: GreedyStrategy())
    let errors = validator.errors(in: try ReportSchemaTests.json(r))
    #expect(errors.isEmpty, "\(errors.prefix(5))")
  }

  /// Every goal a user can give validates: several objectives, area, and constraints (the
  /// objective field is the goal as text, e.g. "latency,energy subject to latency ≤ 1.00 s").
  @Test(arguments: [
    Goal([.latency, .energy], constraints: [.atMost(.latency, 1)]), Goal([.area]), Goal([.edp], constraints: [.atMost(.area, 1)]),
  ])
  func reportsWithAnyGoalValidate(goal: Goal) async throws {
    let validator = try JSONSchemaValidator(
      schemaAt: ReportSchemaTests.schemas.appendingPathComponent("hybrix.map.v1.schema.json"))
    let graph = try ModelZoo.model(named: "lenet5").graph(ZooOptions())
    let r = try await makeMapReport(
      graph: graph, architecture: try PresetRegistry.architecture(named: "h3pimap"), baselines: false, goal: goal)
    #expect(r.objective == goal.description)
    let errors = validator.errors(in: try ReportSchemaTests.json(r))
    #expect(errors.isEmpty, "\(goal): \(errors.prefix(5))")
  }

  /// A photonic core alone cannot run pointwise work: the mapping is a result with reasons, and
  /// that report validates too.
  @Test func infeasibleReportValidates() async throws {
    let validator = try JSONSchemaValidator(
      schemaAt: ReportSchemaTests.schemas.appendingPathComponent("hybrix.map.v1.schema.json"))
    let arch = try #require(try PresetRegistry.architecture(named: "h3pimap").only("lt0"))
    let r = try await Self.report("resnet20", ZooOptions(), arch: arch, strategy: GreedyStrategy())
    #expect(!r.result.feasible)
    #expect(r.result.infeasible.contains { $0.contains("lt0") })
    let errors = validator.errors(in: try ReportSchemaTests.json(r))
    #expect(errors.isEmpty, "\(errors.prefix(5))")
  }
}
