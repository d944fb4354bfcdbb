import HybrixCore
import HybrixNumerics

/// Digital INT8 training, the baseline of Mirage's Table I ("INT8 training is clearly worse";
/// Demirkiran et al., ISCA 2024, arXiv 2311.17323v2 §VI-A; papers.md §7.1).
///
/// What it quantizes: both operands of every product — forward (activations × weights), input
/// gradient (output gradients × weights) and weight gradient (activations × output gradients) —
/// to signed 8-bit integers, each operand tensor with ONE symmetric abs-max scale
/// (`q = round(x / max|x| · 127)`, per-tensor as in common INT8 training schemes, e.g. Zhu et al.,
/// "Towards Unified INT8 Training", CVPR 2020, without their gradient clipping). The integer
/// products are accumulated exactly (int32; here a Float32 GEMM of the integer values, exact
/// while k · 127² < 2²⁴, i.e. k ≤ 1040, and within Float32 rounding beyond) and scaled back to
/// FP32. The weights, their update and everything outside the products stay FP32, as for
/// the other training arithmetics. Deterministic: `seed` is unused.
public struct Int8TrainingArithmetic: ProductArithmetic {
  public let bits: Int

  public init(bits: Int = 8) throws(ConfigError) {
    try Check.bits(bits, "bits")
    guard bits >= 2 else {
      throw ConfigError(path: "bits", message: "\(bits)-bit signed integers hold only 0", expected: "2…16 bits")
    }
    self.bits = bits
  }

  public var name: String { "int\(bits) training (per-tensor abs-max)" }

  public mutating func multiply(_ a: Tensor, _ b: Tensor, role: ProductRole) -> Tensor {
    precondition(a.rank == 2 && b.rank == 2 && a.shape[1] == b.shape[0], "shapes \(a.shape) \(b.shape)")
    let q = SymmetricQuantizer(bits: bits)
    func quantized(_ t: Tensor) -> Tensor {
      Tensor(shape: t.shape, scalars: t.scalars.withUnsafeBufferPointer { s in
        [Float](unsafeUninitializedCapacity: s.count) { out, count in
          if let base = s.baseAddress {
            let full = FloatBits.largestMagnitude(base, count: s.count)
            for i in 0..<s.count { out[i] = q.quantize(base[i], range: full) }
          }
          count = s.count
        }
      })
    }
    return GEMM.multiply(quantized(a), quantized(b))
  }
}
