import Foundation
import Hardware
import HybrixCore
import Testing
import Workloads

@testable import Mapping

/// A mapping file checked against the graph and architecture a command loaded: another model,
/// unknown, duplicated or missing operators, another architecture or tier, and splits the cost
/// model cannot price. One `ConfigError` each, naming the file and the JSON path.
@Suite struct MappingFileMismatchTests: MappingFileErrorChecks {
  @Test func anotherModel() throws {
    // A LeNet-5 mapping read against small-cnn: pool1 is not an operator of small-cnn.
    let smallCNN = try ModelZoo.model(named: "small-cnn").graph().loweredForDeployment().graph
    let (p1, e1) = try planError(try MappingFileFixture.file(), graph: smallCNN)
    check(
      e1, file: p1, path: "operators[1](pool1).name", expected: "the operators of the graph",
      message: "model lenet5", hint: "same model")
    #expect(e1?.message.contains("unknown operator pool1") == true)
    // Made on the lowered graph, read with --no-fusion: the activations are missing from the file.
    let asBuilt = try ModelZoo.model(named: "lenet5").graph()
    let (p2, e2) = try planError(
      try MappingFileFixture.file(), graph: asBuilt, lowering: MappingFile.Lowering.none)
    check(
      e2, file: p2, path: "operators[1](pool1).name", expected: "the operators of the graph",
      message: "is missing", hint: "drop --no-fusion")
    // Without being told, a graph with nothing fused cannot be known to be lowered: the hint is conditional.
    let (_, e3) = try planError(try MappingFileFixture.file(), graph: asBuilt)
    #expect(
      e3?.hint?.contains("drop --no-fusion if this run's differs") == true,
      "\(String(describing: e3))")
    // Made with --no-fusion, read on the lowered graph (which has fused operators).
    let unlowered = MappingFile(
      plan: .uniform(0, operators: asBuilt.operators.count), graph: asBuilt,
      architecture: try MappingFileFixture.h3pimap(),
      precision: .int8, lowering: .none, source: "zoo", toolVersion: "t")
    let (p4, e4) = try planError(unlowered)
    check(
      e4, file: p4, path: "operators[1](\(asBuilt.operators[1].name)).name",
      expected: "graph order", hint: "pass --no-fusion")
  }

  @Test func unknownDuplicatedOrMissingOperators() throws {
    var renamed = try MappingFileFixture.file()
    renamed.operators[6].name = "fc_2"
    let (p1, e1) = try planError(renamed)
    check(
      e1, file: p1, path: "operators[6](fc_2).name", expected: "graph order",
      message: "unknown operator fc_2", hint: "same model")
    #expect(e1?.message.contains("nearest: fc2") == true)
    var twice = try MappingFileFixture.file()
    twice.operators[7].name = "fc2"
    let (p2, e2) = try planError(twice)
    check(
      e2, file: p2, path: "operators[7](fc2).name", expected: "graph order",
      message: "a second time")
    var short = try MappingFileFixture.file()
    short.operators.remove(at: 3)
    short.model.operators = 7
    let (p3, e3) = try planError(short)
    check(
      e3, file: p3, path: "operators[3](flatten).name", expected: "graph order",
      message: "operator pool2 of lenet5 is missing")
    var cut = try MappingFileFixture.file()
    cut.operators.removeLast()
    cut.model.operators = 7
    let (p4, e4) = try planError(cut)
    check(
      e4, file: p4, path: "operators", expected: "graph order",
      message: "operator fc3 of lenet5 is missing")
    // The entries disagree with the count the file states.
    var uneven = try MappingFileFixture.file()
    uneven.operators.removeLast()
    let (p5, e5) = readError(try uneven.encoded())
    check(
      e5, file: p5, path: "operators", expected: "8, as model.operators says", message: "7 entries")
    // Name-keyed readers refuse a name placed twice differently.
    var clash = try MappingFileFixture.file()
    clash.operators[7].name = "fc2"
    let h3 = try MappingFileFixture.h3pimap()
    do throws(ConfigError) {
      _ = try clash.assignments(architecture: h3, file: "c.json")
      Issue.record("accepted fc2 twice")
    } catch {
      check(
        error, file: "c.json", path: "operators[7](fc2).name", expected: "each operator name once",
        message: "placed differently")
    }
  }

  @Test func anotherArchitectureOrUnknownTier() throws {
    let lionheart = try PresetRegistry.architecture(named: "lionheart")
    let (p1, e1) = try planError(try MappingFileFixture.file(), arch: lionheart)
    check(
      e1, file: p1, path: "operators[0](conv1).shares[0].tier", expected: "one of cpu, pcm0",
      message: "tier host is not in architecture lionheart", hint: "pass --arch h3pimap")
    let file = try MappingFileFixture.file()
    do throws(ConfigError) {
      _ = try file.assignments(architecture: lionheart, file: "a.json")
      Issue.record("accepted h3pimap tiers on lionheart")
    } catch {
      check(
        error, file: "a.json", path: "operators[0](conv1).shares[0].tier",
        expected: "one of cpu, pcm0")
    }
    // A tier renamed consistently in the file: nearest-name hint.
    var renamed = try MappingFileFixture.file()
    renamed.architecture.tiers[2].id = "cim00"
    for i in renamed.operators.indices {
      for j in renamed.operators[i].shares.indices
      where renamed.operators[i].shares[j].tier == "cim0" {
        renamed.operators[i].shares[j].tier = "cim00"
      }
    }
    let (p2, e2) = try planError(renamed)
    check(
      e2, file: p2, path: "operators[0](conv1).shares[1].tier", expected: "host, reram0, cim0, lt0",
      hint: "did you mean cim0?")
    // A share naming a tier the file does not list.
    let (p3, e3) = readError(try edited("\"tier\" : \"reram0\"", "\"tier\" : \"reram\""))
    check(
      e3, file: p3, path: "operators[2](conv2).shares[0].tier",
      expected: "one of host, reram0, cim0, lt0", hint: "did you mean reram0?")
    // The same id with another kind.
    var kind = try MappingFileFixture.file()
    kind.architecture.tiers[2].kind = .analog
    let (p4, e4) = try planError(kind)
    check(
      e4, file: p4, path: "architecture.tiers[2](cim0).kind", expected: "cim", message: "analog",
      hint: "pass --arch h3pimap")
    // Unknown kinds and duplicated ids in the file itself.
    let (p5, e5) = readError(try edited("\"kind\" : \"photonic\"", "\"kind\" : \"photonics\""))
    check(
      e5, file: p5, path: "architecture.tiers[3].kind", expected: "one of digital, cim",
      hint: "did you mean photonic?")
    let (p6, e6) = readError(try edited("\"id\" : \"cim0\"", "\"id\" : \"host\""))
    check(
      e6, file: p6, path: "architecture.tiers[2].id", expected: "unique", message: "a second time")
  }

  @Test func axesThatCannotBeSplit() throws {
    // A k split of a max pool: no reduction to divide.
    var pool = try MappingFileFixture.file()
    pool.operators[1] = .init(
      name: "pool1",
      shares: [.init(tier: "host", fraction: 0.5), .init(tier: "cim0", fraction: 0.5)], axis: .k)
    let (p1, e1) = try planError(pool)
    check(
      e1, file: p1, path: "operators[1](pool1).axis", expected: "axis m or n",
      message: "needs a matrix product", hint: "split along m or n")
    // The same pool split along m is a placement the cost model prices.
    pool.operators[1].axis = .m
    let (_, ok) = try planError(pool)
    #expect(ok == nil, "\(String(describing: ok))")
    // A k split on an architecture without a digital tier: nothing adds the partial sums.
    let h3 = try MappingFileFixture.h3pimap()
    let noHost = Architecture(
      name: "no-host", tiers: Array(h3.tiers.dropFirst()), memory: h3.memory, links: [])
    let plan = MappingPlan(
      placements: MappingFileFixture.plan().placements.map { p in
        Placement(
          shares: p.shares.map { TierShare(tier: max(0, $0.tier - 1), fraction: $0.fraction) },
          axis: p.axis)
      })
    let file = MappingFile(
      plan: plan, graph: try MappingFileFixture.lenet5(), architecture: noHost, precision: .int8,
      lowering: .deployment,
      source: "zoo", toolVersion: "t")
    let (p2, e2) = readError(try file.encoded())
    check(
      e2, file: p2, path: "operators[5](fc1).axis", expected: "axis m or n",
      message: "needs a digital tier", hint: "add a digital tier")
    let (p3, e3) = readError(try edited("\"axis\" : \"m\"", "\"axis\" : \"rows\""))
    check(e3, file: p3, path: "operators[2](conv2).axis", expected: "one of m, n, k")
  }
}
