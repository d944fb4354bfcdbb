import Foundation
import Testing

@testable import HybrixCore

/// Statistical checks of the ziggurat generator (``SplitMix64/fillGaussian(_:)``) on n = 10⁶
/// draws. Bounds are 5 standard errors of each statistic under the normal law (so a correct
/// generator fails a given check with probability < 10⁻⁶), except the Kolmogorov–Smirnov test,
/// which uses its 1 % critical value. Seeds are fixed, so the outcome is deterministic.
@Suite struct GaussianBulkTests {
  static let n = 1_000_000

  static func sample(seed: UInt64) -> [Float] {
    var rng = SplitMix64(seed: seed)
    return rng.gaussians(count: n)
  }

  /// Standard normal CDF Φ(z) = erfc(−z/√2)/2.
  static func phi(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

  /// Mean (SE 1/√n = 0.001), variance (SE √(2/n) = 0.0014), skewness (SE √(6/n) = 0.0024) and
  /// excess kurtosis (SE √(24/n) = 0.0049).
  @Test func moments() {
    let z = Self.sample(seed: 2026)
    let n = Double(z.count)
    let mean = z.reduce(0.0) { $0 + Double($1) } / n
    var (m2, m3, m4) = (0.0, 0.0, 0.0)
    for v in z {
      let d = Double(v) - mean
      m2 += d * d
      m3 += d * d * d
      m4 += d * d * d * d
    }
    (m2, m3, m4) = (m2 / n, m3 / n, m4 / n)
    let skewness = m3 / (m2 * m2.squareRoot())
    let excessKurtosis = m4 / (m2 * m2) - 3
    #expect(abs(mean) < 5 * (1 / n).squareRoot(), "mean \(mean)")
    #expect(abs(m2 - 1) < 5 * (2 / n).squareRoot(), "variance \(m2)")
    #expect(abs(skewness) < 5 * (6 / n).squareRoot(), "skewness \(skewness)")
    #expect(abs(excessKurtosis) < 5 * (24 / n).squareRoot(), "excess kurtosis \(excessKurtosis)")
  }

  /// Tail counts: P(|z| > 3) = 0.0027 (2 700 expected, SE 52), P(|z| > R = 3.654) = 2.58·10⁻⁴
  /// (the ziggurat's tail branch; 258 expected, SE 16) and P(|z| > 4) = 6.3·10⁻⁵ (63, SE 8).
  @Test(arguments: [3.0, ZigguratTables.r, 4.0]) func tailProbability(threshold: Double) {
    let z = Self.sample(seed: 99)
    let n = Double(z.count)
    let p = 2 * Self.phi(-threshold)
    let expected = n * p
    let standardError = (n * p * (1 - p)).squareRoot()
    let count = Double(z.lazy.filter { abs(Double($0)) > threshold }.count)
    #expect(abs(count - expected) < 5 * standardError, "\(count) beyond ±\(threshold), expected \(expected)")
    // Both tails are used about equally.
    let upper = Double(z.lazy.filter { Double($0) > threshold }.count)
    #expect(abs(upper - expected / 2) < 5 * (n * p / 2 * (1 - p / 2)).squareRoot())
  }

  /// Kolmogorov–Smirnov: √n·Dₙ below the asymptotic 1 % critical value 1.628.
  @Test func kolmogorovSmirnov() {
    let z = Self.sample(seed: 7).map(Double.init).sorted()
    let n = Double(z.count)
    var d = 0.0
    for (i, v) in z.enumerated() {
      let cdf = Self.phi(v)
      d = max(d, Double(i + 1) / n - cdf, cdf - Double(i) / n)
    }
    #expect(n.squareRoot() * d < 1.628, "√n·D = \(n.squareRoot() * d)")
  }

  /// Same seed ⇒ same values; a fill split in two at an even length continues the stream.
  @Test func reproducibleAndContinuous() {
    var a = SplitMix64(seed: 11), b = SplitMix64(seed: 11), c = SplitMix64(seed: 11)
    let whole = a.gaussians(count: 10_001)
    #expect(whole == b.gaussians(count: 10_001))
    var parts = [Float](repeating: .nan, count: 10_001)
    parts.withUnsafeMutableBufferPointer { p in
      c.fillGaussian(UnsafeMutableBufferPointer(rebasing: p[0..<3_334]))
      c.fillGaussian(UnsafeMutableBufferPointer(rebasing: p[3_334...]))
    }
    #expect(parts == whole)
    #expect(a == c)
    var other = SplitMix64(seed: 12)
    #expect(other.gaussians(count: 100) != Array(whole[0..<100]))
    #expect(a.gaussians(count: 0).isEmpty)
  }

  /// Every layer of the ziggurat has the same area V, and the top layer closes at x = 0.
  @Test func tablesAreConsistent() {
    let t = ZigguratTables.shared
    let area = t.x[0] * t.f[1]  // base rectangle x[0]·f(R)
    for i in 1..<ZigguratTables.layers {
      let layer = t.x[i] * (t.f[i + 1] - t.f[i])
      #expect(abs(layer - area) / area < 1e-9, "layer \(i): \(layer) vs \(area)")
    }
    #expect(t.ratio.allSatisfy { $0 >= 0 && $0 < 1 })
  }
}
