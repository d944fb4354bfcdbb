import Devices
import HybrixCore
import Mapping
import Testing

@testable import Hardware

/// One spec of moduli, BFP group and mantissa bits (``RNSNumberFormat/mirage``) serves the cost
/// side (the `mirage` preset's RNS tier) and the accuracy side (`rns-mirage`), and both sides and
/// the paper's overflow rule accept the same number systems.
@Suite struct MirageNumericsAgreementTests {
  @Test func presetTierAndArithmeticShareOneFormat() throws {
    let f = RNSNumberFormat.mirage
    #expect(f.moduli == [31, 32, 33] && f.blockSize == 16 && f.mantissaBits == 5)
    let arch = try PresetRegistry.architecture(named: "mirage")
    let core = try #require(arch.tiers.compactMap { $0 as? RNSPhotonicCoreTier }.first)
    #expect(core.numerics == .rns(moduli: f.moduli, redundantModuli: [], blockSize: f.blockSize, mantissaBits: f.mantissaBits))
    #expect(RNSArithmetic.mirage == RNSArithmetic.Configuration(format: f))
    let entry = try #require(try ArithmeticRegistry.make("rns-mirage", seed: 1) as? RNSArithmetic)
    #expect(entry.configuration == RNSArithmetic.mirage)
    // The arithmetic a mapping builds for the preset's tier is that configuration.
    let bound = try #require(try TierArithmetic.make(for: core, time: .seconds(86_400), compensated: true, seed: 1) as? RNSArithmetic)
    #expect(bound.configuration == RNSArithmetic.mirage)
  }

  /// Over a grid of moduli sets, group sizes and mantissa widths, the tier's validation, the
  /// arithmetic's construction and the paper's rule log₂ M ≥ 2(b_m + 1) + log₂ g − 1 agree.
  @Test func overflowRulesAgree() {
    var cases = 0, accepted = 0
    for moduli in [[31, 32, 33], [15, 16, 17], [7, 8, 9], [63, 64, 65], [3, 4, 5]] {
      for g in [1, 2, 4, 8, 16, 32, 64, 128] {
        for b in 2...8 {
          let f = RNSNumberFormat(moduli: moduli, blockSize: g, mantissaBits: b, source: "test")
          var spec = MiragePreset.core(format: RNSNumberFormat.mirage)
          spec.moduli.value = moduli
          (spec.bfpBlock, spec.mantissaBits) = (g, b)
          let tierAccepts = !spec.validateNumberSystem().contains { $0.path == "moduli" }
          let arithmeticAccepts = (try? RNSArithmetic(RNSArithmetic.Configuration(format: f), seed: 1)) != nil
          #expect(tierAccepts == arithmeticAccepts, "\(moduli) g \(g) b \(b)")
          #expect(tierAccepts == f.holdsAGroup, "\(moduli) g \(g) b \(b)")
          cases += 1
          if tierAccepts { accepted += 1 }
        }
      }
    }
    #expect(cases == 280)
    #expect(accepted > 20 && accepted < cases - 20, "both outcomes occur: \(accepted) of \(cases)")
  }
}
