import Foundation
import Hardware
import HybrixCore
import Reports
import Search
import Testing
import Workloads

/// `hybrix compile`'s report: it validates against docs/schemas/hybrix.compile.v1.schema.json,
/// its figures add up (segments to the latency, baseline ÷ program to the speed-up), and the HTML
/// draws one column per segment of each program.
@Suite struct CompileReportTests {
  static func report(_ model: String, arch: String = "cmswitch") throws -> CompileReport {
    let graph = try ModelZoo.model(named: model).graph()
    let architecture = try PresetRegistry.architecture(named: arch)
    let explorer = Explorer(graph: graph, architecture: architecture, precision: .int8)
    let dual = try #require(try SegmentCompiler().compile(explorer.problem()))
    let base = try #require(try SegmentCompiler(computeOnly: true).compile(explorer.problem()))
    return CompileReport(
      graph: graph, architecture: architecture, program: dual, baseline: base, simulated: explorer.simulator.run(dual.plan),
      simulatedBaseline: explorer.simulator.run(base.plan), notes: [])
  }

  @Test(arguments: ["resnet20", "resnet18"])
  func validatesAndAddsUp(model: String) throws {
    let r = try Self.report(model)
    let validator = try JSONSchemaValidator(schemaAt: ReportSchemaTests.schemas.appendingPathComponent("hybrix.compile.v1.schema.json"))
    let errors = validator.errors(in: try ReportSchemaTests.json(r))
    #expect(errors.isEmpty, "\(errors.prefix(5))")
    #expect(!r.segments.isEmpty && !r.baselineSegments.isEmpty)
    // The simulated latency is the compiler's prediction: boundaries plus segments.
    for (segments, latency) in [(r.segments, r.latencySeconds), (r.baselineSegments, r.baselineLatencySeconds)] {
      let sum = segments.reduce(0) { $0 + $1.boundarySeconds + $1.seconds }
      #expect(abs(sum - latency) <= 1e-9 * latency, "segments \(sum) s, simulated \(latency) s")
      #expect(segments.allSatisfy { $0.computeArrays >= $0.cimOperators && $0.computeArrays + $0.memoryArrays <= r.arrays })
    }
    #expect(r.baselineSegments.allSatisfy { $0.memoryArrays == 0 && $0.switches == 0 })
    #expect(abs(r.speedup - r.baselineLatencySeconds / r.latencySeconds) <= 1e-12 * r.speedup)
    #expect(r.speedup >= 1 - 1e-12, "dual mode may only add options")
    #expect(r.operators.reduce(0) { $0 + ($1.segment < r.segments.count ? 1 : 0) } == r.operators.count)
  }

  /// A graph with products split for the chip: the report validates, names every split product
  /// with its parts' segments, maps each part back to it, and the text, HTML and program say so.
  @Test func aReportOfASplitGraphNamesItsParts() throws {
    let graph = try ModelZoo.model(named: "bert-base").graph(ZooOptions(sequenceLength: 16)).loweredForDeployment().graph
    let architecture = try PresetRegistry.architecture(named: "cmswitch")
    let c = try #require(try DualModeComparison.compile(graph, architecture: architecture, precision: .int8))
    let r = CompileReport(
      graph: c.graph, architecture: architecture, program: c.program, baseline: c.baseline, simulated: c.simulated,
      simulatedBaseline: c.simulatedBaseline, notes: c.splitting.warnings, splitting: c.splitting)
    let validator = try JSONSchemaValidator(schemaAt: ReportSchemaTests.schemas.appendingPathComponent("hybrix.compile.v1.schema.json"))
    let errors = validator.errors(in: try ReportSchemaTests.json(r))
    #expect(errors.isEmpty, "\(errors.prefix(5))")
    #expect(!r.splitOperators.isEmpty)
    for s in r.splitOperators {
      #expect(s.parts >= 2 && s.segments.count == s.parts && s.partArrays.count == s.parts && s.columns.count == s.parts)
      #expect(s.segments.allSatisfy { $0 >= 0 && $0 < r.segments.count }, "\(s.name): \(s.segments)")
      #expect(s.partArrays.allSatisfy { $0 <= r.arrays } && s.arrays > r.arrays)
      #expect(r.operators.filter { $0.partOf == s.name }.count == s.parts)
    }
    #expect(r.renderText(top: nil).contains("split: \(r.splitOperators.count) products"))
    #expect(CompileHTML.render(r).contains("Split products"))
    #expect(CompileReport.program(c.program, graph: c.graph, architecture: architecture).contains("# split products"))
  }

  /// A report with a generation study validates too.
  @Test func generationValidates() throws {
    var r = try Self.report("resnet20")
    r.generation = try GenerationStudy(prompt: 8, generated: [2, 4]).run { (phase: Phase, tokens: Int) throws(ConfigError) -> (dual: Double, baseline: Double) in
      (Double(tokens), 2 * Double(tokens))
    }
    let validator = try JSONSchemaValidator(schemaAt: ReportSchemaTests.schemas.appendingPathComponent("hybrix.compile.v1.schema.json"))
    let errors = validator.errors(in: try ReportSchemaTests.json(r))
    #expect(errors.isEmpty, "\(errors.prefix(5))")
    #expect(r.renderText(top: 1).contains("generation: resnet20, prompt 8 tokens"))
  }

  @Test func validatorRejectsAReportWithoutSegments() throws {
    let validator = try JSONSchemaValidator(schemaAt: ReportSchemaTests.schemas.appendingPathComponent("hybrix.compile.v1.schema.json"))
    var object = try #require(try ReportSchemaTests.json(try Self.report("resnet20")) as? [String: Any])
    object.removeValue(forKey: "baselineSegments")
    object["schemaVersion"] = 2
    let errors = validator.errors(in: object)
    #expect(errors.contains { $0.contains("missing baselineSegments") })
    #expect(errors.contains { $0.contains("schemaVersion") })
  }

  /// One compute column per segment of each program (each with its hover title), one memory
  /// column per segment that has memory-mode arrays, and every segment in the table.
  @Test func htmlDrawsEverySegment() throws {
    let r = try Self.report("resnet18")
    let html = CompileHTML.render(r)
    #expect(html.hasPrefix("<!doctype html>") && html.contains("<svg") && html.contains("Array modes over time"))
    func count(_ needle: String) -> Int { html.components(separatedBy: needle).count - 1 }
    let computeColumns = count("fill=\"\(ModesChartColours.compute)\"><title>segment ")
    let memoryColumns = count("fill=\"\(ModesChartColours.memory)\"><title>segment ")
    #expect(computeColumns == r.segments.count + r.baselineSegments.count)
    #expect(memoryColumns == r.segments.filter { $0.memoryArrays > 0 }.count)
    #expect(memoryColumns > 0, "ResNet-18's dual-mode program uses memory mode")
    #expect(count("<tr><td class=\"num\">") >= r.segments.count)
  }
}
