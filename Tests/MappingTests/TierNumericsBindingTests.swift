import Devices
import Hardware
import HybrixCore
import HybrixNumerics
import Mapping
import Testing

/// The arithmetic the accuracy side builds for a tier uses the numbers its cost side prices
/// (review.md, "tier → numerical model"; issue 8 §1.8).
@Suite struct TierNumericsBindingTests {
  static func arithmetic(_ tier: any HardwareTier, seed: UInt64 = 1) throws -> (
    any ProductArithmetic
  )? {
    try TierArithmetic.make(for: tier, time: .seconds(86_400), compensated: true, seed: seed)
  }

  /// Checks one tier's arithmetic against the spec and derived values its cost side uses; returns
  /// a label of what was checked, so a test can count the tiers it covered.
  static func checkBinding(_ tier: any HardwareTier) throws -> String {
    let model = try arithmetic(tier)
    let c = tier.common
    if c.noiseModel == "h3pimap" {
      // The paper's noise model for the tier's technology, at the tier's bits.
      let a = try #require(model as? H3PIMAPArithmetic, "\(tier.id)")
      #expect(a.weightBits == c.weightBits && a.inputBits == c.activationBits)
      switch tier {
      case let t as CIMCrossbarTier where t.spec.technology == .reram:
        #expect(a.tier == .reram && a.cellBits == t.spec.cellBits)
      case is CIMCrossbarTier: #expect(a.tier == .sram)
      case is PhotonicCoreTier: #expect(a.tier == .photonic && a.outputBits == c.activationBits)
      default: Issue.record("noise_model h3pimap on tier \(tier.id) of another type")
      }
      return "h3pimap-" + a.tier.rawValue
    }
    switch tier {
    case let t as SystolicArrayTier:
      #expect(t.numerics == .exact(weightBits: c.weightBits, activationBits: c.activationBits))
      #expect(model == nil)
      return "exact"
    case let t as AnalogTileTier:
      let a = try #require(model as? AnalogTileArithmetic)
      #expect(a.io.dac == UniformQuantizer(bits: t.spec.dacBits, bound: a.io.dac.bound))
      #expect(a.io.adc == UniformQuantizer(bits: t.spec.adcBits, bound: a.io.adc.bound))
      return "pcm"
    case let t as CIMCrossbarTier where t.spec.technology == .reram:
      let a = try #require(model as? ReRAMArithmetic)
      #expect(a.model.cellBits == t.spec.cellBits && a.model.weightBits == c.weightBits)
      #expect(a.inputBits == c.activationBits)
      // The ADC the cost side prices resolves every partial sum (ISAAC's sizing), so none is modelled.
      #expect(
        t.spec.adcBits
          >= TierNumerics.isaacLosslessADCBits(
            rowsActive: t.spec.rowsActive, dacBits: t.spec.dacBits, cellBits: t.spec.cellBits))
      #expect(a.adcBits == nil)
      return "reram"
    case let t as CIMCrossbarTier:
      let a = try #require(model as? BitSerialCIMArithmetic)
      #expect(
        a.adcBits == t.spec.adcBits && a.dacBits == t.spec.dacBits && a.cellBits == t.spec.cellBits)
      #expect(a.rowsActive == t.spec.rowsActive)
      #expect(a.weightBits == c.weightBits && a.activationBits == c.activationBits)
      return "cim"
    case let t as PhotonicCoreTier:
      let a = try #require(model as? PhotonicArithmetic)
      let (input, weight, output) = try (
        #require(a.model.inputBits), #require(a.model.weightBits), #require(a.model.outputBits)
      )
      // The converter powers the cost side derived are those of these bits.
      #expect(t.adcPower == t.spec.adc.sarADCPower(bits: output, clock: c.clock))
      #expect(t.dacPower == t.spec.dac.dacPower(bits: max(input, weight), clock: c.clock))
      #expect(input == c.activationBits && weight == c.weightBits && output == c.activationBits)
      return "photonic"
    case let t as RNSPhotonicCoreTier:
      let a = try #require(model as? RNSArithmetic)
      #expect(
        a.configuration
          == RNSArithmetic.Configuration(
            moduli: t.spec.moduli.value.map(Int64.init),
            redundantModuli: t.spec.redundantModuli.map(Int64.init),
            blockSize: t.spec.bfpBlock, mantissaBits: t.spec.mantissaBits))
      return "rns"
    default:
      Issue.record("tier \(tier.id) of an unknown type: add it to this test")
      return "unknown"
    }
  }

  @Test(arguments: PresetRegistry.names) func everyPresetTierUsesThePricedBits(preset: String)
    throws
  {
    let arch = try PresetRegistry.architecture(named: preset)
    let checked = try arch.tiers.map(Self.checkBinding)
    #expect(checked.count == arch.tiers.count && !checked.contains("unknown"))
  }

  @Test func presetsCoverEveryTierKind() throws {
    var kinds: Set<String> = []
    for name in PresetRegistry.names {
      for tier in try PresetRegistry.architecture(named: name).tiers {
        kinds.insert(try Self.checkBinding(tier))
      }
    }
    // Plain ReRAM and photonic models: no preset uses them since the h3pimap presets took the
    // paper's noise models; everyRegisteredTierExampleBuildsItsArithmetic covers the examples.
    #expect(kinds == ["exact", "pcm", "cim", "rns", "h3pimap-reram", "h3pimap-sram", "h3pimap-photonic"], "\(kinds)")
  }

  /// Every registered tier type's example declares numerics that build an arithmetic (or are exact).
  @Test func everyRegisteredTierExampleBuildsItsArithmetic() throws {
    for type in TierRegistry.all {
      let tier = try Self.example(of: type)
      let model = try Self.arithmetic(tier)
      if case .exact = tier.numerics {
        #expect(model == nil)
      } else {
        #expect(model != nil, "\(type.kind)")
      }
      #expect(try Self.checkBinding(tier) != "unknown")
    }
  }

  static func example<T: HardwareTier>(of type: T.Type) throws -> any HardwareTier {
    try T(spec: T.example)
  }

  /// H3PIMAP's photonic tier runs at 8 bits; SimPhony's LT core at 4 bits with 8-bit reference
  /// converters, which the accuracy side once used in place of the 4 bits the cost side prices.
  @Test func photonicAccuracyUsesTheConvertersThatArePriced() throws {
    let arch = try PresetRegistry.architecture(named: "h3pimap")
    let h3 = try #require(arch.tiers.first { $0.common.kind == .photonic })
    let a = try #require(try Self.arithmetic(h3) as? H3PIMAPArithmetic)
    #expect(h3.numerics == .photonic(inputBits: 8, weightBits: 8, outputBits: 8))
    #expect([a.inputBits, a.weightBits, a.outputBits] == [8, 8, 8])

    let lt = try PhotonicCoreTier(spec: PhotonicCoreTier.example)
    #expect(lt.spec.adc.bits == 8 && lt.spec.dac.bits == 8)
    let b = try #require(try Self.arithmetic(lt) as? PhotonicArithmetic)
    #expect([b.model.inputBits, b.model.weightBits, b.model.outputBits] == [4, 4, 4])
  }

  /// SRAM/eDRAM CIM: the 5-bit ADC the cost side prices is modelled (it is lossy over 128 rows).
  @Test func sramCIMModelsItsADC() throws {
    let cim = try CIMCrossbarTier(spec: CIMCrossbarSpec.sramExample)
    let a = try #require(try Self.arithmetic(cim) as? BitSerialCIMArithmetic)
    #expect(a.adcBits == 5 && !a.isLossless)
  }

  /// The `mirage` preset's tier is Mirage's number system, and one configuration holds it.
  @Test func rnsTierExampleIsMirage() throws {
    let spec = RNSPhotonicCoreTier.example
    let mirage = RNSArithmetic.mirage
    #expect(spec.moduli.value.map(Int64.init) == mirage.moduli)
    #expect(spec.redundantModuli.map(Int64.init) == mirage.redundantModuli)
    #expect(spec.bfpBlock == mirage.blockSize && spec.mantissaBits == mirage.mantissaBits)
    let entry = try #require(try ArithmeticRegistry.make("rns-mirage", seed: 1) as? RNSArithmetic)
    #expect(entry.configuration == mirage)
    // The `rns` entry keeps the wider numbers its documented figures were measured with.
    let wide = try #require(try ArithmeticRegistry.make("rns", seed: 1) as? RNSArithmetic)
    #expect(wide.configuration == RNSArithmetic.wide)
  }

  /// M = 24 = g·2^(2b−1) for g = 3, b = 2: a block can reach 3·2² = 12 > ⌊23/2⌋ = 11, so the tier
  /// refuses it, at the same boundary as the arithmetic.
  @Test func rnsTierRefusesModuliThatCannotHoldABlock() throws {
    var spec = RNSPhotonicCoreTier.example
    spec.moduli.value = [8, 3]
    (spec.bfpBlock, spec.mantissaBits, spec.mmvmuRows) = (3, 2, 3)
    #expect { try RNSPhotonicCoreTier(spec: spec) } throws: { error in
      (error as? ConfigErrors)?.errors.contains { $0.path == "moduli" } == true
    }
  }

  /// A tier whose numerics the arithmetic cannot build is a ConfigError naming the tier's key,
  /// never a silent exact fallback.
  @Test func rnsNumericsThatOverflowAreAConfigErrorAtTheKey() throws {
    let tier = try OverflowingRNSTier(spec: RNSPhotonicCoreTier.example)
    #expect { try Self.arithmetic(tier) } throws: { error in
      (error as? ConfigError)?.path == "tiers.mirage0.moduli"
    }
  }

  @Test func lossyReRAMADCIsAConfigErrorAtTheKey() throws {
    var spec = CIMCrossbarSpec.reramExample
    spec.adcBits = 6
    let tier = try CIMCrossbarTier(spec: spec)
    #expect { try Self.arithmetic(tier) } throws: { error in
      (error as? ConfigError)?.path == "tiers.reram0.adc_bits"
    }
  }
}

/// A fake RNS tier whose declared numerics overflow: RNSArithmetic must refuse them.
struct OverflowingRNSTier: HardwareTier {
  static let kind = TierKind.rnsPhotonic
  static var example: RNSPhotonicCoreSpec { RNSPhotonicCoreTier.example }
  let spec: RNSPhotonicCoreSpec
  init(spec: RNSPhotonicCoreSpec) throws(ConfigErrors) { self.spec = spec }
  func evaluate(_ work: TileWork) -> Result<TierActivity, Infeasibility> {
    .failure(Infeasibility(tier: id, statement: "a fake tier for numerics tests"))
  }
  func weightCapacityBytes(weightBits: Int) -> Double? { nil }
  var numerics: TierNumerics {
    .rns(moduli: [8, 3], redundantModuli: [], blockSize: 3, mantissaBits: 2)
  }
}
