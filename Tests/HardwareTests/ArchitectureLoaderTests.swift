import Foundation
import HybrixCore
import Testing

@testable import Hardware

@Suite struct ArchitectureLoaderTests {
  static func baselineYAML() throws -> String {
    try ArchitectureWriter.yaml(try PresetRegistry.architecture(named: "systolic-baseline"))
  }

  /// Loads `yaml` and returns the error descriptions (empty when it loads).
  static func errors(_ yaml: String) -> [String] {
    do {
      _ = try ArchitectureLoader.load(yaml: yaml, file: "arch.yaml")
      return []
    } catch {
      return error.errors.map(\.description)
    }
  }

  @Test func presetRoundTripsThroughYAML() throws {
    let yaml = try Self.baselineYAML()
    let a = try ArchitectureLoader.load(yaml: yaml, file: "arch.yaml")
    #expect(try ArchitectureWriter.yaml(a) == yaml)
  }

  @Test func unknownKeyIsNamedWithItsPathAndASuggestion() throws {
    let yaml = try Self.baselineYAML().replacingOccurrences(of: "  vector_lanes: 128", with: "  vector_lane: 128")
    let e = Self.errors(yaml)
    #expect(e.contains { $0.contains("tiers[0] (sa0).vector_lane: unknown key \"vector_lane\"") && $0.contains("did you mean vector_lanes?") }, "\(e)")
  }

  @Test func wrongUnitNamesTheDimension() throws {
    let yaml = try Self.baselineYAML().replacingOccurrences(of: "value: 230.0 fJ", with: "value: 5 ns")
    let e = Self.errors(yaml)
    #expect(e.contains { $0.contains("arch.yaml: tiers[0] (sa0).energy.mac.value") && $0.contains("unit of time, not of energy") }, "\(e)")
  }

  @Test func missingUnit() throws {
    let yaml = try Self.baselineYAML().replacingOccurrences(of: "clock: 1.0 GHz", with: "clock: 1000")
    let e = Self.errors(yaml)
    #expect(e.contains { $0.contains("tiers[0] (sa0).clock") && $0.contains("has no unit") }, "\(e)")
  }

  @Test func nonPositiveSizesAreCollectedTogether() throws {
    let yaml = try Self.baselineYAML()
      .replacingOccurrences(of: "  rows: 128", with: "  rows: 0")
      .replacingOccurrences(of: "  count: 1\n", with: "  count: -2\n")
    let e = Self.errors(yaml)
    #expect(e.contains { $0.contains("tiers[0] (sa0).rows: 0 (expected 1…65536)") }, "\(e)")
    #expect(e.contains { $0.contains("tiers[0] (sa0).count: -2") }, "\(e)")
  }

  @Test func linkToAMissingTier() throws {
    let yaml = try Self.baselineYAML().replacingOccurrences(of: "links: []", with: """
      links:
      - from: sa0
        to: sa1
        bandwidth: {value: 64 GB/s, source: test}
        energy: {value: 1 pJ/bit, source: test}
      """)
    let e = Self.errors(yaml)
    #expect(e.contains { $0.contains("links[0].to: no tier \"sa1\"") && $0.contains("did you mean sa0?") }, "\(e)")
  }

  @Test func missingSourceIsAnError() throws {
    let yaml = try Self.baselineYAML().replacingOccurrences(
      of: "      source: 'Horowitz, ISSCC 2014, 45 nm: 8-bit multiply 0.2 pJ + 8-bit add 0.03 pJ'\n", with: "")
    let e = Self.errors(yaml)
    #expect(e.contains { $0.contains("energy.mac.source") && $0.contains("missing") }, "\(e)")
  }

  @Test func unknownKindSuggests() throws {
    let yaml = try Self.baselineYAML().replacingOccurrences(of: "kind: digital", with: "kind: digtal")
    let e = Self.errors(yaml)
    #expect(e.contains { $0.contains("tiers[0].kind: unknown tier kind \"digtal\"") && $0.contains("did you mean digital?") }, "\(e)")
  }

  @Test(arguments: ["", "just text", "version: 2\ntiers: []", "- a\n- b", "key: [unclosed"])
  func malformedFilesGiveErrorsNotCrashes(_ yaml: String) {
    #expect(!Self.errors(yaml).isEmpty)
  }

  @Test func missingFile() {
    #expect(throws: ConfigErrors.self) { try ArchitectureLoader.load(path: "/nonexistent/arch.yaml") }
  }

  @Test func unknownPresetSuggests() {
    do {
      _ = try PresetRegistry.architecture(named: "systolic-baselin")
      Issue.record("accepted")
    } catch {
      #expect(error.errors.first?.hint?.contains("did you mean systolic-baseline?") == true)
    }
  }
}
