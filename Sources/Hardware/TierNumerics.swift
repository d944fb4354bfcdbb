import HybrixCore

/// The numbers a tier computes with: what the accuracy side must reproduce when a mapping places
/// an operator's products on the tier.
///
/// Every field is read from exactly the spec value (or derived value) that the tier's cost model
/// prices, so the cost and the accuracy of a mapping describe the same hardware. Each tier declares
/// its numerics in a `<Tier>+Numerics.swift` extension (``HardwareTier/numerics`` has no default).
/// The keys in the doc comments are the YAML keys the values come from.
public enum TierNumerics: Sendable, Hashable, Codable {
  /// Digital integer or floating-point arithmetic at the tier's precision (`weight_bits`,
  /// `activation_bits`).
  case exact(weightBits: Int, activationBits: Int)
  /// A crossbar of exact memory cells (SRAM, eDRAM) with bit-serial inputs and bit-sliced weights:
  /// `activation_bits` inputs applied `dac_bits` per step, `weight_bits` weights over `cell_bits`
  /// cells, and each column's partial sum over `rows_active` rows converted by an `adc_bits` ADC.
  case fixedPoint(
    weightBits: Int, activationBits: Int, cellBits: Int, dacBits: Int, adcBits: Int, rowsActive: Int
  )
  /// A ReRAM crossbar: as ``fixedPoint(weightBits:activationBits:cellBits:dacBits:adcBits:rowsActive:)``
  /// but with multi-level resistive cells whose conductances vary.
  case reram(
    cellBits: Int, weightBits: Int, activationBits: Int, dacBits: Int, adcBits: Int, rowsActive: Int
  )
  /// A PCM analog tile: `dac_bits` inputs, analog conductances, `adc_bits` outputs (weights are
  /// programmed as analog values; `weight_bits` is the tier's nominal precision).
  case pcm(weightBits: Int, activationBits: Int, dacBits: Int, adcBits: Int)
  /// A photonic tensor core: operands encoded at `inputBits` / `weightBits`, outputs read by an
  /// `outputBits` ADC.
  case photonic(inputBits: Int, weightBits: Int, outputBits: Int)
  /// Residue-number-system arithmetic on block-floating-point mantissas (`mantissaBits`, sign
  /// included) in blocks of `blockSize` elements.
  case rns(moduli: [Int], redundantModuli: [Int], blockSize: Int, mantissaBits: Int)
}

extension TierNumerics {
  /// Bits an ADC needs to resolve every partial sum of one crossbar column exactly, with ISAAC's
  /// rule (Shafiee et al., ISCA 2016, §4): A = log₂R + v + w − 1 when v = 1 or w = 1 (else
  /// log₂R + v + w), less one bit for ISAAC's weight encoding, which stores a column inverted when
  /// that keeps its sum below half the full scale. R = `rows_active` (rounded up to a power of
  /// two), v = `dac_bits`, w = `cell_bits`. ISAAC's 128 rows, 1-bit inputs and 2-bit cells: 8 bits.
  public static func isaacLosslessADCBits(rowsActive: Int, dacBits: Int, cellBits: Int) -> Int {
    let logRows = Int.bitWidth - max(0, rowsActive - 1).leadingZeroBitCount
    let sum = logRows + dacBits + cellBits - (dacBits > 1 && cellBits > 1 ? 0 : 1)
    return sum - 1
  }

  /// A short description for reports ("photonic 8/8/8 bit").
  public var summary: String {
    switch self {
    case .exact(let w, let a): "exact (\(w)-bit weights, \(a)-bit activations)"
    case .fixedPoint(let w, let a, let cell, let dac, let adc, let rows):
      "fixed point \(w)×\(a) bit, \(cell)-bit cells, \(dac)-bit DAC, \(adc)-bit ADC over \(rows) rows"
    case .reram(let cell, let w, let a, let dac, let adc, let rows):
      "ReRAM \(w)-bit weights on \(cell)-bit cells, \(a)-bit inputs at \(dac) bit/step, \(adc)-bit ADC over \(rows) rows"
    case .pcm(_, _, let dac, let adc): "PCM \(dac)-bit DAC, \(adc)-bit ADC"
    case .photonic(let i, let w, let o): "photonic \(i)/\(w)/\(o) bit (in/weight/out)"
    case .rns(let m, let r, let g, let b):
      "RNS (\(m.map(String.init).joined(separator: ",")))"
        + (r.isEmpty ? "" : " +(\(r.map(String.init).joined(separator: ",")))")
        + " BFP \(g)×\(b) bit"
    }
  }
}
