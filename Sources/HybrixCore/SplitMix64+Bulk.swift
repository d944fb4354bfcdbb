import Foundation

/// Bulk standard-normal draws by the ziggurat method.
///
/// Marsaglia & Tsang, "The Ziggurat Method for Generating Random Variables", J. Stat. Softw. 5(8),
/// 2000, with 256 layers; as in Doornik, "An Improved Ziggurat Method to Generate Normal Random
/// Samples", 2005, the layer index and the uniform come from disjoint bits of one 64-bit draw
/// (index: bits 0–7, signed uniform: bits 8–31 of each 32-bit half, or 11–63 of a word after a
/// rejection), which removes the correlation Doornik found in
/// the original RNOR. The tail beyond R is sampled by Marsaglia's method ("Generating a variable
/// from the tail of the normal distribution", Technometrics 6(1), 1964).
///
/// About 99 % of draws take half a 64-bit word, one table compare and one multiply; ``nextGaussian()``
/// (Box–Muller) needs a log, a square root and a cosine per value. The two give different
/// streams for the same seed; each is deterministic per seed. The tables are built once from
/// `exp`/`log`/`erfc` of the C library, so a platform whose libm rounds differently could move a
/// table entry by one ulp (and, rarely, a Float result by one ulp).
extension SplitMix64 {
  /// Fills `buffer` with independent standard normal values, in order.
  ///
  /// Values come in pairs from one 64-bit word; the last of an odd count takes a word of its
  /// own, so splitting a sequence into fills of even length gives the same values as one fill.
  public mutating func fillGaussian(_ buffer: UnsafeMutableBufferPointer<Float>) {
    guard let out = buffer.baseAddress, buffer.count > 0 else { return }
    let t = ZigguratTables.shared
    var s = self  // a local copy keeps the state in a register
    t.x.withUnsafeBufferPointer { xb in
      t.ratio.withUnsafeBufferPointer { rb in
        t.f.withUnsafeBufferPointer { fb in
          guard let x = xb.baseAddress, let ratio = rb.baseAddress, let f = fb.baseAddress else { return }
          // Two values per 64-bit word (Float needs only a 24-bit uniform); an odd tail takes one.
          var i = 0
          while i + 2 <= buffer.count {
            let bits = s.next()
            out[i] = Float(s.zigguratHalf(UInt32(truncatingIfNeeded: bits), x: x, ratio: ratio, f: f))
            out[i + 1] = Float(s.zigguratHalf(UInt32(truncatingIfNeeded: bits >> 32), x: x, ratio: ratio, f: f))
            i += 2
          }
          if i < buffer.count { out[i] = Float(s.zigguratDraw(x: x, ratio: ratio, f: f)) }
        }
      }
    }
    self = s
  }

  /// `count` independent standard normal values (the same values ``fillGaussian(_:)`` writes;
  /// fills of even length continue the stream, as values are made in pairs).
  public mutating func gaussians(count: Int) -> [Float] {
    precondition(count >= 0, "negative count \(count)")
    return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
      fillGaussian(buffer)
      initialized = count
    }
  }

  /// One ziggurat draw (Doornik 2005, `DRanNormalZig`) from a full 64-bit word.
  @inline(__always)
  mutating func zigguratDraw(
    x: UnsafePointer<Double>, ratio: UnsafePointer<Double>, f: UnsafePointer<Double>
  ) -> Double {
    while true {
      let bits = next()
      let i = Int(truncatingIfNeeded: bits & 0xFF)
      let u = Double(bits >> 11) * 0x1.0p-52 - 1  // uniform on [−1, 1) from the top 53 bits
      if abs(u) < ratio[i] { return u * x[i] }  // inside the layer's rectangle
      if let v = zigguratEdge(layer: i, u: u, x: x, f: f) { return v }
    }
  }

  /// One ziggurat draw from a 32-bit half word: layer from bits 0–7, signed uniform from bits
  /// 8–31 (2²⁴ levels, as many as a Float's significand holds); a rejected draw starts over
  /// with full words.
  @inline(__always)
  mutating func zigguratHalf(
    _ bits: UInt32, x: UnsafePointer<Double>, ratio: UnsafePointer<Double>, f: UnsafePointer<Double>
  ) -> Double {
    let i = Int(truncatingIfNeeded: bits & 0xFF)
    let u = Double(bits >> 8) * 0x1.0p-23 - 1
    if abs(u) < ratio[i] { return u * x[i] }
    if let v = zigguratEdge(layer: i, u: u, x: x, f: f) { return v }
    return zigguratDraw(x: x, ratio: ratio, f: f)
  }

  /// Outside the rectangle of layer `i`: the tail for the base layer, else the wedge test;
  /// `nil` when the point is rejected.
  mutating func zigguratEdge(layer i: Int, u: Double, x: UnsafePointer<Double>, f: UnsafePointer<Double>) -> Double? {
    if i == 0 { return zigguratTail(negative: u < 0) }
    // In the wedge of layer i: accept where a uniform height falls under the density.
    let v = u * x[i]
    let height = f[i] + nextUnitDouble() * (f[i + 1] - f[i])
    return height < exp(-0.5 * v * v) ? v : nil
  }

  /// A draw from the normal tail beyond R, with the given sign (Marsaglia 1964).
  mutating func zigguratTail(negative: Bool) -> Double {
    let r = ZigguratTables.r
    while true {
      // Uniforms on (0, 1] so that the logarithms are finite.
      let a = -log(Double((next() >> 11) + 1) * 0x1.0p-53) / r
      let b = -log(Double((next() >> 11) + 1) * 0x1.0p-53)
      if 2 * b > a * a { return negative ? -(r + a) : r + a }
    }
  }
}

/// The ziggurat of the standard normal density f(x) = exp(−x²/2) (unnormalized), 256 layers of
/// equal area V (Marsaglia & Tsang 2000, Doornik 2005).
///
/// `x[0] = V/f(R)` (the width of a rectangle of area V and height f(R) standing for the base
/// layer with its tail), `x[1] = R`, `x[i+1] = f⁻¹(V/x[i] + f(x[i]))`, `x[256] = 0`;
/// `ratio[i] = x[i+1]/x[i]`, `f[i] = f(x[i])`.
struct ZigguratTables: Sendable {
  static let layers = 256
  /// Right edge of the base layer for 256 layers (Marsaglia & Tsang 2000, `dn`).
  static let r = 3.6541528853610088
  static let shared = ZigguratTables()

  let x: [Double]
  let ratio: [Double]
  let f: [Double]

  init() {
    let n = Self.layers, r = Self.r
    func density(_ v: Double) -> Double { exp(-0.5 * v * v) }
    // V = R·f(R) + ∫_R^∞ f = R·f(R) + √(π/2)·erfc(R/√2).
    let area = r * density(r) + (Double.pi / 2).squareRoot() * erfc(r / 2.0.squareRoot())
    var x = [Double](repeating: 0, count: n + 1)
    x[0] = area / density(r)
    x[1] = r
    for i in 2..<n { x[i] = (-2 * log(area / x[i - 1] + density(x[i - 1]))).squareRoot() }
    x[n] = 0
    self.x = x
    ratio = (0..<n).map { x[$0 + 1] / x[$0] }
    f = x.map(density)
  }
}
