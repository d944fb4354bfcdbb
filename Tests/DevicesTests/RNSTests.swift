import Foundation
import HybrixCore
import HybrixNumerics
import PropertyBased
import Testing

@testable import Devices

@Suite struct RNSTests {
  static let m313233 = (try? ModuliSet([31, 32, 33]))

  @Test func validation() throws {
    #expect(throws: ConfigError.self) { try ModuliSet([]) }
    do {
      _ = try ModuliSet([5, 6, 9])
      Issue.record("non-coprime set accepted")
    } catch {
      #expect(error.message.contains("6 and 9 share the factor 3"))
    }
    let m = try ModuliSet([31, 32, 33])
    #expect(m.range == 32_736 && m.maxMagnitude == 16_367)
    // 4-bit operands: |x·w| ≤ 64, so h ≤ 16 367 / 64 = 255.
    #expect(m.maxSafeLength(bits: 4) == 255)
    #expect(throws: Never.self) { try m.checkNoOverflow(length: 255, bits: 4) }
    do {
      try m.checkNoOverflow(length: 256, bits: 4)
      Issue.record("overflowing length accepted")
    } catch {
      #expect(error.message.contains("length 256"))
    }
  }

  @Test func crtRoundTripOverSignedRange() throws {
    let m = try ModuliSet([31, 32, 33])
    for x in -m.maxMagnitude...m.maxMagnitude { #expect(m.reconstruct(m.residues(x)) == x) }
  }

  /// Residue GEMM + CRT equals a plain Int64 GEMM whenever k ≤ maxSafeLength.
  @Test func residueGEMMMatchesIntegerGEMM() async throws {
    let m = try ModuliSet([63, 62, 61, 59])
    let bits = 6
    let safe = m.maxSafeLength(bits: bits)
    await propertyCheck(count: 100, input: Gen.int(in: 0...Int.max)) { seed in
      var rng = SplitMix64(seed: UInt64(seed))
      let (rows, k, cols) = (1 + Int(rng.next() % 4), 1 + Int(rng.next() % UInt64(min(safe, 40))), 1 + Int(rng.next() % 4))
      let lim = Int64(1 << (bits - 1))
      let a = (0..<(rows * k)).map { _ in Int64(rng.next() % UInt64(2 * lim + 1)) - lim }
      let b = (0..<(k * cols)).map { _ in Int64(rng.next() % UInt64(2 * lim + 1)) - lim }
      var plain = [Int64](repeating: 0, count: rows * cols)
      for i in 0..<rows { for j in 0..<cols { for p in 0..<k { plain[i * cols + j] += a[i * k + p] * b[p * cols + j] } } }
      #expect(m.reconstruct(matrices: m.residueGEMM(a, b, m: rows, k: k, n: cols)) == plain)
    }
  }

  @Test func bfpQuantizationErrorWithinHalfStep() {
    var rng = SplitMix64(seed: 3)
    let x = Tensor.randomNormal([4, 37], rng: &rng)
    let f = BFPFormat(blockSize: 8, mantissaBits: 5)
    let q = BFPMatrix(x, format: f, alongRows: false)
    let d = q.dequantized
    for r in 0..<4 {
      for c in 0..<37 {
        let step = Float(Double.pow2(q.exponent(reduceIndex: c, other: r)))
        #expect(abs(d[r, c] - x[r, c]) <= step / 2)
        #expect(abs(q.mantissas[r * 37 + c]) <= 15)
      }
    }
  }

  @Test(arguments: 0..<10) func rnsMatmulEqualsBFPProduct(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let x = Tensor.randomNormal([3, 50], rng: &rng)
    let w = Tensor.randomNormal([50, 6], std: 0.1, rng: &rng)
    let f = BFPFormat(blockSize: 15, mantissaBits: 6)  // 15 = maxSafeLength(bits: 6) for M = 32 736
    let rns = try RNSMatmul(moduli: try ModuliSet([31, 32, 33]), format: f)
    let y = rns.product(x, w, rng: &rng)
    let ref = naiveMatmul(BFPMatrix(x, format: f, alongRows: false).dequantized,
      BFPMatrix(w, format: f, alongRows: true).dequantized)
    for i in 0..<y.count { #expect(abs(y.scalars[i] - ref.scalars[i]) <= 1e-5 * max(1, abs(ref.scalars[i]))) }
  }

  @Test func rnsMatmulRejectsOverflowingBlocks() throws {
    let m = try ModuliSet([31, 32, 33])
    #expect(throws: ConfigError.self) { try RNSMatmul(moduli: m, format: BFPFormat(blockSize: 64, mantissaBits: 8)) }
  }

  /// Injected residue errors: the measured error rate per residue matches erfc(π/(m σ_φ √2)).
  /// For m = 31, σ_φ = 0.06: P = erfc(1.1922) ≈ 0.0897; n = 20 000 draws give SE ≈ 0.002 (2.3 %).
  @Test func phaseNoiseErrorRate() {
    let e = PhaseNoiseResidueErrors(sigmaPhi: 0.06)
    var rng = SplitMix64(seed: 17)
    let n = 20_000
    var wrong = 0
    for i in 0..<n where e.corrupt(Int64(i % 31), modulus: 31, rng: &rng) != Int64(i % 31) { wrong += 1 }
    let p = e.errorProbability(modulus: 31)
    #expect(abs(Double(wrong) / Double(n) - p) / p < 0.08, "rate \(Double(wrong) / Double(n)) vs \(p)")
  }

  @Test func redundantCorrectsSingleAndDetectsDoubleErrors() throws {
    let rr = try RedundantModuliSet(base: try ModuliSet([31, 32, 33]), redundant: [37, 41])
    var rng = SplitMix64(seed: 23)
    var x = Tensor.randomNormal([4, 16], rng: &rng)
    x = x.map { ($0 * 7).rounded() }
    var w = Tensor.randomNormal([16, 5], rng: &rng)
    w = w.map { ($0 * 7).rounded() }
    let truth = naiveMatmul(x, w).scalars.map { Int64($0) }
    let a = x.scalars.map { Int64($0) }
    let b = w.scalars.map { Int64($0) }
    let res = rr.all.residueGEMM(a, b, m: 4, k: 16, n: 5)
    let nm = rr.all.moduli.count
    for e in truth.indices {
      var r = res.map { $0[e] }
      #expect(rr.decode(r, mode: .correct) == .clean(truth[e]))
      let i = Int(rng.next() % UInt64(nm))
      r[i] = mod(r[i] + 1 + Int64(rng.next() % UInt64(rr.all.moduli[i] - 1)), rr.all.moduli[i])
      #expect(rr.decode(r, mode: .correct) == .corrected(truth[e], modulusIndex: i))
      var j = Int(rng.next() % UInt64(nm - 1))
      if j >= i { j += 1 }
      r[j] = mod(r[j] + 1 + Int64(rng.next() % UInt64(rr.all.moduli[j] - 1)), rr.all.moduli[j])
      #expect(rr.decode(r, mode: .detect) == .detected)
    }
  }
}
