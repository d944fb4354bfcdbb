import Foundation
import HybrixCore

/// The per-tier noise models of H3PIMAP (Yin et al., arXiv 2503.07778v2, §3.3; papers.md §7.2):
///
/// - **ReRAM-PIM**: every cell's conductance G reads with thermal (Johnson) and shot noise,
///   ΔG ~ N(0, σ_th² + σ_shot²) with σ_th = √(4·k_B·T·G·f)/V and σ_shot = √(2·q·G·f/V).
///   The paper prints the thermal term as √(4·G·f·k_B·T/V); that is not a conductance (its unit
///   is √(S·W/V)), so we use the textbook current noise √(4k_BTGf) divided by the read voltage,
///   which is — as the paper's shot term √(2GfQ/V) already is — a conductance.
/// - **SRAM-PIM**: noise-free; only its 8-bit operands (paper Table 1: 8-bit, 1-bit cells × 8).
/// - **Photonic**: each input X gets N(0, (σ_rel·|X|)²), σ_rel = 0.0031 (TeMPO's measurement,
///   cited by the paper), at the tier's bits.
///
/// Constants (the paper gives none of G, V, T, f):
/// - T = 300 K: **assumed** (room temperature);
/// - f = 100 MHz: the ReRAM tier's clock in the paper's Table 1, taken as the read bandwidth (**assumed**);
/// - V = 0.5 V read voltage: DNN+NeuroSim's `readVoltage` default (**assumed** to be the paper's,
///   whose PIM costs come from NeuroSim);
/// - G in 9.8…166.7 µS: ``ReRAMNoiseModel``'s window (DNN+NeuroSim `resistanceOn` 6 kΩ, on/off 17);
/// - k_B = 1.380649e-23 J/K, q = 1.602176634e-19 C (SI, exact).
///
/// At G_max these give σ_th ≈ 0.033 µS and σ_shot ≈ 0.10 µS, about 6·10⁻⁴ of G_max: the paper's
/// ReRAM noise is small next to an 8-bit weight step (1/127 of the range).
public struct H3PIMAPNoiseModel: Sendable, Hashable {
  public static let boltzmann = 1.380649e-23  // J/K
  public static let elementaryCharge = 1.602176634e-19  // C
  public static let tempoInputNoise = 0.0031  // relative, TeMPO (paper §3.3)

  public var temperatureKelvin: Double = 300
  public var readBandwidthHertz: Double = 100e6
  public var readVoltageVolts: Double = 0.5
  public var gMinMicrosiemens: Double = 1e6 / (6e3 * 17)
  public var gMaxMicrosiemens: Double = 1e6 / 6e3
  /// Multiplies every noise standard deviation (1: the paper's; 0: noise off).
  public var scale: Double = 1
  /// σ_rel of the photonic inputs.
  public var photonicInputNoise: Double = tempoInputNoise

  public init() {}

  /// σ of a ReRAM cell's read conductance at `gMicrosiemens`, in µS: √(σ_th² + σ_shot²).
  public func reramSigmaMicrosiemens(gMicrosiemens: Double) -> Double {
    let g = gMicrosiemens * 1e-6  // S
    let f = readBandwidthHertz, v = readVoltageVolts
    let thermal = 4 * Self.boltzmann * temperatureKelvin * g * f / (v * v)  // S²
    let shot = 2 * Self.elementaryCharge * g * f / v  // S²
    return scale * (thermal + shot).squareRoot() * 1e6
  }

  /// σ of one signed integer weight q (|q| ≤ 2^(B−1) − 1) stored ISAAC-style as a differential pair
  /// of ⌈(B−1)/b⌉ cells of b bits each side, read back with shift-and-add, in units of q: the sum
  /// of the independent cell noises Σₛ 2^(2bs)·(σ²(G⁺ₛ) + σ²(G⁻ₛ)) / ΔG², ΔG = (G_max − G_min)/(2^b − 1).
  public func reramWeightSigma(level q: Int, weightBits: Int, cellBits: Int) -> Double {
    let mask = (1 << cellBits) - 1
    let step = (gMaxMicrosiemens - gMinMicrosiemens) / Double(mask)
    let slices = max(1, (weightBits - 1 + cellBits - 1) / cellBits)
    var variance = 0.0
    let magnitude = abs(q)
    for s in 0..<slices {
      let d = (magnitude >> (cellBits * s)) & mask
      let on = gMinMicrosiemens + Double(d) * step  // the side that holds |q|
      let off = gMinMicrosiemens  // the other side holds 0
      let (a, b) = (reramSigmaMicrosiemens(gMicrosiemens: on), reramSigmaMicrosiemens(gMicrosiemens: off))
      let weight = Double(1 << (cellBits * s)) / step
      variance += weight * weight * (a * a + b * b)
    }
    return variance.squareRoot()
  }
}
