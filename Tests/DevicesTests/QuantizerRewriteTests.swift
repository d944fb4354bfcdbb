import Foundation
import HybrixCore
import HybrixNumerics
import Testing

@testable import Devices

/// The quantizers' fast loops (``FloatBits``, ``SymmetricQuantizer``, the abs-max scans, INT8
/// training, the fixed-point and 6-bit analog cores) against the obvious code they replace, bit
/// for bit: every trained model and documented figure depends on them giving the same numbers.
@Suite struct QuantizerRewriteTests {
  /// Values where rounding and scaling go wrong: ties of both parities, ±0, just-below-half,
  /// NaN, infinities, subnormals, the largest floats, and random magnitudes over 2⁻³⁰…2³⁰.
  static func awkwardValues(count: Int = 20_000, seed: UInt64 = 9) -> [Float] {
    var rng = SplitMix64(seed: seed)
    var values: [Float] = [
      0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999997, -0.49999997, 0.50000006, 4_194_303.5, -4_194_302.5,
      .nan, -.nan, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude, -3e38,
    ]
    values += (0..<count).map { k in
      k % 3 == 0
        ? Float(Int(rng.next() % 2_000_000)) / 4 - 250_000
        : Float(rng.nextGaussian()) * Float(Double.pow2(Int(rng.next() % 60) - 30))
    }
    return values
  }

  static func same(_ a: Float, _ b: Float) -> Bool { a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern }

  @Test func roundingRewritesAreExact() {
    var checked = 0
    for v in Self.awkwardValues() where !(abs(v) >= 4_194_304) {
      #expect(Self.same(FloatBits.roundedEven(v), v.rounded(.toNearestOrEven)), "\(v)")
      #expect(Self.same(FloatBits.roundedAway(v), v.rounded()), "\(v)")
      checked += 1
    }
    #expect(checked > 18_000)  // the rest lie beyond ±2²², outside the rewrites' domain
  }

  @Test func largestMagnitudeSkipsNaNAsMaxDoes() {
    let values = Self.awkwardValues()
    var checked = 0
    for start in stride(from: 0, to: values.count - 16, by: 13) {
      for n in [1, 5, 16] {
        let block = Array(values[start..<(start + n)])
        let want = block.reduce(Float(0)) { max($0, abs($1)) }
        let got = block.withUnsafeBufferPointer { FloatBits.largestMagnitude($0.baseAddress!, count: n) }
        #expect(got.bitPattern == want.bitPattern, "\(block)")
        checked += 1
      }
    }
    #expect(checked > 4_000)
  }

  /// `quantize` clips before rounding; the old formula clipped after. Every width, ranges that
  /// are 0, negative, NaN, infinite, smaller and larger than |v|.
  @Test func symmetricQuantizerIsTheOldFormula() {
    let values = Self.awkwardValues(count: 3_000)
    var rng = SplitMix64(seed: 4)
    var checked = 0
    for bits in 1...16 {
      let q = SymmetricQuantizer(bits: bits)
      for v in values {
        let ranges: [Float] = [0, -1, .nan, .infinity, abs(v), abs(v).nextUp, Float(rng.nextGaussian()).magnitude * 3, 1e-30, 1e30]
        for range in ranges {
          var old: Float = 0
          if range > 0 {
            let r = min(max((v / range * q.levels).rounded(.toNearestOrEven), -q.levels), q.levels)
            old = r * range / q.levels
          }
          #expect(Self.same(q.quantize(v, range: range), old), "\(bits) bits, v \(v), range \(range)")
          checked += 1
        }
      }
    }
    #expect(checked == 16 * values.count * 9)
  }

  static func tensor(_ rows: Int, _ cols: Int, seed: UInt64, zeroRow: Int? = nil, zeroColumn: Int? = nil) -> Tensor {
    var rng = SplitMix64(seed: seed)
    var t = Tensor.randomNormal([rows, cols], rng: &rng)
    for j in 0..<cols where (j * 7 + Int(seed)) % 11 == 0 { t.scalars[j] = -0.0 }
    if let zeroRow { for j in 0..<cols { t.scalars[zeroRow * cols + j] = 0 } }
    if let zeroColumn { for i in 0..<rows { t.scalars[i * cols + zeroColumn] = 0 } }
    return t
  }

  @Test func absMaxScansAreTheOldLoops() {
    var t = Self.tensor(9, 23, seed: 2, zeroRow: 3, zeroColumn: 5)
    t.scalars[40] = .nan
    t.scalars[77] = -.infinity
    let (r, c) = (9, 23)
    let rows = (0..<r).map { i in (0..<c).reduce(Float(0)) { max($0, abs(t.scalars[i * c + $1])) } }
    var cols = [Float](repeating: 0, count: c)
    for i in 0..<r { for j in 0..<c { cols[j] = max(cols[j], abs(t.scalars[i * c + j])) } }
    #expect(t.rowAbsMax().map(\.bitPattern) == rows.map(\.bitPattern))
    #expect(t.columnAbsMax().map(\.bitPattern) == cols.map(\.bitPattern))
  }

  /// INT8 training's product, the old way: one abs-max scale per operand, then the GEMM.
  @Test(arguments: [(5, 40, 7), (64, 144, 16), (1, 1, 1)]) func int8IsTheOldProduct(dims: (Int, Int, Int)) throws {
    let (m, k, n) = dims
    let a = Self.tensor(m, k, seed: 3, zeroRow: m > 2 ? 1 : nil), b = Self.tensor(k, n, seed: 4)
    var arithmetic = try Int8TrainingArithmetic()
    let q = SymmetricQuantizer(bits: 8)
    func old(_ t: Tensor) -> Tensor {
      var out = t
      var full: Float = 0
      for v in t.scalars { full = max(full, abs(v)) }
      for i in out.scalars.indices {
        let v = t.scalars[i]
        out.scalars[i] = full > 0 ? min(max((v / full * q.levels).rounded(.toNearestOrEven), -q.levels), q.levels) * full / q.levels : 0
      }
      return out
    }
    let want = GEMM.multiply(old(a), old(b))
    #expect(arithmetic.multiply(a, b, role: .forward).scalars.map(\.bitPattern) == want.scalars.map(\.bitPattern))
  }

  /// The fixed-point core, the old way, for the auto-ranging ADC and for the 6-bit analog core's
  /// fixed ±12 ADC with and without output noise (the same draws in the same order).
  @Test(arguments: [(0 as Float, true), (0, false), (0.02, false), (0.02, true)])
  func fixedPointIsTheOldProduct(noise: Float, autoRanging: Bool) throws {
    let (m, k, n) = (17, 50, 9)
    let a = Self.tensor(m, k, seed: 5, zeroRow: 2), b = Self.tensor(k, n, seed: 6, zeroColumn: 4)
    let range: FixedPointArithmetic.ADCRange = autoRanging ? .autoRanging : .fixed(bound: 12)
    var arithmetic = try FixedPointArithmetic(bits: 6, outputNoise: noise, adcRange: range, seed: 8)
    var rng = SplitMix64(seed: 8)
    let q = SymmetricQuantizer(bits: 6)
    func oldQuantize(_ v: Float, _ range: Float) -> Float {
      range > 0 ? min(max((v / range * q.levels).rounded(.toNearestOrEven), -q.levels), q.levels) * range / q.levels : 0
    }
    var rowMax = [Float](repeating: 0, count: m), colMax = [Float](repeating: 0, count: n)
    for r in 0..<m { for p in 0..<k { rowMax[r] = max(rowMax[r], abs(a.scalars[r * k + p])) } }
    for p in 0..<k { for j in 0..<n { colMax[j] = max(colMax[j], abs(b.scalars[p * n + j])) } }
    var aq = a, bq = b
    for r in 0..<m { for p in 0..<k { aq.scalars[r * k + p] = oldQuantize(a.scalars[r * k + p], rowMax[r]) } }
    for p in 0..<k { for j in 0..<n { bq.scalars[p * n + j] = oldQuantize(b.scalars[p * n + j], colMax[j]) } }
    var y = GEMM.multiply(aq, bq)
    if autoRanging {
      for r in 0..<m {
        var full: Float = 0
        for j in 0..<n { full = max(full, abs(y.scalars[r * n + j])) }
        if noise > 0 { for j in 0..<n { y.scalars[r * n + j] += noise * full * Float(rng.nextGaussian()) } }
        for j in 0..<n { y.scalars[r * n + j] = oldQuantize(y.scalars[r * n + j], full) }
      }
    } else {
      let step: Float = 12 / q.levels
      for r in 0..<m where rowMax[r] > 0 {
        for j in 0..<n where colMax[j] > 0 {
          let scale = rowMax[r] * colMax[j]
          var v = y.scalars[r * n + j] / scale
          if noise > 0 { v += noise * 12 * Float(rng.nextGaussian()) }
          v = min(12, max(-12, v))
          y.scalars[r * n + j] = (v / step).rounded() * step * scale
        }
      }
    }
    #expect(arithmetic.multiply(a, b, role: .forward).scalars.map(\.bitPattern) == y.scalars.map(\.bitPattern))
  }
}
