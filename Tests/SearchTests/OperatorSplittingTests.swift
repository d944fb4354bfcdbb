import Foundation
import Hardware
import HybrixCore
import Testing
import Workloads

@testable import Mapping
@testable import Search

/// CMSwitch's pre-processing [issue 11 §2]: products whose weights need more arrays than the
/// chip has are split along their output columns into parts that fit; the parts' work adds up
/// to the whole's; the DP still equals brute force and the simulator still prices what the
/// compiler predicts; parts can land in different segments; what cannot be split is named.
@Suite struct OperatorSplittingTests {
  /// The `cmswitch` preset with `arrays` arrays (320 × 320, 8-bit weights on 1-bit cells: one
  /// array holds 320 rows × 40 columns).
  static func chip(arrays: Int) throws -> Architecture {
    var architecture = try PresetRegistry.architecture(named: "cmswitch")
    let t = try #require(architecture.tiers.firstIndex { $0 is CIMCrossbarTier })
    var spec = try #require(architecture.tiers[t] as? CIMCrossbarTier).spec
    spec.common.count = arrays
    architecture.tiers[t] = try CIMCrossbarTier(spec: spec)
    return architecture
  }

  /// Three layers on 6 arrays: fc1 (640 → 200: 2 row stripes × 5 column tiles = 10 arrays) and
  /// fc2 (200 → 400: 1 × 10) are too large and can be split; fc3 (400 → 10) fits; with
  /// `tall`, a fourth layer (2 240 → 40: 7 row stripes of one column) cannot fit even alone.
  static func graph(tall: Bool = false) throws -> Graph {
    var b = GraphBuilder(name: "three-layers")
    let x = try b.input("x", [4, 640])
    var h = try b.linear("fc1", x, out: 200)
    h = try b.elementwise("relu1", "relu", [h])
    h = try b.linear("fc2", h, out: 400)
    h = try b.linear("fc3", h, out: tall ? 2240 : 10)
    if tall { h = try b.linear("fc4", h, out: 40) }
    return try b.finish().loweredForDeployment().graph
  }

  @Test func partsAddUpToTheWholeAndEachFitsTheChip() throws {
    let architecture = try Self.chip(arrays: 6)
    let graph = try Self.graph()
    let s = try OperatorSplitting.apply(graph, architecture: architecture, precision: .int8)
    #expect(s.chipArrays == 6)
    #expect(s.splits.map(\.name) == ["fc1", "fc2"])
    #expect(s.splits.map(\.arrays) == [10, 10])
    #expect(s.unfit.isEmpty)
    let before = CostModel(graph: graph, architecture: architecture, precision: .int8)
    let after = CostModel(graph: s.graph, architecture: architecture, precision: .int8)
    let cim = try #require(architecture.tiers.firstIndex { $0 is CIMCrossbarTier })
    var checked = 0
    for split in s.splits {
      let whole = try #require(graph.operators.firstIndex { $0.name == split.name })
      let parts = split.split.partNames.compactMap { n in s.graph.operators.firstIndex { $0.name == n } }
      #expect(parts.count == split.parts && split.parts >= 2)
      let w = before.works[whole]
      let p = parts.map { after.works[$0] }
      #expect(parts.reduce(0) { $0 + s.graph.operators[$1].macs } == graph.operators[whole].macs)
      #expect(p.reduce(0) { $0 + $1.wBytes } == w.wBytes, "\(split.name): weight and bias bytes")
      #expect(p.reduce(0) { $0 + $1.yBytes } == w.yBytes, "\(split.name): output bytes")
      #expect(p.allSatisfy { $0.xBytes == w.xBytes }, "\(split.name): every part reads the whole input")
      #expect(parts.reduce(0) { $0 + s.graph.operators[$1].vectorOps } == graph.operators[whole].vectorOps)
      for part in parts {
        let arrays = try #require(after.weightArrays(part, tier: cim))
        #expect(arrays <= 6, "\(s.graph.operators[part].name): \(arrays) arrays")
      }
      // The join moves nothing and writes the product's output tensor.
      let join = try #require(s.graph.operators.firstIndex { $0.name == split.split.joinName })
      #expect(after.works[join].readsInPlace && after.works[join].xBytes == 0 && after.works[join].yBytes == 0)
      #expect(s.graph[s.graph.operators[join].outputs[0]].shape == graph[graph.operators[whole].outputs[0]].shape)
      checked += 1
    }
    #expect(checked == 2)
    // Whole-graph totals are unchanged: MACs, parameters, operations.
    #expect(s.graph.macs == graph.macs && s.graph.parameterCount == graph.parameterCount && s.graph.vectorOps == graph.vectorOps)
  }

  @Test func anOperatorThatCannotFitAloneIsNamedAndStillCompiles() throws {
    let architecture = try Self.chip(arrays: 6)
    let graph = try Self.graph(tall: true)
    let s = try OperatorSplitting.apply(graph, architecture: architecture, precision: .int8)
    #expect(s.unfit.map(\.name) == ["fc4"])
    #expect(s.warnings.count == 1 && s.warnings[0].contains("fc4 cannot fit even alone") && s.warnings[0].contains("needs 7 arrays"))
    #expect(s.graph.operators.contains { $0.name == "fc4" })
    let c = try #require(try DualModeComparison.compile(graph, architecture: architecture, precision: .int8))
    #expect(c.simulated.isFeasible && c.simulatedBaseline.isFeasible, "\(c.simulated.infeasible)")
    #expect(c.splitting.unfit.map(\.name) == ["fc4"])
    #expect(c.graph.operators.contains { $0.name == "fc3.part0" })
  }

  /// Repeated layers left whole for one reason give one warning naming the first and the last.
  @Test func repeatedProductsLeftWholeShareOneWarning() throws {
    func unfit(_ name: String, _ arrays: Int) -> OperatorSplitting.Unfit {
      OperatorSplitting.Unfit(name: name, arrays: arrays, chipArrays: 96, reason: "its second operand is computed at run time")
    }
    let s = OperatorSplitting(graph: try Self.graph(), splits: [], unfit: [unfit("l0.av", 128), unfit("l1.av", 128), unfit("l2.av", 128), unfit("head", 200)], chipArrays: 96)
    #expect(s.warnings.count == 2)
    #expect(s.warnings.first?.hasPrefix("l0.av … l2.av (3 products) cannot fit even alone (its second operand needs 128 arrays") == true)
    #expect(s.warnings.last?.hasPrefix("head cannot fit even alone") == true)
  }

  @Test func theDPEqualsBruteForceOnAGraphWithSplitProducts() throws {
    let architecture = try Self.chip(arrays: 6)
    let s = try OperatorSplitting.apply(try Self.graph(), architecture: architecture, precision: .int8)
    let problem = Explorer(graph: s.graph, architecture: architecture, precision: .int8).problem()
    var checked = 0
    for computeOnly in [false, true] {
      let costs = try #require(SegmentCosts(problem, computeOnly: computeOnly))
      #expect(costs.cims.count == 5)
      let program = try #require(try SegmentCompiler(maxSegment: costs.cims.count, computeOnly: computeOnly).compile(problem))
      let brute = CMSwitchCompilerTests.bruteForce(costs)
      #expect(brute.isFinite)
      #expect(abs(program.predictedSeconds - brute) <= 1e-12 * brute, "DP \(program.predictedSeconds) vs brute force \(brute)")
      checked += 1
    }
    #expect(checked == 2)
  }

  /// Parts of one product in different segments, and the simulator pricing the program the
  /// compiler predicted: VGG-16's first convolution too large for the 96 arrays (conv4_1) ends
  /// the first segment with its first part and opens the next with its second.
  @Test(arguments: [("vgg16", 0), ("three-layers", 6)])
  func partsLandInDifferentSegmentsAndTheSimulatorPricesThem(model: String, arrays: Int) throws {
    let architecture = arrays > 0 ? try Self.chip(arrays: arrays) : try PresetRegistry.architecture(named: "cmswitch")
    let graph = model == "vgg16" ? try ModelZoo.model(named: model).graph(ZooOptions()).loweredForDeployment().graph : try Self.graph()
    let s = try OperatorSplitting.apply(graph, architecture: architecture, precision: .int8)
    #expect(!s.splits.isEmpty)
    let explorer = Explorer(graph: s.graph, architecture: architecture, precision: .int8)
    // The three layers are small enough to share one segment; one operator per segment forces
    // the parts apart.
    let compiler = SegmentCompiler(maxSegment: model == "vgg16" ? 8 : 1)
    let program = try #require(try compiler.compile(explorer.problem()))
    let result = explorer.simulator.run(program.plan)
    #expect(result.isFeasible, "\(result.infeasible)")
    #expect(abs(result.latency.seconds - program.predictedSeconds) <= 1e-12 * program.predictedSeconds)
    var spread = 0
    for split in s.splits {
      let segments = Set(split.split.partNames.compactMap { n in
        s.graph.operators.firstIndex { $0.name == n }.flatMap { program.plan.placements[$0].arrays?.segment }
      })
      if segments.count > 1 { spread += 1 }
    }
    #expect(spread >= 1, "\(model): no split product has parts in two segments")
  }

  @Test func columnsThatDoNotMakeAProductAreRefusedByTheRewrite() throws {
    let graph = try Self.graph()
    let fc1 = try #require(graph.operators.firstIndex { $0.name == "fc1" })
    var refused = 0
    for columns in [[100, 99], [200], [0, 200]] {
      #expect(throws: ConfigError.self) { try graph.splittingColumns([fc1: columns]) }
      refused += 1
    }
    #expect(refused == 3)
    let split = try graph.splittingColumns([fc1: [120, 80]])
    #expect(split.operators.map(\.name).prefix(3) == ["fc1.part0", "fc1.part1", "fc1.join"])
    #expect(split.tensors.contains { $0.name == "fc1.part1.weight" && $0.shape.dims == [640, 80] })
    #expect(!split.tensors.contains { $0.name == "fc1.weight" })
  }

  /// `compile --save-mapping` of a split graph: the file names the parts and joins, and read
  /// back for the same split graph (what `map --mapping` rebuilds) it re-prices bit for bit.
  @Test func aSavedMappingOfASplitGraphRepricesBitForBit() throws {
    let architecture = try Self.chip(arrays: 6)
    let c = try #require(try DualModeComparison.compile(try Self.graph(), architecture: architecture, precision: .int8))
    let file = MappingFile(
      plan: c.program.plan, graph: c.graph, architecture: architecture, precision: .int8, lowering: .deployment, source: "zoo",
      toolVersion: "test", strategy: "cmswitch")
    let text = try file.encoded()
    #expect(text.contains("fc1.part1") && text.contains("fc2.join"))
    let read = try MappingFile.decode(Data(text.utf8), file: "m.json")
    let again = try OperatorSplitting.apply(try Self.graph(), architecture: architecture, precision: .int8).graph
    let plan = try read.plan(for: again, architecture: architecture, file: "m.json", lowering: .deployment)
    #expect(plan == c.program.plan)
    let explorer = Explorer(graph: again, architecture: architecture, precision: .int8)
    let repriced = explorer.simulator.run(plan)
    #expect(repriced.latency.seconds == c.simulated.latency.seconds)
    #expect(repriced.energy.total.joules == c.simulated.energy.total.joules)
    // The graph as loaded, without the split, refuses the file by operator name.
    #expect(throws: ConfigError.self) { try read.plan(for: try Self.graph(), architecture: architecture, file: "m.json") }
  }
}
