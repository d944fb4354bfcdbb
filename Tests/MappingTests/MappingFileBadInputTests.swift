import Foundation
import Hardware
import HybrixCore
import Testing
import Workloads

@testable import Mapping

/// Every kind of bad mapping file gives one `ConfigError` naming the file, the JSON path inside
/// it, what was expected and a hint — never a crash.
@Suite struct MappingFileBadInputTests {
  /// Checks one error: its file, its exact path, and words of its expectation and hint.
  func check(
    _ e: ConfigError?, file: String, path: String?, expected: String, message: String = "", hint: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    guard let e else {
      Issue.record("no error (expected one at \(path ?? "the file"))", sourceLocation: sourceLocation)
      return
    }
    #expect(e.file == file, sourceLocation: sourceLocation)
    #expect(e.path == path, "\(e)", sourceLocation: sourceLocation)
    #expect(e.expected?.contains(expected) == true, "\(e)", sourceLocation: sourceLocation)
    // (`contains("")` is false for Foundation strings: empty words are not checked.)
    if !message.isEmpty { #expect(e.message.contains(message), "\(e)", sourceLocation: sourceLocation) }
    #expect(e.hint.map { hint.isEmpty || $0.contains(hint) } == true, "\(e)", sourceLocation: sourceLocation)
    if let path { #expect(e.description.contains(path), sourceLocation: sourceLocation) }
  }

  /// The error of reading `text` as a mapping, with the temporary file's path.
  func readError(_ text: String) -> (String, ConfigError?) {
    let (path, result) = MappingFileFixture.read(text)
    if case .failure(let e) = result { return (path, e) }
    return (path, nil)
  }

  /// The golden text with the first occurrence of `old` replaced by `new`.
  func edited(_ old: String, _ new: String) throws -> String {
    let text = try MappingFileFixture.file().encoded()
    let range = try #require(text.range(of: old), "\(old) not in the file")
    return text.replacingCharacters(in: range, with: new)
  }

  /// The error of making the plan of `file` (written and read back) for `graph` on `arch`.
  func planError(
    _ file: MappingFile, graph: Graph? = nil, arch: Architecture? = nil, lowering: MappingFile.Lowering? = nil
  ) throws -> (String, ConfigError?) {
    let path = MappingFileFixture.temporaryPath()
    try file.write(file: path)
    let g = try graph ?? MappingFileFixture.lenet5()
    let a = try arch ?? MappingFileFixture.h3pimap()
    do throws(ConfigError) {
      let read = try MappingFile.read(file: path)
      _ = try read.plan(for: g, architecture: a, file: path, lowering: lowering)
      return (path, nil)
    } catch {
      return (path, error)
    }
  }

  @Test func unreadableOrNotJSON() throws {
    let missing = MappingFileFixture.temporaryPath("absent.json")
    do throws(ConfigError) {
      _ = try MappingFile.read(file: missing)
      Issue.record("read a missing file")
    } catch { check(error, file: missing, path: nil, expected: "hybrix.mapping v1", message: "cannot be read", hint: "--save-mapping") }
    let folder = FileManager.default.temporaryDirectory.path
    do throws(ConfigError) {
      _ = try MappingFile.read(file: folder)
      Issue.record("read a folder")
    } catch { check(error, file: folder, path: nil, expected: "hybrix.mapping v1", message: "cannot be read") }
    let (p1, e1) = readError("{\"schema\": \"hybrix.mapping\", ")
    check(e1, file: p1, path: nil, expected: "hybrix.mapping v1", message: "is not JSON", hint: "--save-mapping")
    let (p2, e2) = readError("[1, 2]")
    check(e2, file: p2, path: nil, expected: "a JSON object", hint: "--save-mapping")
  }

  @Test func anotherSchemaOrVersion() throws {
    let (p1, e1) = readError(try edited("\"hybrix.mapping\"", "\"hybrix.map\""))
    check(e1, file: p1, path: "schema", expected: "hybrix.mapping v1", message: "`hybrix map --json` report", hint: "hybrix map MODEL --save-mapping m.json")
    let (p2, e2) = readError(try edited("\"hybrix.mapping\"", "\"hybrix.accuracy\""))
    check(e2, file: p2, path: "schema", expected: "hybrix.mapping v1", message: "hybrix.accuracy")
    let (p3, e3) = readError(try edited("\"schemaVersion\" : 1", "\"schemaVersion\" : 2"))
    check(e3, file: p3, path: "schemaVersion", expected: "1", message: "2", hint: "hybrix.mapping v1")
    let (p4, e4) = readError("{\"operators\": []}")
    check(e4, file: p4, path: "schema", expected: "hybrix.mapping v1", message: "missing")
  }

  @Test func anotherModel() throws {
    // A LeNet-5 mapping read against small-cnn: pool1 is not an operator of small-cnn.
    let smallCNN = try ModelZoo.model(named: "small-cnn").graph().loweredForDeployment().graph
    let (p1, e1) = try planError(try MappingFileFixture.file(), graph: smallCNN)
    check(e1, file: p1, path: "operators[1](pool1).name", expected: "the operators of the graph", message: "model lenet5", hint: "same model")
    #expect(e1?.message.contains("unknown operator pool1") == true)
    // Made on the lowered graph, read with --no-fusion: the activations are missing from the file.
    let asBuilt = try ModelZoo.model(named: "lenet5").graph()
    let (p2, e2) = try planError(try MappingFileFixture.file(), graph: asBuilt, lowering: MappingFile.Lowering.none)
    check(e2, file: p2, path: "operators[1](pool1).name", expected: "the operators of the graph", message: "is missing", hint: "drop --no-fusion")
    // Without being told, a graph with nothing fused cannot be known to be lowered: the hint is conditional.
    let (_, e3) = try planError(try MappingFileFixture.file(), graph: asBuilt)
    #expect(e3?.hint?.contains("drop --no-fusion if this run's differs") == true, "\(String(describing: e3))")
    // Made with --no-fusion, read on the lowered graph (which has fused operators).
    let unlowered = MappingFile(
      plan: .uniform(0, operators: asBuilt.operators.count), graph: asBuilt, architecture: try MappingFileFixture.h3pimap(),
      precision: .int8, lowering: .none, source: "zoo", toolVersion: "t")
    let (p4, e4) = try planError(unlowered)
    check(e4, file: p4, path: "operators[1](\(asBuilt.operators[1].name)).name", expected: "graph order", hint: "pass --no-fusion")
  }

  @Test func unknownDuplicatedOrMissingOperators() throws {
    var renamed = try MappingFileFixture.file()
    renamed.operators[6].name = "fc_2"
    let (p1, e1) = try planError(renamed)
    check(e1, file: p1, path: "operators[6](fc_2).name", expected: "graph order", message: "unknown operator fc_2", hint: "same model")
    #expect(e1?.message.contains("nearest: fc2") == true)
    var twice = try MappingFileFixture.file()
    twice.operators[7].name = "fc2"
    let (p2, e2) = try planError(twice)
    check(e2, file: p2, path: "operators[7](fc2).name", expected: "graph order", message: "a second time")
    var short = try MappingFileFixture.file()
    short.operators.remove(at: 3)
    short.model.operators = 7
    let (p3, e3) = try planError(short)
    check(e3, file: p3, path: "operators[3](flatten).name", expected: "graph order", message: "operator pool2 of lenet5 is missing")
    var cut = try MappingFileFixture.file()
    cut.operators.removeLast()
    cut.model.operators = 7
    let (p4, e4) = try planError(cut)
    check(e4, file: p4, path: "operators", expected: "graph order", message: "operator fc3 of lenet5 is missing")
    // The entries disagree with the count the file states.
    var uneven = try MappingFileFixture.file()
    uneven.operators.removeLast()
    let (p5, e5) = readError(try uneven.encoded())
    check(e5, file: p5, path: "operators", expected: "8, as model.operators says", message: "7 entries")
    // Name-keyed readers refuse a name placed twice differently.
    var clash = try MappingFileFixture.file()
    clash.operators[7].name = "fc2"
    let h3 = try MappingFileFixture.h3pimap()
    do throws(ConfigError) {
      _ = try clash.assignments(architecture: h3, file: "c.json")
      Issue.record("accepted fc2 twice")
    } catch {
      check(error, file: "c.json", path: "operators[7](fc2).name", expected: "each operator name once", message: "placed differently")
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
    } catch { check(error, file: "a.json", path: "operators[0](conv1).shares[0].tier", expected: "one of cpu, pcm0") }
    // A tier renamed consistently in the file: nearest-name hint.
    var renamed = try MappingFileFixture.file()
    renamed.architecture.tiers[2].id = "cim00"
    for i in renamed.operators.indices {
      for j in renamed.operators[i].shares.indices where renamed.operators[i].shares[j].tier == "cim0" {
        renamed.operators[i].shares[j].tier = "cim00"
      }
    }
    let (p2, e2) = try planError(renamed)
    check(e2, file: p2, path: "operators[0](conv1).shares[1].tier", expected: "host, reram0, cim0, lt0", hint: "did you mean cim0?")
    // A share naming a tier the file does not list.
    let (p3, e3) = readError(try edited("\"tier\" : \"reram0\"", "\"tier\" : \"reram\""))
    check(e3, file: p3, path: "operators[2](conv2).shares[0].tier", expected: "one of host, reram0, cim0, lt0", hint: "did you mean reram0?")
    // The same id with another kind.
    var kind = try MappingFileFixture.file()
    kind.architecture.tiers[2].kind = .analog
    let (p4, e4) = try planError(kind)
    check(e4, file: p4, path: "architecture.tiers[2](cim0).kind", expected: "cim", message: "analog", hint: "pass --arch h3pimap")
    // Unknown kinds and duplicated ids in the file itself.
    let (p5, e5) = readError(try edited("\"kind\" : \"photonic\"", "\"kind\" : \"photonics\""))
    check(e5, file: p5, path: "architecture.tiers[3].kind", expected: "one of digital, cim", hint: "did you mean photonic?")
    let (p6, e6) = readError(try edited("\"id\" : \"cim0\"", "\"id\" : \"host\""))
    check(e6, file: p6, path: "architecture.tiers[2].id", expected: "unique", message: "a second time")
  }

  @Test func badShares() throws {
    var off = try MappingFileFixture.file()
    off.operators[0].shares[1].fraction = 0.65
    let (p1, e1) = readError(try off.encoded())
    check(e1, file: p1, path: "operators[0](conv1).shares", expected: "1 (within 1e-09)", message: "add up to 0.9", hint: "add up to 1")
    var empty = try MappingFileFixture.file()
    empty.operators[1].shares = []
    let (p2, e2) = readError(try empty.encoded())
    check(e2, file: p2, path: "operators[1](pool1).shares", expected: "at least one share", message: "empty")
    for (bad, value) in [("0", 0.0), ("-0.25", -0.25), ("1.5", 1.5)] {
      var f = try MappingFileFixture.file()
      f.operators[7].shares[0].fraction = value
      let (p, e) = readError(try f.encoded())
      check(e, file: p, path: "operators[7](fc3).shares[0].fraction", expected: "a fraction in (0, 1]", message: bad)
    }
    let (p3, e3) = readError(try edited("\"fraction\" : 0.25", "\"fraction\" : 1e999"))
    check(e3, file: p3, path: "operators[0](conv1).shares[0].fraction", expected: "finite", message: "beyond the range")
    let (p4, e4) = readError(try edited("\"fraction\" : 0.25", "\"fraction\" : \"0.25\""))
    check(e4, file: p4, path: "operators[0](conv1).shares[0].fraction", expected: "finite fraction", message: "string")
    let (p5, e5) = readError(try edited("\"fraction\" : 0.25", "\"fraction\" : null"))
    check(e5, file: p5, path: "operators[0](conv1).shares[0].fraction", expected: "(0, 1]", message: "null")
    // Within the tolerance of 1e-9 is accepted.
    var close = try MappingFileFixture.file()
    close.operators[0].shares[1].fraction = 0.75 + 5e-10
    if case .failure(let e) = MappingFileFixture.read(try close.encoded()).result { Issue.record("\(e)") }
  }

  @Test func axesThatCannotBeSplit() throws {
    // A k split of a max pool: no reduction to divide.
    var pool = try MappingFileFixture.file()
    pool.operators[1] = .init(name: "pool1", shares: [.init(tier: "host", fraction: 0.5), .init(tier: "cim0", fraction: 0.5)], axis: .k)
    let (p1, e1) = try planError(pool)
    check(e1, file: p1, path: "operators[1](pool1).axis", expected: "axis m or n", message: "needs a matrix product", hint: "split along m or n")
    // The same pool split along m is a placement the cost model prices.
    pool.operators[1].axis = .m
    let (_, ok) = try planError(pool)
    #expect(ok == nil, "\(String(describing: ok))")
    // A k split on an architecture without a digital tier: nothing adds the partial sums.
    let h3 = try MappingFileFixture.h3pimap()
    let noHost = Architecture(name: "no-host", tiers: Array(h3.tiers.dropFirst()), memory: h3.memory, links: [])
    let plan = MappingPlan(placements: MappingFileFixture.plan().placements.map { p in
      Placement(shares: p.shares.map { TierShare(tier: max(0, $0.tier - 1), fraction: $0.fraction) }, axis: p.axis)
    })
    let file = MappingFile(
      plan: plan, graph: try MappingFileFixture.lenet5(), architecture: noHost, precision: .int8, lowering: .deployment,
      source: "zoo", toolVersion: "t")
    let (p2, e2) = readError(try file.encoded())
    check(e2, file: p2, path: "operators[5](fc1).axis", expected: "axis m or n", message: "needs a digital tier", hint: "add a digital tier")
    let (p3, e3) = readError(try edited("\"axis\" : \"m\"", "\"axis\" : \"rows\""))
    check(e3, file: p3, path: "operators[2](conv2).axis", expected: "one of m, n, k")
  }

  @Test func unknownKeysAreRejected() throws {
    let (p1, e1) = readError(try edited("\"fraction\" : 0.25", "\"fracton\" : 0.25"))
    check(e1, file: p1, path: "operators[0](conv1).shares[0].fracton", expected: "one of tier, fraction", message: "unknown key", hint: "did you mean fraction?")
    let (p2, e2) = readError(try edited("\"goal\" : \"latency\"", "\"goal\" : \"latency\",\n  \"segments\" : []"))
    check(e2, file: p2, path: "segments", expected: "one of schema", message: "unknown key \"segments\"", hint: "typo")
    let (p3, e3) = readError(try edited("\"batch\" : 1", "\"batch\" : 1, \"batchs\" : 1"))
    check(e3, file: p3, path: "model.workload.batchs", expected: "one of phase, batch", hint: "did you mean batch?")
    let (p4, e4) = readError(try edited("\"axis\" : \"n\"", "\"axes\" : \"n\""))
    check(e4, file: p4, path: "operators[0](conv1).axes", expected: "one of name, shares, axis", hint: "did you mean axis?")
  }

  @Test func wrongTypesAndMissingFields() throws {
    let (p1, e1) = readError(try edited("\"operators\" : 8", "\"operators\" : \"8\""))
    check(e1, file: p1, path: "model.operators", expected: "a count")
    let (p2, e2) = readError(try edited("\"lowering\" : \"deployment\"", "\"lowering\" : \"fused\""))
    check(e2, file: p2, path: "model.lowering", expected: "one of deployment, none")
    let (p3, e3) = readError(try edited("\"batch\" : 1", "\"batch\" : 0"))
    check(e3, file: p3, path: "model.workload.batch", expected: "an integer ≥ 1")
    let (p4, e4) = readError(try edited("\"weightBits\" : 8", "\"weightBits\" : 8.5"))
    check(e4, file: p4, path: "model.precision.weightBits", expected: "bits in 1…64")
    let (p5, e5) = readError(try edited(",\n  \"toolVersion\" : \"0.0.0-test\"", ""))
    check(e5, file: p5, path: "toolVersion", expected: "a string", message: "missing")
    let (p6, e6) = readError(try edited("\"name\" : \"conv1\",", "\"name\" : 7,"))
    check(e6, file: p6, path: "operators[0].name", expected: "the operator's name", message: "the number 7")
  }

  /// Damaged copies of the golden file: every read either succeeds or throws one error naming
  /// the file, and a file that reads writes back to text that reads the same.
  @Test func damagedFilesNeverCrash() throws {
    let text = Array(try MappingFileFixture.file().encoded().utf8)
    var rng = SplitMix64(seed: 77)
    var (errors, reads) = (0, 0)
    let pieces: [[UInt8]] = ["", "0", "-1", "\"", "{", "}", "[", "]", ",", ":", "null", "1e999", "\"k\"", "true"].map { Array($0.utf8) }
    for _ in 0..<300 {
      var bytes = text
      for _ in 0...Int(rng.next() % 3) {
        let at = Int(rng.next() % UInt64(bytes.count))
        let length = min(bytes.count - at, Int(rng.next() % 6))
        bytes.replaceSubrange(at..<(at + length), with: pieces[Int(rng.next() % UInt64(pieces.count))])
      }
      let path = "damaged.json"
      do throws(ConfigError) {
        let file = try MappingFile.decode(Data(bytes), file: path)
        reads += 1
        #expect(try MappingFile.decode(Data(try file.encoded().utf8), file: path) == file)
      } catch {
        errors += 1
        #expect(error.file == path && !error.message.isEmpty && error.expected != nil, "\(error)")
      }
    }
    #expect(errors > 200, "only \(errors) of 300 damaged files were refused")
    #expect(errors + reads == 300)
  }
}
