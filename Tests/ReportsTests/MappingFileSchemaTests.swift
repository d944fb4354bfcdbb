import Foundation
import Hardware
import HybrixCore
import Mapping
import Reports
import Search
import Testing
import Workloads

/// Saved mappings validate against `docs/schemas/hybrix.mapping.v1.schema.json`, and what the
/// schema refuses the reader refuses too.
@Suite struct MappingFileSchemaTests {
  static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .appendingPathComponent("MappingTests/Fixtures/lenet5-h3pimap.mapping.json")

  static func validator() throws -> JSONSchemaValidator {
    try JSONSchemaValidator(
      schemaAt: ReportSchemaTests.schemas.appendingPathComponent("hybrix.mapping.v1.schema.json"))
  }

  static func object(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  /// Files written by ``MappingFile`` for greedy mappings on every preset, with and without the
  /// optional fields, and the golden fixture.
  @Test func writtenFilesValidate() async throws {
    let validator = try Self.validator()
    var texts = [try String(contentsOf: Self.golden, encoding: .utf8)]
    let graph = try ModelZoo.model(named: "resnet20").graph().loweredForDeployment().graph
    for preset in PresetRegistry.all {
      let arch = try preset.architecture()
      let goal = Goal.minimise(.latency)
      let found = try await Explorer(graph: graph, architecture: arch, precision: .int8)
        .run(GreedyStrategy(), goal: goal)
      var file = MappingFile(
        plan: try #require(found.chosen?.plan, "greedy on \(arch.name)"), graph: graph,
        architecture: arch, precision: .int8,
        lowering: .deployment, source: "onnx",
        path: "models/resnet20.onnx", toolVersion: HybrixVersion.current, strategy: found.strategy,
        goal: goal.description)
      texts.append(try file.encoded())
      file.strategy = nil
      file.goal = nil
      file.model.path = nil
      texts.append(try file.encoded())
    }
    for text in texts {
      let errors = validator.errors(in: try Self.object(text))
      #expect(errors.isEmpty, "\(errors.prefix(5))")
      #expect(throws: Never.self) { try MappingFile.decode(Data(text.utf8), file: "x.json") }
    }
    #expect(texts.count == 1 + 2 * PresetRegistry.all.count)
  }

  /// Version-2 files — a compiled dual-mode program (arrays by mode and segment) and a split
  /// with a row order — validate against the v2 schema and not against v1's; a row order with a
  /// repeated row is caught by both the schema and the reader.
  @Test func version2FilesValidate() throws {
    let v2 = try JSONSchemaValidator(
      schemaAt: ReportSchemaTests.schemas.appendingPathComponent("hybrix.mapping.v2.schema.json"))
    let v1 = try Self.validator()
    var texts: [String] = []
    let graph = try ModelZoo.model(named: "resnet18").graph().loweredForDeployment().graph
    let cmswitch = try PresetRegistry.architecture(named: "cmswitch")
    let explorer = Explorer(graph: graph, architecture: cmswitch, precision: .int8)
    let program = try #require(try SegmentCompiler().compile(explorer.problem()))
    texts.append(
      try MappingFile(
        plan: program.plan, graph: graph, architecture: cmswitch, precision: .int8, lowering: .deployment,
        source: "zoo", toolVersion: HybrixVersion.current, strategy: "cmswitch"
      ).encoded())
    let arch = try #require(PresetRegistry.all.map { try $0.architecture() }.first { $0.tiers.count >= 2 })
    var plan = MappingPlan(placements: graph.operators.map { _ in .on(0) })
    let product = try #require(graph.operators.firstIndex { ($0.matmul?.n ?? 0) >= 2 })
    let n = try #require(graph.operators[product].matmul?.n)
    plan.placements[product] = Placement(
      shares: [TierShare(tier: 0, fraction: 0.5), TierShare(tier: 1, fraction: 0.5)], axis: .n,
      rowOrder: Array((0..<n).reversed()))
    texts.append(
      try MappingFile(
        plan: plan, graph: graph, architecture: arch, precision: .int8, lowering: .deployment, source: "zoo",
        toolVersion: HybrixVersion.current
      ).encoded())
    for text in texts {
      let object = try Self.object(text)
      #expect(object["schemaVersion"] as? Int == 2)
      let errors = v2.errors(in: object)
      #expect(errors.isEmpty, "\(errors.prefix(5))")
      #expect(!v1.errors(in: object).isEmpty)
      #expect(throws: Never.self) { try MappingFile.decode(Data(text.utf8), file: "x.json") }
    }
    #expect(texts[0].contains("\"arrays\""))
    #expect(texts[1].contains("\"rowOrder\""))
    let repeated = texts[1].replacingOccurrences(of: "\(n - 1),\n", with: "\(n - 2),\n")
    #expect(repeated != texts[1])
    #expect(v2.errors(in: try Self.object(repeated)).contains { $0.contains("uniqueItems") })
    #expect(throws: ConfigError.self) { try MappingFile.decode(Data(repeated.utf8), file: "x.json") }
  }

  /// Each violation is caught by the validator (so a passing validation means something) and
  /// refused by the reader.
  @Test(arguments: [
    ("schemaVersion", "\"schemaVersion\" : 1", "\"schemaVersion\" : 3"),
    (
      "unexpected key segments", "\"goal\" : \"latency\",",
      "\"goal\" : \"latency\", \"segments\" : [],"
    ),
    ("missing toolVersion", ",\n  \"toolVersion\" : \"0.0.0-test\"", ""),
    ("axis", "\"axis\" : \"m\"", "\"axis\" : \"rows\""),
    ("kind", "\"kind\" : \"photonic\"", "\"kind\" : \"quantum\""),
    ("lowering", "\"lowering\" : \"deployment\"", "\"lowering\" : \"fused\""),
    ("exclusiveMinimum", "\"fraction\" : 0.25", "\"fraction\" : 0"),
    ("maximum", "\"fraction\" : 1,", "\"fraction\" : 1.5,"),
    (
      "minItems",
      "\"shares\" : [\n        {\n          \"fraction\" : 1,\n          \"tier\" : \"host\"\n        }\n      ]",
      "\"shares\" : []"
    ),
    ("phase", "\"phase\" : \"inference\"", "\"phase\" : \"serve\""),
  ])
  func violationsAreCaught(word: String, old: String, new: String) throws {
    let text = try String(contentsOf: Self.golden, encoding: .utf8)
    let range = try #require(text.range(of: old), "\(old) not in the golden file")
    let bad = text.replacingCharacters(in: range, with: new)
    let errors = try Self.validator().errors(in: try Self.object(bad))
    #expect(errors.contains { $0.contains(word) }, "\(errors)")
    #expect(throws: ConfigError.self) { try MappingFile.decode(Data(bad.utf8), file: "bad.json") }
  }

  /// A `hybrix map --json` report is not a saved mapping: the reader says so and how to write one.
  @Test func mapReportIsRefusedWithAHint() async throws {
    let arch = try PresetRegistry.architecture(named: "lionheart")
    let report = try await MapReportSchemaTests.report(
      "lenet5", ZooOptions(), arch: arch, strategy: GreedyStrategy())
    let data = try JSONEncoder().encode(report)
    do throws(ConfigError) {
      _ = try MappingFile.decode(data, file: "report.json")
      Issue.record("read a map report as a mapping")
    } catch {
      #expect(error.path == "schema")
      #expect(error.message.contains("`hybrix map --json` report"))
      #expect(error.hint?.contains("hybrix map MODEL --save-mapping m.json") == true)
    }
  }
}
