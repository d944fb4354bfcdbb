import Devices
import Hardware
import HybrixCore
import HybrixNumerics

/// The numerical model of a tier, built from its ``TierNumerics`` — the spec values its cost
/// model prices — and nothing else: what an operator's products go through when a mapping places
/// them there.
///
/// | numerics (tier) | model | where each bit width comes from |
/// |---|---|---|
/// | `exact` (digital) | exact Float32 (`nil`): integer quantization at the tier's precision is not modelled | — |
/// | `pcm` (analog) | ``AnalogTileArithmetic``: aihwkit PCM programming/drift/read noise at the time after programming, LionHeart IO (out_noise 0.06, abs-max, bound management), global drift compensation when asked | DAC `dac_bits`, ADC `adc_bits` (the converters the tile prices) |
/// | `fixedPoint` (SRAM/eDRAM `cim`) | ``BitSerialCIMArithmetic``: exact cells, bit-serial inputs, bit-sliced weights, an ADC on every column partial sum | inputs `activation_bits` at `dac_bits` per step, weights `weight_bits` over `cell_bits` cells, ADC `adc_bits` over `rows_active` rows |
/// | `reram` (ReRAM `cim`) | ``ReRAMArithmetic``: bit slicing, conductance variation; ADC lossless by ISAAC's sizing, else a ``ConfigError`` at `adc_bits` | weights `weight_bits` on `cell_bits` cells, inputs `activation_bits`; ADC checked against `rows_active`, `dac_bits`, `cell_bits` |
/// | `photonic` | ``PhotonicArithmetic`` with MZI phase noise | inputs and outputs `activation_bits` (the ADC priced at `activation_bits`; the DAC at max(`weight_bits`, `activation_bits`) holds them), weights `weight_bits` — not the reference converters' `adc.bits`/`dac.bits` |
/// | `rns` (`rns-photonic`) | ``RNSArithmetic``, exact residues | `moduli`, `redundant_moduli`, `bfp_block`, `mantissa_bits`; blocks the moduli cannot hold are a ``ConfigError`` |
///
/// Every error is reported under `tiers.<id>`, with the tier's YAML key.
public enum TierArithmetic {
  /// The arithmetic of `tier` at `time` after programming, or `nil` when the tier is exact.
  public static func make(
    for tier: any HardwareTier, time: Time, compensated: Bool, seed: UInt64
  ) throws(ConfigError) -> (any ProductArithmetic)? {
    do {
      if let named = tier.common.noiseModel {
        return try h3pimap(named, numerics: tier.numerics, seed: seed)
      }
      return try make(tier.numerics, time: time, compensated: compensated, seed: seed)
    } catch {
      throw error.underPath("tiers.\(tier.id)")
    }
  }

  /// The arithmetic of `numerics`; errors carry the tier's YAML key as their path.
  public static func make(
    _ numerics: TierNumerics, time: Time, compensated: Bool, seed: UInt64
  ) throws(ConfigError) -> (any ProductArithmetic)? {
    switch numerics {
    case .exact:
      // A digital tier computes exactly at its precision (integer quantization not modelled).
      return nil
    case .pcm(_, _, let dacBits, let adcBits):
      var io = AnalogIO.lionHeart
      io.dac = UniformQuantizer(bits: dacBits, bound: io.dac.bound)
      io.adc = UniformQuantizer(bits: adcBits, bound: io.adc.bound)
      io.boundManagement = .aihwkitIterative(dac: io.dac)
      return try AnalogTileArithmetic(
        io: io, time: time, compensation: compensated ? GlobalDriftCompensation() : nil, seed: seed)
    case .fixedPoint(let w, let a, let cell, let dac, let adc, let rows):
      return try BitSerialCIMArithmetic(
        weightBits: w, activationBits: a, cellBits: cell, dacBits: dac, adcBits: adc,
        rowsActive: rows)
    case .reram(let cell, let w, let a, let dac, let adc, let rows):
      return try reram(
        cellBits: cell, weightBits: w, activationBits: a, dacBits: dac, adcBits: adc,
        rowsActive: rows, seed: seed)
    case .photonic(let inputBits, let weightBits, let outputBits):
      let model = try PhotonicNoiseModel(
        inputBits: inputBits, weightBits: weightBits, outputBits: outputBits)
      return PhotonicArithmetic(model: model, seed: seed)
    case .rns(let moduli, let redundant, let block, let mantissa):
      return try rns(
        moduli: moduli, redundantModuli: redundant, blockSize: block, mantissaBits: mantissa,
        seed: seed)
    }
  }
}

extension TierArithmetic {
  /// ReRAM: ISAAC sizes the ADC to resolve every column partial sum exactly (Shafiee et al., ISCA
  /// 2016, §4), so an ADC of at least that many bits adds no error; a narrower one is refused
  /// rather than modelled as lossless.
  static func reram(
    cellBits: Int, weightBits: Int, activationBits: Int, dacBits: Int, adcBits: Int,
    rowsActive: Int,
    seed: UInt64
  ) throws(ConfigError) -> any ProductArithmetic {
    let lossless = TierNumerics.isaacLosslessADCBits(
      rowsActive: rowsActive, dacBits: dacBits, cellBits: cellBits)
    guard adcBits >= lossless else {
      throw ConfigError(
        path: "adc_bits",
        message: "a \(adcBits)-bit ADC cannot resolve the partial sums of \(rowsActive) rows of "
          + "\(cellBits)-bit cells at \(dacBits) input bit(s) per step, and lossy ReRAM conversion is not modelled",
        expected: "adc_bits ≥ \(lossless) (ISAAC's lossless resolution)",
        hint: "raise adc_bits, or lower rows_active, dac_bits or cell_bits")
    }
    let model = try ReRAMNoiseModel(weightBits: weightBits, cellBits: cellBits)
    return try ReRAMArithmetic(model: model, inputBits: activationBits, adcBits: nil, seed: seed)
  }

  /// RNS: the arithmetic validates that the moduli hold one block's dot product
  /// (g·2^(2(b−1)) ≤ ⌊(M − 1)/2⌋); an overflow is reported at the tier's `moduli` key (the block
  /// and the mantissa bits are levers too, which the hint names).
  static func rns(
    moduli: [Int], redundantModuli: [Int], blockSize: Int, mantissaBits: Int, seed: UInt64
  ) throws(ConfigError) -> any ProductArithmetic {
    let configuration = RNSArithmetic.Configuration(
      moduli: moduli.map(Int64.init), redundantModuli: redundantModuli.map(Int64.init),
      blockSize: blockSize, mantissaBits: mantissaBits)
    do {
      return try RNSArithmetic(configuration, seed: seed)
    } catch {
      var e = error
      e.path = Self.rnsKey(error.path)
      throw e
    }
  }

  /// The tier key for a parameter of ``RNSArithmetic``.
  static func rnsKey(_ path: String?) -> String {
    switch path {
    case "mantissa_bits": "mantissa_bits"
    case "redundant_moduli": "redundant_moduli"
    default: "moduli"
    }
  }
}

extension TierArithmetic {
  /// The names `noise_model` accepts.
  public static let namedNoiseModels = ["h3pimap"]

  /// `noise_model: h3pimap`: the H3PIMAP paper's model for the tier's technology
  /// (``H3PIMAPArithmetic``) at the tier's own bits — ReRAM thermal + shot noise, SRAM exact,
  /// photonic relative input noise 0.0031.
  static func h3pimap(_ name: String, numerics: TierNumerics, seed: UInt64) throws(ConfigError) -> any ProductArithmetic {
    guard name == "h3pimap" else {
      throw ConfigError(
        path: "noise_model", message: "unknown noise model '\(name)'", expected: "one of \(namedNoiseModels.joined(separator: ", "))",
        hint: "leave noise_model out to use the model the tier's numerics imply")
    }
    switch numerics {
    case .reram(let cell, let w, let a, _, _, _):
      return try H3PIMAPArithmetic(tier: .reram, weightBits: w, inputBits: a, cellBits: cell, seed: seed)
    case .fixedPoint(let w, let a, _, _, _, _):
      return try H3PIMAPArithmetic(tier: .sram, weightBits: w, inputBits: a, seed: seed)
    case .photonic(let i, let w, let o):
      return try H3PIMAPArithmetic(tier: .photonic, weightBits: w, inputBits: i, outputBits: o, seed: seed)
    case .exact, .pcm, .rns:
      throw ConfigError(
        path: "noise_model", message: "h3pimap has no noise model for a tier computing \(numerics.summary)",
        expected: "noise_model: h3pimap on a ReRAM or SRAM cim tier or a photonic tier")
    }
  }
}
