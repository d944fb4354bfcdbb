import HybrixCore
import HybrixNumerics

/// A plain b-bit analog fixed-point product, for every role: the baseline that RNS papers compare
/// against ("a conventional analog core needs > 8 bit", papers.md §3.3).
///
/// For `a` [m, k] and `b` [k, n]:
/// 1. each row of `a` is quantized to signed `bits`-bit fixed point on [−max|row|, max|row|]
///    (per input vector, like ABS_MAX noise management), each column of `b` on its own
///    [−max|col|, max|col|] (per output, like column-wise weight scaling); L = 2^(bits−1) − 1
///    levels per side (``SymmetricQuantizer``);
/// 2. the product of the quantized operands is formed by a Float32 GEMM (its rounding, ~k·2⁻²⁴
///    relative, is far below one quantization step);
/// 3. optional output noise: a Gaussian of σ = `outputNoise` × the row's ADC full scale;
/// 4. the ADC: with ``ADCRange/autoRanging`` each output row goes through a `bits`-bit ADC whose
///    range is that row's max |y| (an ideal auto-ranging ADC: no clipping, the step is max|y|/L);
///    with ``ADCRange/fixed(bound:)`` — a conventional analog core — every output, in normalized
///    units (inputs ÷ their row's max, weights ÷ their column's max, so each term is in [−1, 1]),
///    is clipped to ±bound and quantized with step bound/L, then scaled back. aihwkit's default
///    `out_bound` is 12 (`IBM/aihwkit` src/aihwkit/simulator/parameters/io.py).
///
/// Per-row/per-column scaling is chosen over per-tensor so that one outlier row or column does not
/// take the resolution of the others — the most favourable plain fixed-point design.
public struct FixedPointArithmetic: ProductArithmetic {
  /// How the output converter's range is set.
  public enum ADCRange: Sendable, Hashable {
    /// Ideal: each output row's own max |y| (no clipping).
    case autoRanging
    /// Fixed ±bound in normalized units, as an analog tile's ADC (clips larger outputs).
    case fixed(bound: Float)
  }

  public let bits: Int
  public let adcRange: ADCRange
  /// σ of the additive output noise relative to the ADC full scale (0: none).
  public let outputNoise: Float
  private var rng: SplitMix64

  /// - Parameters:
  ///   - bits: Resolution of inputs, weights and the ADC, 1...16.
  ///   - outputNoise: Output noise σ relative to the ADC range, ≥ 0.
  ///   - seed: Seed of the output-noise draws.
  public init(bits: Int = 6, outputNoise: Float = 0, adcRange: ADCRange = .autoRanging, seed: UInt64) throws(ConfigError) {
    try Check.bits(bits, "bits")
    try Check.nonNegative(Double(outputNoise), "output_noise")
    if case .fixed(let bound) = adcRange, !(bound > 0) || !bound.isFinite {
      throw ConfigError(path: "adc_bound", message: "\(bound)", expected: "a positive output bound in normalized units", hint: "aihwkit's default is 12")
    }
    self.bits = bits
    self.adcRange = adcRange
    self.outputNoise = outputNoise
    self.rng = SplitMix64(seed: seed)
  }

  public var name: String {
    var s = "fixed\(bits)" + (outputNoise > 0 ? " σout=\(outputNoise)" : "")
    if case .fixed(let bound) = adcRange { s = "analog\(bits)(ADC ±\(bound))" + (outputNoise > 0 ? " σout=\(outputNoise)" : "") }
    return s
  }

  public mutating func multiply(_ a: Tensor, _ b: Tensor, role: ProductRole) -> Tensor {
    precondition(a.rank == 2 && b.rank == 2 && a.shape[1] == b.shape[0], "shapes \(a.shape) \(b.shape)")
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    let q = SymmetricQuantizer(bits: bits)
    let rowMax = a.rowAbsMax(), colMax = b.columnAbsMax()
    // Plain loops over raw pointers (they vectorize); each element as SymmetricQuantizer gives it.
    let aq = Tensor(shape: a.shape, scalars: a.scalars.withUnsafeBufferPointer { s in
      [Float](unsafeUninitializedCapacity: m * k) { out, count in
        for r in 0..<m {
          let range = rowMax[r]
          for p in 0..<k { out[r * k + p] = q.quantize(s[r * k + p], range: range) }
        }
        count = m * k
      }
    })
    let bq = Tensor(shape: b.shape, scalars: b.scalars.withUnsafeBufferPointer { s in
      colMax.withUnsafeBufferPointer { ranges in
        [Float](unsafeUninitializedCapacity: k * n) { out, count in
          for p in 0..<k {
            for j in 0..<n { out[p * n + j] = q.quantize(s[p * n + j], range: ranges[j]) }
          }
          count = k * n
        }
      }
    })
    var y = GEMM.multiply(aq, bq)
    if case .fixed(let bound) = adcRange {
      // Outputs in normalized units: y / (rowMax · colMax); clip to ±bound, quantize, scale back
      // (|v / step| ≤ L, so FloatBits.roundedAway is `rounded()` exactly).
      let step = bound / Float(q.levels)
      let noisy = outputNoise > 0
      y.scalars.withUnsafeMutableBufferPointer { ys in
        for r in 0..<m where rowMax[r] > 0 {
          for j in 0..<n where colMax[j] > 0 {
            let scale = rowMax[r] * colMax[j]
            var v = ys[r * n + j] / scale
            if noisy { v += outputNoise * bound * Float(rng.nextGaussian()) }
            v = min(bound, max(-bound, v))
            ys[r * n + j] = FloatBits.roundedAway(v / step) * step * scale
          }
        }
      }
      return y
    }
    for r in 0..<m {
      var full: Float = 0
      for j in 0..<n { full = max(full, abs(y.scalars[r * n + j])) }
      if outputNoise > 0 {
        for j in 0..<n { y.scalars[r * n + j] += outputNoise * full * Float(rng.nextGaussian()) }
      }
      for j in 0..<n { y.scalars[r * n + j] = q.quantize(y.scalars[r * n + j], range: full) }
    }
    return y
  }
}
