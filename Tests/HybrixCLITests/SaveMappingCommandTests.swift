import Foundation
import Testing

@testable import HybrixCLI

/// `explore --save-mapping` and `compile --save-mapping` write a mapping that `map --mapping`
/// prices to the same figures the writing command reported.
@Suite struct SaveMappingCommandTests {
  static func double(_ any: Any?) throws -> Double { try #require((any as? NSNumber)?.doubleValue) }

  /// The compiled dual-mode program (v2: arrays by mode and segment) re-prices, bit for bit.
  @Test func compiledProgramReloadsWithTheSameLatency() async throws {
    let path = MappingFileCommandTests.temporary("program.json")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let compiled = await runHybrix(["compile", "resnet18", "--arch", "cmswitch", "--json", "--save-mapping", path])
    #expect(compiled.exitCode == 0, "\(compiled.standardError)")
    let report = try MappingFileCommandTests.json(compiled.standardOutput)
    let file = try MappingFileCommandTests.json(try String(contentsOfFile: path, encoding: .utf8))
    #expect(file["schemaVersion"] as? Int == 2)
    #expect(file["strategy"] as? String == "cmswitch")
    let mapped = await runHybrix(["map", "resnet18", "--arch", "cmswitch", "--mapping", path, "--json", "--no-baselines"])
    #expect(mapped.exitCode == 0, "\(mapped.standardError)")
    let result = try #require(try MappingFileCommandTests.json(mapped.standardOutput)["result"] as? [String: Any])
    let a = try Self.double(report["latencySeconds"]), b = try Self.double(result["latencySeconds"])
    #expect(a.bitPattern == b.bitPattern, "compile \(a) s, map --mapping \(b) s")
    #expect(a > 0)
  }

  /// The picked point of the front re-prices to the front's figures.
  @Test func pickedPointReloadsWithItsFigures() async throws {
    let path = MappingFileCommandTests.temporary("picked.json")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let explored = await runHybrix([
      "explore", "lenet5", "--arch", "h3pimap", "--population", "16", "--generations", "5", "--random", "0",
      "--pick", "min-energy", "--json", "--save-mapping", path,
    ])
    #expect(explored.exitCode == 0, "\(explored.standardError)")
    let report = try MappingFileCommandTests.json(explored.standardOutput)
    let pick = try #require(report["pick"] as? [String: Any])
    let index = try #require(pick["index"] as? Int)
    let front = try #require(report["front"] as? [[String: Any]])
    let mapped = await runHybrix(["map", "lenet5", "--arch", "h3pimap", "--mapping", path, "--json", "--no-baselines"])
    #expect(mapped.exitCode == 0, "\(mapped.standardError)")
    let result = try #require(try MappingFileCommandTests.json(mapped.standardOutput)["result"] as? [String: Any])
    for key in ["latencySeconds", "energyJoules"] {
      let a = try Self.double(front[index][key]), b = try Self.double(result[key])
      #expect(a.bitPattern == b.bitPattern, "\(key): front \(a), map --mapping \(b)")
    }
  }
}
