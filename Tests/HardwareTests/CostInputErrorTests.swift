import Foundation
import HybrixCore
import Testing

@testable import Hardware

/// Tier YAML that would price something wrongly is refused at load time, naming the key
/// (issue 8, "Bad input").
@Suite struct CostInputErrorTests {
  static func lionheartYAML() throws -> String {
    try ArchitectureWriter.yaml(try PresetRegistry.architecture(named: "lionheart"))
  }

  @Test func analogTierWithoutConverterEnergiesIsAnError() throws {
    let yaml = try Self.lionheartYAML().replacingOccurrences(
      of: "    adc_conversion:\n      value: 0.0 J\n      source: included in array_activation (ALPINE gives one energy per MVM)\n",
      with: "")
    let e = ArchitectureLoaderTests.errors(yaml)
    #expect(e.contains { $0.contains("tiers[1] (pcm0).energy.adc_conversion: missing") }, "\(e)")
  }

  @Test func powerGatingWithoutAWakeUpLatencyIsAnError() throws {
    let yaml = try Self.lionheartYAML().replacingOccurrences(of: "    wake_up_latency: 130.0 ns\n", with: "")
    #expect(yaml != (try Self.lionheartYAML()), "the preset no longer writes its wake-up latency")
    let e = ArchitectureLoaderTests.errors(yaml)
    #expect(e.contains { $0.contains("tiers[1] (pcm0).power_gating.wake_up_latency: missing") }, "\(e)")
  }

  @Test func aBufferSmallerThanOneTileIsAnError() throws {
    let yaml = try ArchitectureLoaderTests.baselineYAML().replacingOccurrences(
      of: "  buffer: 2.097152 MB", with: "  buffer: 16 kB")
    #expect(yaml != (try ArchitectureLoaderTests.baselineYAML()), "the preset no longer writes its buffer as 2.097152 MB")
    let e = ArchitectureLoaderTests.errors(yaml)
    #expect(e.contains { $0.contains("tiers[0] (sa0).buffer") && $0.contains("smaller than one tile's operands") }, "\(e)")
  }

  @Test func presetLinksIntoPhotonicTiersChargeNoSecondConversion() throws {
    var checked = 0
    for p in PresetRegistry.all {
      let a = try p.architecture()
      for l in a.links {
        let kinds = [l.from, l.to].compactMap { id in a.tiers.first { $0.id == id }.map { type(of: $0).kind } }
        guard kinds.contains(.photonic) || kinds.contains(.rnsPhotonic) else { continue }
        #expect(l.conversionEnergy == nil, "\(p.name): \(l.from)↔\(l.to) converts again what the core's modulators and detectors convert")
        checked += 1
      }
    }
    #expect(checked >= 4)
  }
}
