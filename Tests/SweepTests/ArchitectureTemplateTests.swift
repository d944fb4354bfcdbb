import Foundation
import Hardware
import HybrixCore
import Testing

@testable import Sweep

@Suite struct ArchitectureTemplateTests {
  func template(_ preset: String = "h3pimap") throws -> ArchitectureTemplate {
    try ArchitectureTemplate(label: preset, architecture: try PresetRegistry.architecture(named: preset))
  }

  @Test(arguments: [6, 7, 12])
  func adcBitsReachTheTierSpec(bits: Int) async throws {
    let a = try template().applying([(path: "tiers.reram0.adc_bits", value: "\(bits)")])
    let tier = try #require(a.tiers.first { $0.id == "reram0" } as? CIMCrossbarTier)
    #expect(tier.spec.adcBits == bits)
    // Nothing else moved: the other tiers' specs are the preset's.
    let base = try PresetRegistry.architecture(named: "h3pimap")
    #expect(a.tiers.count == base.tiers.count)
    let others = a.tiers.filter { $0.id != "reram0" }.map { try? ArchitectureWriter.yaml(Architecture(name: "x", description: "", tiers: [$0], memory: a.memory)) }
    let baseOthers = base.tiers.filter { $0.id != "reram0" }.map { try? ArchitectureWriter.yaml(Architecture(name: "x", description: "", tiers: [$0], memory: a.memory)) }
    #expect(others == baseOthers)
  }

  @Test func indexPathAndTierIDPathAgree() async throws {
    let byID = try template().applying([(path: "tiers.host.count", value: "3")])
    let byIndex = try template().applying([(path: "tiers[0].count", value: "3")])
    #expect(byID.tiers[0].spec.common.count == 3)
    #expect(try ArchitectureWriter.yaml(byID) == ArchitectureWriter.yaml(byIndex))
  }

  @Test func quantityTakesTheValueAndASweepSource() async throws {
    let base = try template().base
    let a = try template().applying([(path: "memory.dram_bandwidth", value: "1 TB/s")])
    #expect(a.memory.dramBandwidth.value.bytesPerSecond == 1e12)
    #expect(a.memory.dramBandwidth.source == ArchitectureTemplate.overrideSource)
    #expect(!a.memory.dramBandwidth.assumed)
    #expect(a.memory.dramEnergy == base.memory.dramEnergy)
  }

  @Test func invalidValuesGiveTheLoadersErrors() async throws {
    for (path, value, errorPath) in [
      ("tiers.reram0.adc_bits", "0", "adc_bits"), ("tiers.host.count", "-1", "count"),
      ("memory.dram_bandwidth", "12 parsecs", "memory.dram_bandwidth"),
    ] {
      #expect {
        _ = try template().applying([(path: path, value: value)])
      } throws: { error in
        let errors = (error as? ConfigErrors)?.errors ?? []
        return errors.contains { ($0.path ?? "").contains(errorPath) } && errors.allSatisfy { $0.file?.contains("\(path)=\(value)") == true }
      }
    }
  }

  @Test func pathsThatNameNoField() async throws {
    let t = try template()
    let bad = ["tiers.nope.count", "tiers.host.cout", "tiers", "tiers[9].count", "memory.dram_bandwidth.value.x", "links"]
    var failures = 0
    for path in bad {
      do { _ = try t.steps(path) } catch { failures += 1 }
    }
    #expect(failures == bad.count)
    // An optional field the preset leaves out can still be set, since the tier's schema has it.
    #expect(throws: Never.self) { _ = try t.steps("tiers.reram0.adc_bits") }
  }
}
