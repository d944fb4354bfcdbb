import Foundation
import HybrixCore
import HybrixNumerics

/// Precision and noise of a photonic tensor core's matrix product, in the form of the
/// H3PIMAP/SimPhony group's noise-aware layers (papers.md §1.4; `ScopeX-ASU/SimPhony`
/// models/layers/quantized_base_layer.py and utils.py).
///
/// With α_x = max|x| and α_w = max|w| (one range per operand tensor, like the per-layer clip of
/// SimPhony's LSQ quantizers) and ξ ~ N(0, 1) drawn independently per element and per product:
/// - inputs: x̃ = Q_in(x/α_x) + σ_in·ξ (DAC, then additive noise relative to the range);
/// - weights: each quantized normalized weight ŵ = Q_w(w/α_w) is set as the field transmission
///   cos φ of an MZI, φ = arccos ŵ ∈ [0, π]; phase noise gives w̃ = cos(φ + σ_φ·ξ) + σ_w·ξ'
///   [INFERENCE: push-pull MZI field transmission; the weight error is then −sin φ·δφ to first
///   order, so it vanishes at ±1 and peaks at 0];
/// - outputs: ỹ = x̃·w̃ + σ_out·√k·ξ (k = fan-in), then an ADC on [−max|ỹ|, max|ỹ|], and
///   y = Q_out(ỹ)·α_x·α_w. In the caller's units the output noise is σ_out·α_x·α_w·√k, SimPhony's form.
/// Converters are symmetric signed uniform quantizers (``SymmetricQuantizer``); `nil` bits = ideal.
///
/// Defaults: 8-bit DAC and ADC (SimPhony `DAC_2`, 16 nm switched-capacitor, and `ADC_SAR_1`, 14 nm
/// SAR; papers.md §1.4); σ_φ = 0.01 rad (SimPhony `PhaseVariationScheduler` mean σ 0.01);
/// σ_in = σ_w = σ_out = 0, since no published default level was found (papers.md §1.3).
public struct PhotonicNoiseModel: Sendable, Hashable {
  public var inputBits: Int?
  public var weightBits: Int?
  public var outputBits: Int?
  /// σ_in, relative to the input range α_x.
  public var inputNoise: Double
  /// σ_w, relative to the weight range α_w.
  public var weightNoise: Double
  /// σ_out, relative to α_x·α_w·√k.
  public var outputNoise: Double
  /// σ_φ of every weight's MZI phase, in radians.
  public var phaseNoise: Double

  public init(
    inputBits: Int? = 8, weightBits: Int? = 8, outputBits: Int? = 8, inputNoise: Double = 0,
    weightNoise: Double = 0, outputNoise: Double = 0, phaseNoise: Double = 0.01
  ) throws(ConfigError) {
    try Check.bits(inputBits, "input_bits")
    try Check.bits(weightBits, "weight_bits")
    try Check.bits(outputBits, "output_bits")
    try Check.nonNegative(inputNoise, "input_noise")
    try Check.nonNegative(weightNoise, "weight_noise")
    try Check.nonNegative(outputNoise, "output_noise")
    try Check.nonNegative(phaseNoise, "phase_noise", unit: " rad")
    (self.inputBits, self.weightBits, self.outputBits) = (inputBits, weightBits, outputBits)
    (self.inputNoise, self.weightNoise, self.outputNoise) = (inputNoise, weightNoise, outputNoise)
    self.phaseNoise = phaseNoise
  }

  /// The weight as the core applies it, for a normalized weight `w` in [−1, 1] (already quantized).
  func encode(_ w: Float, rng: inout SplitMix64) -> Float {
    var v = w
    if phaseNoise > 0 {
      let phi = acos(Double(min(max(w, -1), 1)))
      v = Float(cos(phi + phaseNoise * rng.nextGaussian()))
    }
    if weightNoise > 0 { v += Float(weightNoise * rng.nextGaussian()) }
    return v
  }

  /// Standard deviation of ``encode(_:rng:)`` around its mean, for normalized weight `w`:
  /// Var cos(φ + δ) = ½(1 + cos 2φ·e^(−2σ²)) − cos²φ·e^(−σ²) with φ = arccos w, plus σ_w².
  public func weightErrorSD(normalized w: Double) -> Double {
    let phi = acos(min(max(w, -1), 1))
    let s2 = phaseNoise * phaseNoise
    let phase = 0.5 * (1 + cos(2 * phi) * exp(-2 * s2)) - cos(phi) * cos(phi) * exp(-s2)
    return (max(0, phase) + weightNoise * weightNoise).squareRoot()
  }

  /// x [m, k] · w [k, n] → [m, n] through the core.
  public func product(_ x: Tensor, _ w: Tensor, rng: inout SplitMix64) -> Tensor {
    precondition(x.rank == 2 && w.rank == 2 && x.shape[1] == w.shape[0], "shapes \(x.shape) \(w.shape)")
    let k = x.shape[1]
    let (ax, aw) = (x.absMax, w.absMax)
    guard ax > 0, aw > 0 else { return .zeros([x.shape[0], w.shape[1]]) }
    var xn = x.map { $0 / ax }
    if let inputBits {
      let q = SymmetricQuantizer(bits: inputBits)
      xn = xn.map { q.quantize($0, range: 1) }
    }
    if inputNoise > 0 {
      for i in xn.scalars.indices { xn.scalars[i] += Float(inputNoise * rng.nextGaussian()) }
    }
    var wn = w.map { $0 / aw }
    let qw = weightBits.map { SymmetricQuantizer(bits: $0) }
    for i in wn.scalars.indices {
      let v = qw.map { q in q.quantize(wn.scalars[i], range: 1) } ?? wn.scalars[i]
      wn.scalars[i] = encode(v, rng: &rng)
    }
    var y = GEMM.multiply(xn, wn)
    if outputNoise > 0 {
      let s = outputNoise * Double(k).squareRoot()
      for i in y.scalars.indices { y.scalars[i] += Float(s * rng.nextGaussian()) }
    }
    if let outputBits {
      let q = SymmetricQuantizer(bits: outputBits)
      let range = y.absMax
      y = y.map { q.quantize($0, range: range) }
    }
    let scale = ax * aw
    return y.map { $0 * scale }
  }
}
