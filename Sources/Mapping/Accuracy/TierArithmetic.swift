import Devices
import Hardware
import HybrixCore
import HybrixNumerics

/// The numerical model of a tier, built from its spec: what an operator's products go through
/// when a mapping places them there.
///
/// | tier kind | model |
/// |---|---|
/// | `digital` | exact Float32 (a digital host or systolic array computes exactly at its precision; integer quantization is not modelled) |
/// | `analog` (PCM) | ``AnalogTileArithmetic``: aihwkit PCM programming/drift/read noise at the time after programming, the tier's DAC/ADC bits, LionHeart IO (out_noise 0.06, abs-max, bound management), global drift compensation when asked |
/// | `cim` | ReRAM: ``ReRAMArithmetic`` (conductance variation, cell bits, the tier's ADC/DAC bits); SRAM/eDRAM: deterministic ``FixedPointArithmetic`` at the tier's DAC/ADC bits |
/// | `photonic` | ``PhotonicArithmetic`` with the tier's converter bits |
/// | `rns-photonic` | ``RNSArithmetic`` with the tier's moduli, BFP block and mantissa bits |
public enum TierArithmetic {
  /// The arithmetic of `tier` at `time` after programming, or `nil` when the tier is exact.
  public static func make(
    for tier: any HardwareTier, time: Time, compensated: Bool, seed: UInt64
  ) throws(ConfigError) -> (any ProductArithmetic)? {
    do {
      switch tier {
      case let t as AnalogTileTier:
        var io = AnalogIO.lionHeart
        io.dac = UniformQuantizer(bits: t.spec.dacBits, bound: io.dac.bound)
        io.adc = UniformQuantizer(bits: t.spec.adcBits, bound: io.adc.bound)
        return try AnalogTileArithmetic(
          io: io, time: time, compensation: compensated ? GlobalDriftCompensation() : nil, seed: seed)
      default:
        return try otherTier(tier, seed: seed)
      }
    } catch {
      throw error.underPath("tiers.\(tier.id)")
    }
  }
}

extension TierArithmetic {
  /// Tiers whose model does not depend on the time after programming.
  static func otherTier(_ tier: any HardwareTier, seed: UInt64) throws(ConfigError) -> (any ProductArithmetic)? {
    let common = tier.common
    switch tier {
    case let t as CIMCrossbarTier where t.spec.technology == .reram:
      // Inputs stream bit-serially through 1-bit DACs and ISAAC sizes the ADC to be lossless for
      // that (Shafiee et al., ISCA 2016 §4), so no output quantization is modelled here.
      let model = try ReRAMNoiseModel(weightBits: common.weightBits, cellBits: t.spec.cellBits)
      return try ReRAMArithmetic(model: model, inputBits: common.activationBits, adcBits: nil, seed: seed)
    case is CIMCrossbarTier:
      // SRAM/eDRAM cells hold exact bits; what remains is the fixed-point input, weight and
      // ADC resolution.
      return try FixedPointArithmetic(bits: max(2, min(common.weightBits, common.activationBits, 16)), seed: seed)
    case let t as PhotonicCoreTier:
      let model = try PhotonicNoiseModel(
        inputBits: t.spec.dac.bits, weightBits: common.weightBits, outputBits: t.spec.adc.bits)
      return PhotonicArithmetic(model: model, seed: seed)
    case let t as RNSPhotonicCoreTier:
      return try RNSArithmetic(
        moduli: t.spec.moduli.value.map(Int64.init), blockSize: t.spec.bfpBlock, mantissaBits: t.spec.mantissaBits,
        redundantModuli: t.spec.redundantModuli.map(Int64.init), seed: seed)
    default:
      // Digital arrays (and any tier without a numerical model) compute exactly.
      return nil
    }
  }
}
