import Foundation
import Hardware
import HybrixCore
import Search
import Testing
import Workloads

@testable import Mapping

/// Version 2 of the mapping file: row orders (H3PIMAP's Row Remap) and arrays by mode and
/// segment (CMSwitch) survive the file bit for bit and price the same; plans without them are
/// still written as version 1; and every malformed v2 field is one clear error.
@Suite struct MappingFileVersion2Tests {
  /// A compiled dual-mode program (every operator's arrays and segment), written and read back,
  /// is the same plan and simulates to the same latency and energy, bit for bit.
  @Test(arguments: ["lenet5", "resnet18"])
  func compiledProgramRoundTrips(model: String) throws {
    let graph = try ModelZoo.model(named: model).graph().loweredForDeployment().graph
    let arch = try PresetRegistry.architecture(named: "cmswitch")
    let explorer = Explorer(graph: graph, architecture: arch, precision: .int8)
    let program = try #require(try SegmentCompiler().compile(explorer.problem()))
    let allocated = program.plan.placements.filter { $0.arrays != nil }
    #expect(allocated.count >= 3, "operators with arrays: \(allocated.count)")
    if model == "resnet18" {  // LeNet-5's program keeps every array computing.
      #expect(allocated.contains { ($0.arrays?.inputBuffers ?? 0) + ($0.arrays?.outputBuffers ?? 0) > 0 })
    }
    let file = MappingFile(
      plan: program.plan, graph: graph, architecture: arch, precision: .int8, lowering: .deployment,
      source: "zoo", toolVersion: MappingFileFixture.toolVersion, strategy: "cmswitch")
    #expect(file.schemaVersion == 2)
    let path = MappingFileFixture.temporaryPath()
    try file.write(file: path)
    let back = try MappingFile.read(file: path)
    #expect(back == file)
    let plan = try back.plan(for: graph, architecture: arch, file: path)
    // The segment-wide counts, which the file does not hold, are derived back exactly.
    #expect(plan == program.plan)
    let a = explorer.simulator.run(program.plan)
    let b = explorer.simulator.run(plan)
    #expect(a.isFeasible, "\(a.infeasible)")
    #expect(a.latency.seconds.bitPattern == b.latency.seconds.bitPattern)
    #expect(a.energy.total.joules.bitPattern == b.energy.total.joules.bitPattern)
  }

  /// A row order on an `n` split survives the file, reaches the accuracy side's assignments, and
  /// an identity order or a plan of shares alone is written as version 1.
  @Test func rowOrderRoundTripsAndIdentityStaysVersion1() throws {
    let graph = try MappingFileFixture.lenet5()
    let arch = try MappingFileFixture.h3pimap()
    var plan = MappingFileFixture.plan()
    let n = try #require(graph.operators[0].matmul?.n)
    #expect(plan.placements[0].axis == .n && plan.placements[0].shares.count == 2)
    var rng = SplitMix64(seed: 3)
    var order = Array(0..<n)
    order.shuffle(using: &rng)
    #expect(order != Array(0..<n))
    plan.placements[0].rowOrder = order

    func file(_ p: MappingPlan) -> MappingFile {
      MappingFile(
        plan: p, graph: graph, architecture: arch, precision: .int8, lowering: .deployment, source: "zoo",
        toolVersion: MappingFileFixture.toolVersion)
    }
    let path = MappingFileFixture.temporaryPath()
    try file(plan).write(file: path)
    let back = try MappingFile.read(file: path)
    #expect(back.schemaVersion == 2)
    #expect(try back.plan(for: graph, architecture: arch, file: path) == plan)
    let assigned = try back.assignments(architecture: arch, file: path, graph: graph)
    #expect(assigned.first { $0.name == graph.operators[0].name }?.rowOrder == order)

    var identity = plan
    identity.placements[0].rowOrder = Array(0..<n)
    #expect(file(identity).schemaVersion == 1)
    #expect(file(MappingFileFixture.plan()).schemaVersion == 1)
    #expect(try file(identity).encoded() == file(MappingFileFixture.plan()).encoded())
  }

  /// Each malformed v2 field: one ``ConfigError`` at its JSON path, saying what was expected.
  @Test func malformedVersion2FieldsAreClearErrors() throws {
    let graph = try MappingFileFixture.lenet5()
    let arch = try MappingFileFixture.h3pimap()
    let n = try #require(graph.operators[0].matmul?.n)
    let base = try MappingFileFixture.file().encoded()
    // conv1 is the first entry: an n split over two tiers.
    let anchor = "\"axis\" : \"n\","
    #expect(base.contains(anchor))
    func with(_ insert: String, version: Int = 2) -> String {
      guard let r = base.range(of: anchor) else { return base }
      return base.replacingCharacters(in: r, with: anchor + " " + insert)
        .replacingOccurrences(of: "\"schemaVersion\" : 1", with: "\"schemaVersion\" : \(version)")
    }
    let permutation = "[" + (0..<n).reversed().map(String.init).joined(separator: ", ") + "]"
    let cases: [(String, String, String)] = [
      (with("\"rowOrder\" : \(permutation),", version: 1), "operators[0](conv1).rowOrder", "schemaVersion 2"),
      (with("\"rowOrder\" : [0, 0, 1],"), "operators[0](conv1).rowOrder[1]", "each row once"),
      (with("\"rowOrder\" : [0, 7],"), "operators[0](conv1).rowOrder[1]", "row index in 0…1"),
      (with("\"rowOrder\" : \"all\","), "operators[0](conv1).rowOrder", "an array of row indices"),
      (with("\"arrays\" : {\"compute\": 1, \"inputBuffers\": 0, \"outputBuffers\": 0, \"sharedInputBuffers\": 0, \"segment\": 0},"),
       "operators[0](conv1).arrays", "a whole operator on one tier"),
      (base.replacingOccurrences(of: "\"schemaVersion\" : 1", with: "\"schemaVersion\" : 3"), "schemaVersion", "1 or 2"),
    ]
    for (text, path, expected) in cases {
      let (file, result) = MappingFileFixture.read(text)
      guard case .failure(let e) = result else {
        Issue.record("accepted: \(path)")
        continue
      }
      #expect(e.file == file)
      #expect(e.path == path, "\(e)")
      #expect("\(e.expected ?? "") \(e.message)".contains(expected), "\(e)")
    }
    #expect(cases.count == 6)

    // A permutation of the wrong length is caught once the graph is known, for map and accuracy.
    let short = with("\"rowOrder\" : [1, 0],")
    let (path, result) = MappingFileFixture.read(short)
    let read = try result.get()
    #expect(throws: ConfigError.self) { try read.plan(for: graph, architecture: arch, file: path) }
    do throws(ConfigError) {
      _ = try read.assignments(architecture: arch, file: path, graph: graph)
      Issue.record("accuracy accepted a row order of 2 rows for \(n)")
    } catch {
      #expect(error.path == "operators[0](conv1).rowOrder")
      #expect(error.message.contains("\(n) output columns"))
    }
  }

  /// Arrays: counts in range, shared ≤ input buffers, segments in graph order.
  @Test func malformedArraysAreClearErrors() throws {
    let graph = try ModelZoo.model(named: "resnet18").graph().loweredForDeployment().graph
    let arch = try PresetRegistry.architecture(named: "cmswitch")
    let explorer = Explorer(graph: graph, architecture: arch, precision: .int8)
    let program = try #require(try SegmentCompiler().compile(explorer.problem()))
    let text = try MappingFile(
      plan: program.plan, graph: graph, architecture: arch, precision: .int8, lowering: .deployment,
      source: "zoo", toolVersion: MappingFileFixture.toolVersion
    ).encoded()
    let first = try #require(graph.operators.indices.first { program.plan.placements[$0].arrays != nil })
    let a = try #require(program.plan.placements[first].arrays)
    let name = graph.operators[first].name
    let written = "\"compute\" : \(a.compute),"
    #expect(text.contains(written))
    func replacing(_ old: String, _ new: String) -> String {
      guard let r = text.range(of: old) else { return text }
      return text.replacingCharacters(in: r, with: new)
    }
    let cases: [(String, String, String)] = [
      (replacing(written, "\"compute\" : 0,"), "operators[\(first)](\(name)).arrays.compute", "a count ≥ 1"),
      (replacing(written, "\"compute\" : 1.5,"), "operators[\(first)](\(name)).arrays.compute", "a count ≥ 1"),
      (replacing("\"inputBuffers\" : \(a.inputBuffers),", "\"inputBuffers\" : -1,"),
       "operators[\(first)](\(name)).arrays.inputBuffers", "a count ≥ 0"),
      (replacing("\"sharedInputBuffers\" : \(a.sharedInputBuffers)\n", "\"sharedInputBuffers\" : \(a.inputBuffers + 1)\n"),
       "operators[\(first)](\(name)).arrays.sharedInputBuffers", "at most inputBuffers"),
      (replacing(written, "\"compute\" : \(a.compute), \"spare\" : 1,"), "operators[\(first)](\(name)).arrays.spare", "one of"),
    ]
    for (bad, path, expected) in cases {
      #expect(bad != text, "\(path): the edit did not apply")
      guard case .failure(let e) = MappingFileFixture.read(bad).result else {
        Issue.record("accepted: \(path)")
        continue
      }
      #expect(e.path == path, "\(e)")
      #expect("\(e.expected ?? "") \(e.message)".contains(expected), "\(e)")
    }
    // Segments out of graph order: the last operator with arrays put in segment 0 while an
    // earlier one is in a later segment.
    let segments = program.plan.placements.compactMap { $0.arrays?.segment }
    try #require(Set(segments).count >= 2, "resnet18 compiles to one segment: \(segments)")
    var file = try MappingFile.decode(Data(text.utf8), file: "x.json")
    let last = try #require(file.operators.indices.last { file.operators[$0].arrays != nil })
    file.operators[last].arrays?.segment = 0
    let (_, result) = MappingFileFixture.read(try file.encoded())
    guard case .failure(let e) = result else {
      Issue.record("accepted segments out of order")
      return
    }
    #expect(e.path == "operators[\(last)](\(file.operators[last].name)).arrays.segment", "\(e)")
    #expect(e.expected?.contains("never decrease") == true)
  }
}
