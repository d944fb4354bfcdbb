import Foundation
import Hardware
import HybrixCore
import Search
import Testing
import Workloads

@testable import Mapping

/// Shared pieces of the mapping-file tests: a lowered LeNet-5 on h3pimap with splits along all
/// three axes, temporary files, and the fixture folder.
enum MappingFileFixture {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")
  static let toolVersion = "0.0.0-test"

  static func lenet5() throws -> Graph {
    try ModelZoo.model(named: "lenet5").graph().loweredForDeployment().graph
  }

  static func h3pimap() throws -> Architecture { try PresetRegistry.architecture(named: "h3pimap") }

  /// LeNet-5 (lowered: conv1 pool1 conv2 pool2 flatten fc1 fc2 fc3) on h3pimap (host, reram0,
  /// cim0, lt0), split by hand along n, m and k, with shares in a deliberate order.
  static func plan() -> MappingPlan {
    let (host, reram, cim, lt) = (0, 1, 2, 3)
    return MappingPlan(placements: [
      Placement(
        shares: [TierShare(tier: host, fraction: 0.25), TierShare(tier: cim, fraction: 0.75)],
        axis: .n),
      .on(host),
      Placement(
        shares: [
          TierShare(tier: reram, fraction: 0.5), TierShare(tier: lt, fraction: 0.3),
          TierShare(tier: host, fraction: 0.2),
        ],
        axis: .m),
      .on(host),
      .on(host),
      Placement(
        shares: [TierShare(tier: reram, fraction: 0.6), TierShare(tier: cim, fraction: 0.4)],
        axis: .k),
      .on(lt),
      .on(host),
    ])
  }

  static func file() throws -> MappingFile {
    MappingFile(
      plan: plan(), graph: try lenet5(), architecture: try h3pimap(), precision: .int8,
      lowering: .deployment,
      source: "zoo", toolVersion: toolVersion, strategy: "hand-written (test)", goal: "latency")
  }

  /// A fresh path in the temporary folder.
  static func temporaryPath(_ name: String = "mapping.json") -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "hybrix-mapping-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
  }

  /// Writes `text` to a temporary file and reads it back as a mapping.
  static func read(_ text: String) -> (path: String, result: Result<MappingFile, ConfigError>) {
    let path = temporaryPath()
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    do throws(ConfigError) {
      return (path, .success(try MappingFile.read(file: path)))
    } catch {
      return (path, .failure(error))
    }
  }
}

@Suite struct MappingFileTests {
  /// A split mapping with m, n and k axes on several tiers survives file → plan bit for bit, and
  /// the simulator gives the same figures for both.
  @Test func roundTripKeepsSharesAxesAndFigures() throws {
    let graph = try MappingFileFixture.lenet5()
    let arch = try MappingFileFixture.h3pimap()
    let original = MappingFileFixture.plan()
    let file = try MappingFileFixture.file()
    let path = MappingFileFixture.temporaryPath()
    try file.write(file: path)
    let back = try MappingFile.read(file: path)
    #expect(back == file)
    let plan = try back.plan(for: graph, architecture: arch, file: path, lowering: .deployment)
    #expect(plan == original)
    for (p, q) in zip(plan.placements, original.placements) {
      #expect(p.axis == q.axis)
      #expect(p.shares.map(\.tier) == q.shares.map(\.tier))
      #expect(p.shares.map(\.fraction.bitPattern) == q.shares.map(\.fraction.bitPattern))
    }
    #expect(Set(original.placements.filter { $0.shares.count > 1 }.map(\.axis)) == [.m, .n, .k])
    let simulator = ScheduleSimulator(
      cost: CostModel(graph: graph, architecture: arch, precision: .int8))
    let a = simulator.run(original)
    let b = simulator.run(plan)
    #expect(a.isFeasible, "\(a.infeasible)")
    #expect(a == b)
    #expect(a.latency.seconds.bitPattern == b.latency.seconds.bitPattern)
    #expect(a.energy.total.joules.bitPattern == b.energy.total.joules.bitPattern)
    // Writing what was read gives the same text.
    #expect(try back.encoded() == file.encoded())
  }

  /// `map --save-mapping` then `map --mapping` at the API level: a greedy search's chosen plan,
  /// saved and read back, evaluates through the ``Explorer`` to the same figures, bit for bit.
  @Test(arguments: ["h3pimap", "lionheart", "mirage"])
  func searchedPlanReEvaluatesIdentically(preset: String) async throws {
    let graph = try ModelZoo.model(named: "resnet20").graph().loweredForDeployment().graph
    let arch = try PresetRegistry.architecture(named: preset)
    let explorer = Explorer(graph: graph, architecture: arch, precision: .int8)
    let goal = Goal.minimise(.latency)
    let searched = try await explorer.run(GreedyStrategy(), goal: goal)
    let chosen = try #require(searched.chosen)
    let path = MappingFileFixture.temporaryPath()
    try MappingFile(
      plan: chosen.plan, graph: graph, architecture: arch, precision: .int8, lowering: .deployment,
      source: "zoo", toolVersion: MappingFileFixture.toolVersion, strategy: searched.strategy,
      goal: goal.description
    ).write(file: path)
    let plan = try MappingFile.read(file: path).plan(for: graph, architecture: arch, file: path)
    #expect(plan == chosen.plan)
    let again = try #require(try await explorer.evaluate(plan, goal: goal, label: path).chosen)
    #expect(again.result == chosen.result)
    #expect(again.cost.latency.seconds.bitPattern == chosen.cost.latency.seconds.bitPattern)
    #expect(again.cost.energy.joules.bitPattern == chosen.cost.energy.joules.bitPattern)
  }

  /// Random plans with awkward fractions (thirds, sums of tenths, values next to 1) round-trip
  /// bit for bit through the text, on every preset with two tiers or more.
  @Test func randomSplitPlansRoundTrip() throws {
    let graph = try ModelZoo.model(named: "resnet20").graph().loweredForDeployment().graph
    var checked = 0
    var rng = SplitMix64(seed: 9)
    for preset in PresetRegistry.all {
      let arch = try preset.architecture()
      guard arch.tiers.count > 1 else { continue }
      let digital = SplitRule.hasDigitalTier(arch)
      for _ in 0..<5 {
        let placements = graph.operators.map { op -> Placement in
          let n = 1 + Int(rng.next() % UInt64(min(3, arch.tiers.count)))
          let tiers = (0..<n).map { _ in Int(rng.next() % UInt64(arch.tiers.count)) }
          var fractions = (0..<n).map { _ in 0.05 + rng.nextUnitDouble() }
          let total = fractions.reduce(0, +)
          fractions = fractions.map { $0 / total }
          fractions[n - 1] = 1 - fractions.dropLast().reduce(0, +)
          var axes: [SplitAxis] = [.m, .n]
          if op.matmul != nil, digital { axes.append(.k) }
          let axis = axes[Int(rng.next() % UInt64(axes.count))]
          return Placement(
            shares: zip(tiers, fractions).map { TierShare(tier: $0, fraction: $1) }, axis: axis)
        }
        let plan = MappingPlan(placements: placements)
        let file = MappingFile(
          plan: plan, graph: graph, architecture: arch, precision: .int8, lowering: .deployment,
          source: "zoo",
          toolVersion: MappingFileFixture.toolVersion)
        let decoded = try MappingFile.decode(Data(try file.encoded().utf8), file: "random.json")
        let back = try decoded.plan(for: graph, architecture: arch, file: "random.json")
        let bits = { (p: MappingPlan) in
          p.placements.flatMap { $0.shares.map(\.fraction.bitPattern) }
        }
        #expect(back == plan && bits(back) == bits(plan), "\(arch.name)")
        checked += 1
      }
    }
    #expect(checked >= 20)  // five plans on each multi-tier preset (the two h3pimap presets make it 25)
  }

  /// `JSONEncoder` writes the shortest decimal that reads back to the same `Double`, and the
  /// reader's `JSONDecoder` reads it back exactly: checked on 20 000 seeded values and edge cases.
  @Test func fractionsRoundTripExactly() throws {
    var rng = SplitMix64(seed: 2024)
    var values: [Double] = [
      0.1 + 0.2, 1.0 / 3, 2.0 / 3, 1.0.nextDown, 0.5.nextUp, 1e-300, .leastNonzeroMagnitude, 1,
    ]
    for _ in 0..<10_000 { values.append(rng.nextUnitDouble()) }
    for _ in 0..<10_000 {
      values.append(Double(bitPattern: 0x3C00_0000_0000_0000 | (rng.next() >> 12)))
    }
    let data = try JSONEncoder().encode(values.map { MappingFile.Share(tier: "t", fraction: $0) })
    guard case .array(let items) = try JSONDecoder().decode(JSONValue.self, from: data) else {
      Issue.record("not an array")
      return
    }
    #expect(items.count == values.count)
    var exact = 0
    for (item, v) in zip(items, values) {
      guard case .object(let o) = item, case .number(let n)? = o["fraction"] else { continue }
      if n.bitPattern == v.bitPattern { exact += 1 }
    }
    #expect(exact == values.count)
  }

  /// The golden file: what the writer makes of the LeNet-5 plan, byte for byte, and what the
  /// reader makes of it. `RECORD_SNAPSHOTS=1` rewrites it (and fails that run).
  @Test func goldenFile() throws {
    let url = MappingFileFixture.fixtures.appendingPathComponent("lenet5-h3pimap.mapping.json")
    let text = try MappingFileFixture.file().encoded()
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
      try FileManager.default.createDirectory(
        at: MappingFileFixture.fixtures, withIntermediateDirectories: true)
      try text.write(to: url, atomically: true, encoding: .utf8)
      Issue.record("recorded \(url.lastPathComponent); run again without RECORD_SNAPSHOTS")
      return
    }
    let stored = try String(contentsOf: url, encoding: .utf8)
    #expect(stored == text, "the written mapping changed; RECORD_SNAPSHOTS=1 re-records it")
    let read = try MappingFile.read(file: url.path)
    let plan = try read.plan(
      for: try MappingFileFixture.lenet5(), architecture: try MappingFileFixture.h3pimap(),
      file: url.path)
    #expect(plan == MappingFileFixture.plan())
    #expect(read.strategy == "hand-written (test)" && read.goal == "latency")
    #expect(read.model.workload == WorkloadParameters(batch: 1, imageSize: 28))
  }

  /// Optional fields absent or null read as `nil`; a file with a path for an ONNX model keeps it.
  @Test func optionalFields() throws {
    var file = try MappingFileFixture.file()
    file.strategy = nil
    file.goal = nil
    file.model.source = "onnx"
    file.model.path = "models/lenet5 copy.onnx"
    let text = try file.encoded()
    #expect(!text.contains("\"strategy\"") && text.contains("models/lenet5 copy.onnx"))
    #expect(try MappingFile.decode(Data(text.utf8), file: "x") == file)
    let nulls = text.replacingOccurrences(
      of: "\"architecture\" : {", with: "\"goal\" : null,\n  \"architecture\" : {")
    #expect(try MappingFile.decode(Data(nulls.utf8), file: "x") == file)
  }

  /// The numerics run the network as built; its conv and matmul operators keep their names in the
  /// lowered graph a mapping is made for, so `assignments` places every one of them.
  @Test(arguments: ["small-cnn", "resnet18", "mobilenetv2", "lenet5"])
  func productNamesSurviveLowering(model: String) throws {
    let built = try ModelZoo.model(named: model).graph(
      ZooOptions(imageSize: model == "mobilenetv2" ? 32 : nil))
    let lowering = try built.loweredForDeployment()
    #expect(lowering.changed)
    let products = built.operators.filter { $0.kind == .conv || $0.kind == .matmul }.map(\.name)
    #expect(!products.isEmpty)
    let lowered = Set(lowering.graph.operators.map(\.name))
    #expect(products.allSatisfy(lowered.contains), "\(products.filter { !lowered.contains($0) })")
    let arch = try PresetRegistry.architecture(named: "lionheart")
    let file = MappingFile(
      plan: .uniform(1, operators: lowering.graph.operators.count), graph: lowering.graph,
      architecture: arch,
      precision: .int8, lowering: .deployment, source: "zoo",
      toolVersion: MappingFileFixture.toolVersion)
    let names = Set(try file.assignments(architecture: arch, file: "m.json").map(\.name))
    #expect(products.allSatisfy(names.contains))
  }
}
