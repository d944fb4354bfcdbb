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

  @inline(__always) func quantize(_ v: Float, range: Float) -> Float {
    guard range > 0 else { return 0 }
    let q = min(max((v / range * levels).rounded(.toNearestOrEven), -levels), levels)
    return q * range / levels
  }
}

extension Tensor {
  /// max |x| of each row of a rank-2 tensor.
  func rowAbsMax() -> [Float] {
    let (r, c) = (shape[0], shape[1])
    var out = [Float](repeating: 0, count: r)
    for i in 0..<r {
      var m: Float = 0
      for j in 0..<c { m = Swift.max(m, abs(scalars[i * c + j])) }
      out[i] = m
    }
    return out
  }

  /// max |x| of each column of a rank-2 tensor.
  func columnAbsMax() -> [Float] {
    let (r, c) = (shape[0], shape[1])
    var out = [Float](repeating: 0, count: c)
    for i in 0..<r {
      for j in 0..<c { out[j] = Swift.max(out[j], abs(scalars[i * c + j])) }
    }
    return out
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
