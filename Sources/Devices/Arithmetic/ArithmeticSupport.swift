import HybrixCore
import HybrixNumerics

/// Parameter checks shared by the arithmetics' throwing initializers: each names the parameter
/// (`path`), what was expected and how to fix it.
enum Check {
  /// Converter or cell resolution in bits: 1...16.
  static func bits(_ b: Int, _ path: String) throws(ConfigError) {
    guard (1...16).contains(b) else {
      throw ConfigError(path: path, message: "\(b) bits is out of range", expected: "1...16 bits",
        hint: "converters and cells of more than 16 bits are not modelled; use fp32 for exact products")
    }
  }

  static func bits(_ b: Int?, _ path: String) throws(ConfigError) {
    if let b { try bits(b, path) }
  }

  /// A standard deviation, rate or scale that must be finite and ≥ 0.
  static func nonNegative(_ v: Double, _ path: String, unit: String = "") throws(ConfigError) {
    guard v.isFinite, v >= 0 else {
      throw ConfigError(path: path, message: "\(v)\(unit) is negative or not finite",
        expected: "a finite value ≥ 0\(unit)", hint: "use 0 to switch the effect off")
    }
  }

  /// A probability in [0, 1].
  static func probability(_ p: Double, _ path: String) throws(ConfigError) {
    guard p.isFinite, (0...1).contains(p) else {
      throw ConfigError(path: path, message: "rate \(p) is not a probability", expected: "0...1")
    }
  }
}

/// Symmetric signed fixed point with `bits` bits: L = max(1, 2^(bits−1) − 1) levels on each side
/// of an exact 0, so a value v in [−range, range] becomes range·round(v·L/range)/L (clipped).
/// With `bits == 1` the levels are {−range, 0, range}.
struct SymmetricQuantizer: Sendable, Hashable {
  let levels: Float

  init(bits: Int) { levels = Float(max(1, (1 << (bits - 1)) - 1)) }

  /// Half the distance between levels for full scale `range`: the largest rounding error.
  func halfStep(range: Float) -> Float { range / levels / 2 }

  /// range·round(v·L/range)/L, clipped to ±range; 0 when range ≤ 0.
  ///
  /// Clipping to ±L before rounding gives what clipping after gives (L is an integer and
  /// rounding is monotone; NaN stays NaN, −0.3 stays −0) and keeps the value within ±2¹⁵, where
  /// ``FloatBits/roundedEven(_:)`` rounds exactly without a libm call.
  @inline(__always) func quantize(_ v: Float, range: Float) -> Float {
    guard range > 0 else { return 0 }
    let q = FloatBits.roundedEven(min(max(v / range * levels, -levels), levels))
    return q * range / levels
  }
}

/// Exact rewrites of two obvious float operations, so that the quantizers' loops vectorize and
/// call no libm function per element (the quantizers were 35–50 % of an emulated training's
/// time); `QuantizerRewriteTests` checks them against what they replace, bit for bit.
enum FloatBits {
  /// The bits of |x| as a non-negative Int32, 0 for NaN. Their order is the order of the
  /// magnitudes, so the largest of them is `max(m, abs(x))` folded from 0 — which skips NaN — and
  /// an integer max reduction vectorizes where a float one (NaN rules) does not.
  @inline(__always) static func magnitude(_ x: Float) -> Int32 {
    let b = Int32(bitPattern: x.bitPattern & 0x7fff_ffff)
    return b > 0x7f80_0000 ? 0 : b
  }

  /// The largest |x| of `count` contiguous floats (0 when all are NaN or there are none).
  @inline(__always) static func largestMagnitude(_ x: UnsafePointer<Float>, count: Int) -> Float {
    var m: Int32 = 0
    for i in 0..<count { m = max(m, magnitude(x[i])) }
    return Float(bitPattern: UInt32(m))
  }

  /// `v.rounded(.toNearestOrEven)` for |v| < 2²² (and NaN), bit for bit: v + 1.5·2²³ lies in
  /// [2²³, 2²⁴), where Float32's spacing is 1, so the addition rounds v to an integer (ties to
  /// even) and the subtraction is exact; the sign is v's (−0.3 → −0).
  @inline(__always) static func roundedEven(_ v: Float) -> Float {
    let magic: Float = 12_582_912
    let r = (v + magic) - magic
    return Float(bitPattern: (r.bitPattern & 0x7fff_ffff) | (v.bitPattern & 0x8000_0000))
  }

  /// `v.rounded()` (to nearest, ties away from zero) for |v| < 2²² (and NaN), bit for bit: a tie
  /// that ``roundedEven(_:)`` took towards zero goes one further (|v| − r is exact there).
  @inline(__always) static func roundedAway(_ v: Float) -> Float {
    let a = Float(bitPattern: v.bitPattern & 0x7fff_ffff)
    var r = roundedEven(a)
    if a - r == 0.5 { r += 1 }
    return Float(bitPattern: r.bitPattern | (v.bitPattern & 0x8000_0000))
  }
}

extension Tensor {
  /// max |x| of each row of a rank-2 tensor (NaN skipped).
  func rowAbsMax() -> [Float] {
    let (r, c) = (shape[0], shape[1])
    return scalars.withUnsafeBufferPointer { s in
      guard let base = s.baseAddress else { return [Float](repeating: 0, count: r) }
      return (0..<r).map { i in FloatBits.largestMagnitude(base + i * c, count: c) }
    }
  }

  /// max |x| of each column of a rank-2 tensor (NaN skipped).
  func columnAbsMax() -> [Float] {
    let (r, c) = (shape[0], shape[1])
    var most = [Int32](repeating: 0, count: c)
    scalars.withUnsafeBufferPointer { s in
      most.withUnsafeMutableBufferPointer { m in
        for i in 0..<r {
          for j in 0..<c { m[j] = max(m[j], FloatBits.magnitude(s[i * c + j])) }
        }
      }
    }
    return most.map { Float(bitPattern: UInt32($0)) }
  }

  /// The offset of the contiguous column block of `self` ([k, n]) that equals `b` ([k, n']) bit
  /// for bit, trying offsets that are multiples of n' (a grouped convolution passes one group's
  /// columns at a time); `nil` when there is none.
  func columnBlockOffset(of b: Tensor) -> Int? {
    guard rank == 2, b.rank == 2, b.shape[0] == shape[0], b.shape[1] > 0,
      shape[1] % b.shape[1] == 0
    else { return nil }
    if b.shape == shape { return b.scalars == scalars ? 0 : nil }
    let (k, n, w) = (shape[0], shape[1], b.shape[1])
    var start = 0
    while start < n {
      var same = true
      outer: for i in 0..<k {
        for j in 0..<w where scalars[i * n + start + j].bitPattern != b.scalars[i * w + j].bitPattern {
          same = false
          break outer
        }
      }
      if same { return start }
      start += w
    }
    return nil
  }
}
