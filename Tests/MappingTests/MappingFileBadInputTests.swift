import Foundation
import Hardware
import HybrixCore
import Testing
import Workloads

@testable import Mapping

/// Every kind of bad mapping file gives one `ConfigError` naming the file, the JSON path inside
/// it, what was expected and a hint — never a crash. These are the problems of the file itself;
/// `MappingFileMismatchTests` has those against a loaded graph and architecture.
@Suite struct MappingFileBadInputTests: MappingFileErrorChecks {
  @Test func unreadableOrNotJSON() throws {
    let missing = MappingFileFixture.temporaryPath("absent.json")
    do throws(ConfigError) {
      _ = try MappingFile.read(file: missing)
      Issue.record("read a missing file")
    } catch {
      check(
        error, file: missing, path: nil, expected: "hybrix.mapping v1", message: "cannot be read",
        hint: "--save-mapping")
    }
    let folder = FileManager.default.temporaryDirectory.path
    do throws(ConfigError) {
      _ = try MappingFile.read(file: folder)
      Issue.record("read a folder")
    } catch {
      check(
        error, file: folder, path: nil, expected: "hybrix.mapping v1", message: "cannot be read")
    }
    let (p1, e1) = readError("{\"schema\": \"hybrix.mapping\", ")
    check(
      e1, file: p1, path: nil, expected: "hybrix.mapping v1", message: "is not JSON",
      hint: "--save-mapping")
    let (p2, e2) = readError("[1, 2]")
    check(e2, file: p2, path: nil, expected: "a JSON object", hint: "--save-mapping")
  }

  @Test func anotherSchemaOrVersion() throws {
    let (p1, e1) = readError(try edited("\"hybrix.mapping\"", "\"hybrix.map\""))
    check(
      e1, file: p1, path: "schema", expected: "hybrix.mapping v1",
      message: "`hybrix map --json` report", hint: "hybrix map MODEL --save-mapping m.json")
    let (p2, e2) = readError(try edited("\"hybrix.mapping\"", "\"hybrix.accuracy\""))
    check(e2, file: p2, path: "schema", expected: "hybrix.mapping v1", message: "hybrix.accuracy")
    let (p3, e3) = readError(try edited("\"schemaVersion\" : 1", "\"schemaVersion\" : 3"))
    check(
      e3, file: p3, path: "schemaVersion", expected: "1 or 2", message: "3", hint: "hybrix.mapping v1 or v2")
    let (p4, e4) = readError("{\"operators\": []}")
    check(e4, file: p4, path: "schema", expected: "hybrix.mapping v1", message: "missing")
  }

  @Test func badShares() throws {
    var off = try MappingFileFixture.file()
    off.operators[0].shares[1].fraction = 0.65
    let (p1, e1) = readError(try off.encoded())
    check(
      e1, file: p1, path: "operators[0](conv1).shares", expected: "1 (within 1e-09)",
      message: "add up to 0.9", hint: "add up to 1")
    var empty = try MappingFileFixture.file()
    empty.operators[1].shares = []
    let (p2, e2) = readError(try empty.encoded())
    check(
      e2, file: p2, path: "operators[1](pool1).shares", expected: "at least one share",
      message: "empty")
    for (bad, value) in [("0", 0.0), ("-0.25", -0.25), ("1.5", 1.5)] {
      var f = try MappingFileFixture.file()
      f.operators[7].shares[0].fraction = value
      let (p, e) = readError(try f.encoded())
      check(
        e, file: p, path: "operators[7](fc3).shares[0].fraction", expected: "a fraction in (0, 1]",
        message: bad)
    }
    let (p3, e3) = readError(try edited("\"fraction\" : 0.25", "\"fraction\" : 1e999"))
    check(
      e3, file: p3, path: "operators[0](conv1).shares[0].fraction", expected: "finite",
      message: "beyond the range")
    let (p4, e4) = readError(try edited("\"fraction\" : 0.25", "\"fraction\" : \"0.25\""))
    check(
      e4, file: p4, path: "operators[0](conv1).shares[0].fraction", expected: "finite fraction",
      message: "string")
    let (p5, e5) = readError(try edited("\"fraction\" : 0.25", "\"fraction\" : null"))
    check(
      e5, file: p5, path: "operators[0](conv1).shares[0].fraction", expected: "(0, 1]",
      message: "null")
    // The writer refuses what JSON cannot hold.
    var nan = try MappingFileFixture.file()
    nan.operators[7].shares[0].fraction = .nan
    #expect(throws: ConfigError.self) { try nan.encoded() }
    // Within the tolerance of 1e-9 is accepted.
    var close = try MappingFileFixture.file()
    close.operators[0].shares[1].fraction = 0.75 + 5e-10
    if case .failure(let e) = MappingFileFixture.read(try close.encoded()).result {
      Issue.record("\(e)")
    }
  }

  @Test func unknownKeysAreRejected() throws {
    let (p1, e1) = readError(try edited("\"fraction\" : 0.25", "\"fracton\" : 0.25"))
    check(
      e1, file: p1, path: "operators[0](conv1).shares[0].fracton",
      expected: "one of tier, fraction", message: "unknown key", hint: "did you mean fraction?")
    let (p2, e2) = readError(
      try edited("\"goal\" : \"latency\"", "\"goal\" : \"latency\",\n  \"segments\" : []"))
    check(
      e2, file: p2, path: "segments", expected: "one of schema",
      message: "unknown key \"segments\"", hint: "typo")
    let (p3, e3) = readError(try edited("\"batch\" : 1", "\"batch\" : 1, \"batchs\" : 1"))
    check(
      e3, file: p3, path: "model.workload.batchs", expected: "one of phase, batch",
      hint: "did you mean batch?")
    let (p4, e4) = readError(try edited("\"axis\" : \"n\"", "\"axes\" : \"n\""))
    check(
      e4, file: p4, path: "operators[0](conv1).axes", expected: "one of name, shares, axis",
      hint: "did you mean axis?")
  }

  @Test func wrongTypesAndMissingFields() throws {
    let (p1, e1) = readError(try edited("\"operators\" : 8", "\"operators\" : \"8\""))
    check(e1, file: p1, path: "model.operators", expected: "a count")
    let (p2, e2) = readError(
      try edited("\"lowering\" : \"deployment\"", "\"lowering\" : \"fused\""))
    check(e2, file: p2, path: "model.lowering", expected: "one of deployment, none")
    let (p3, e3) = readError(try edited("\"batch\" : 1", "\"batch\" : 0"))
    check(e3, file: p3, path: "model.workload.batch", expected: "an integer ≥ 1")
    let (p4, e4) = readError(try edited("\"weightBits\" : 8", "\"weightBits\" : 8.5"))
    check(e4, file: p4, path: "model.precision.weightBits", expected: "bits in 1…64")
    let (p5, e5) = readError(try edited(",\n  \"toolVersion\" : \"0.0.0-test\"", ""))
    check(e5, file: p5, path: "toolVersion", expected: "a string", message: "missing")
    let (p6, e6) = readError(try edited("\"name\" : \"conv1\",", "\"name\" : 7,"))
    check(
      e6, file: p6, path: "operators[0].name", expected: "the operator's name",
      message: "the number 7")
  }

  /// Damaged copies of the golden file: every read either succeeds or throws one error naming
  /// the file, and a file that reads writes back to text that reads the same.
  @Test func damagedFilesNeverCrash() throws {
    let text = Array(try MappingFileFixture.file().encoded().utf8)
    var rng = SplitMix64(seed: 77)
    var (errors, reads) = (0, 0)
    let pieces: [[UInt8]] = [
      "", "0", "-1", "\"", "{", "}", "[", "]", ",", ":", "null", "1e999", "\"k\"", "true",
    ].map { Array($0.utf8) }
    for _ in 0..<300 {
      var bytes = text
      for _ in 0...Int(rng.next() % 3) {
        let at = Int(rng.next() % UInt64(bytes.count))
        let length = min(bytes.count - at, Int(rng.next() % 6))
        bytes.replaceSubrange(
          at..<(at + length), with: pieces[Int(rng.next() % UInt64(pieces.count))])
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
