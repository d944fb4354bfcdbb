import Foundation
import HybrixCore
import HybrixNumerics
import Testing

@testable import Devices

@Suite struct RNSArithmeticTests {
  /// The fast BFP quantizer gives BFPMatrix's mantissas and exponents exactly.
  @Test(arguments: [(7, 16), (5, 8), (7, 5)]) func fastQuantizerMatchesBFPMatrix(f: (Int, Int)) throws {
    let arith = try RNSArithmetic(moduli: [63, 64, 65], blockSize: f.1, mantissaBits: f.0, seed: 1)
    var rng = SplitMix64(seed: 12)
    let x = Tensor.randomNormal([6, 37], rng: &rng), w = Tensor.randomNormal([37, 5], std: 0.01, rng: &rng)
    for (t, rows) in [(x, false), (w, true)] {
      let fast = arith.engine.quantize(t, alongRows: rows)
      let ref = BFPMatrix(t, format: arith.format, alongRows: rows)
      #expect(fast.exponents == ref.exponents)
      let mantissas = t.scalars.indices.map { i in
        fast.mantissa(i, exponent: rows
          ? ref.exponent(reduceIndex: i / t.shape[1], other: i % t.shape[1])
          : ref.exponent(reduceIndex: i % t.shape[1], other: i / t.shape[1]))
      }
      #expect(mantissas == ref.mantissas)
      #expect(fast.values.map(\.bitPattern) == Self.signedZeros(ref.dequantized.scalars, like: t.scalars))
    }
  }

  /// The same, bit for bit, on the values where a quantizer goes wrong: exact ties between two
  /// mantissas (to even), small negatives that round to −0, zeros of both signs, all-zero blocks,
  /// subnormals, and blocks whose exponent leaves ±2^120 (the Double path); Mirage's 5-bit and
  /// the widest 24-bit mantissas (which round through libm).
  @Test(arguments: [(5, 16), (7, 16), (24, 4), (23, 3)]) func fastQuantizerMatchesBFPMatrixOnEdgeValues(f: (Int, Int)) throws {
    // The engine alone: wide mantissas would overflow any RNS range, but the quantizer serves them.
    let format = BFPFormat(blockSize: f.1, mantissaBits: f.0)
    let engine = RNSBlockProduct(moduli: try ModuliSet([63, 64, 65]), format: format, residueErrors: nil, redundancy: nil, maxRetries: 0)
    let maxM = Float((1 << (f.0 - 1)) - 1)
    var rng = SplitMix64(seed: 3)
    var edge: [Float] = [maxM, maxM - 0.5, 2.5, 1.5, 0.5, -0.5, -1.5, -2.5, -0.25, -0.0, 0, 0.75, -0.75, 3.5]
    edge += [0, -0.0, 0, 0, 0, 0, 0, 0]  // an all-zero block at the smallest sizes
    edge += [1e-40, -3e-42, .leastNonzeroMagnitude, 1e38, -3e38, 7e-39, 2e-38, -1e-45]
    edge += (0..<80).map { _ in Float(rng.nextGaussian()) * Float(Double.pow2(Int(rng.next() % 60) - 30)) }
    for (rows, cols, alongRows) in [(edge.count / 2, 2, false), (2, edge.count / 2, true), (1, edge.count, false), (edge.count, 1, true)] {
      let t = Tensor(shape: [rows, cols], scalars: Array(edge.prefix(rows * cols)))
      let fast = engine.quantize(t, alongRows: alongRows)
      let ref = BFPMatrix(t, format: format, alongRows: alongRows)
      #expect(fast.exponents == ref.exponents, "\(f) \(rows)×\(cols)")
      #expect(fast.values.map(\.bitPattern) == Self.signedZeros(ref.dequantized.scalars, like: t.scalars), "\(f) \(rows)×\(cols)")
    }
  }

  /// BFPMatrix's values as bits, except that a value quantized to zero keeps its input's sign, as
  /// the fast quantizer's rounding does (−0.3 → −0; BFPMatrix goes through an integer mantissa,
  /// which has no −0). Zeros of either sign multiply and add alike in every product.
  static func signedZeros(_ values: [Float], like inputs: [Float]) -> [UInt32] {
    zip(values, inputs).map { v, x in v == 0 ? (x.sign == .minus ? (-Float.zero).bitPattern : Float.zero.bitPattern) : v.bitPattern }
  }

  /// The block exponent from the bits equals BFPFormat's definition (the smallest e with
  /// maxAbs ≤ M·2^e, M the largest mantissa) for every mantissa width, on both sides of each
  /// boundary M·2^e, powers of two, subnormals, the largest floats and random magnitudes.
  @Test func exponentMatchesDefinition() throws {
    var rng = SplitMix64(seed: 5)
    var checked = 0
    for bits in [2, 3, 5, 7, 12, 23, 24] {
      let format = BFPFormat(blockSize: 16, mantissaBits: bits)
      let engine = RNSBlockProduct(moduli: try ModuliSet([63, 64, 65]), format: format, residueErrors: nil, redundancy: nil, maxRetries: 0)
      let m = Float(format.maxMantissa)
      var values: [Float] = [.leastNonzeroMagnitude, .leastNormalMagnitude, .leastNormalMagnitude.nextDown, .greatestFiniteMagnitude, 1, 2, 0.5, m, m.nextUp, m.nextDown]
      for e in stride(from: -140, through: 120, by: 7) {
        let b = Float(sign: .plus, exponent: e, significand: 1) * m
        values += [b, b.nextUp, b.nextDown, Float(sign: .plus, exponent: e, significand: 1)]
      }
      values += (0..<2_000).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()) & 0x7f7f_ffff) }
      for v in values where v > 0 && v.isFinite {
        #expect(engine.exponent(maxAbs: v) == format.exponent(maxAbs: v), "\(bits) bits, \(v)")
        checked += 1
      }
    }
    #expect(checked > 7 * 2_000)
  }

  /// Without residue errors the fast product equals the literal residue-GEMM + CRT of RNSMatmul
  /// (which accumulates blocks in Double) to 1e-5 of Σ|x||w|, including ragged last blocks.
  @Test(arguments: [(3, 50, 6), (9, 16, 4), (1, 1, 1), (4, 70, 3)]) func equalsLiteralRNSMatmul(dims: (Int, Int, Int)) throws {
    let arith = try RNSArithmetic(seed: 1)
    let literal = try RNSMatmul(moduli: arith.moduli, format: arith.format)
    var rng = SplitMix64(seed: UInt64(dims.1))
    let x = Tensor.randomNormal([dims.0, dims.1], rng: &rng), w = Tensor.randomNormal([dims.1, dims.2], rng: &rng)
    var stats = RNSErrorStats()
    let fast = arith.engine.product(x, w, rng: &rng, stats: &stats)
    let slow = literal.product(x, w, rng: &rng)
    let mag = naiveMatmul(x.map(abs), w.map(abs))
    for i in fast.scalars.indices { #expect(abs(fast.scalars[i] - slow.scalars[i]) <= 1e-5 * mag.scalars[i]) }
    #expect(stats == RNSErrorStats())
  }

  /// Residue errors: the counted number of wrong residues is within 5 binomial SDs of
  /// Σᵢ P_err(mᵢ)·positions; without redundancy they corrupt outputs badly, with two redundant
  /// moduli (single-error correction, one retry) the result stays close to the exact RNS product.
  @Test func residueErrorsAndRedundantCorrection() throws {
    let sigma = 0.02
    var rng = SplitMix64(seed: 31)
    let x = Tensor.randomNormal([40, 64], rng: &rng), w = Tensor.randomNormal([64, 20], std: 0.1, rng: &rng)
    var clean = try RNSArithmetic(seed: 1)
    var noisy = try RNSArithmetic(phaseNoise: sigma, seed: 1)
    var corrected = try RNSArithmetic(phaseNoise: sigma, redundantModuli: [67, 71], seed: 1)
    let reference = clean.multiply(x, w, role: .forward)
    let yNoisy = noisy.multiply(x, w, role: .forward)
    let yCorrected = corrected.multiply(x, w, role: .forward)
    let positions = Double(40 * 20 * 4)
    let expected = [63.0, 64, 65].reduce(0) { $0 + positions * erfc(Double.pi / ($1 * sigma * 2.0.squareRoot())) }
    let sd = (expected).squareRoot()
    #expect(abs(Double(noisy.stats.residueErrors) - expected) < 5 * sd, "\(noisy.stats.residueErrors) vs \(expected)")
    #expect(noisy.stats.wrongBlocks > 0)
    let errNoisy = ArithmeticConformanceTests.relativeError(yNoisy, reference)
    let errCorrected = ArithmeticConformanceTests.relativeError(yCorrected, reference)
    #expect(errNoisy > 1, "uncorrected residue errors are full-range errors: \(errNoisy)")
    #expect(corrected.stats.corrected > 0)
    #expect(errCorrected < errNoisy / 20, "\(errCorrected) vs \(errNoisy)")
  }

  /// The sparse shift sampler draws nonzero shifts at the rate erfc(π/(mσ√2)) of
  /// PhaseNoiseResidueErrors, and ±1 dominates for small σ.
  @Test func shiftSamplerMatchesPhaseNoiseModel() {
    let (m, sigma): (Int64, Double) = (31, 0.08)
    let sampler = ShiftSampler(modulus: m, sigmaPhi: sigma)
    let p = PhaseNoiseResidueErrors(sigmaPhi: sigma).errorProbability(modulus: m)
    #expect(abs(sampler.pError - p) < 1e-12)
    var rng = SplitMix64(seed: 2)
    let n = 50_000
    var direct = 0, sparse = 0, ones = 0
    let ref = PhaseNoiseResidueErrors(sigmaPhi: sigma)
    for _ in 0..<n {
      if ref.corrupt(0, modulus: m, rng: &rng) != 0 { direct += 1 }
      let s = sampler.draw(&rng)
      if s != 0 { sparse += 1 }
      if abs(s) == 1 { ones += 1 }
    }
    let bound = 5 * (Double(n) * p * (1 - p)).squareRoot()
    #expect(abs(Double(direct) - Double(n) * p) < bound)
    #expect(abs(Double(sparse) - Double(n) * p) < bound)
    #expect(Double(ones) > 0.9 * Double(sparse))
  }

  @Test func invalidConfigurations() {
    do {
      _ = try RNSArithmetic(blockSize: 32, seed: 1)
      Issue.record("an overflowing block length was accepted")
    } catch {
      #expect(error.message.contains("length 32") && error.path == "block_size")
    }
    #expect(throws: ConfigError.self) { try RNSArithmetic(moduli: [62, 64, 65], seed: 1) }
    #expect(throws: ConfigError.self) { try RNSArithmetic(moduli: [], seed: 1) }
    #expect(throws: ConfigError.self) { try RNSArithmetic(mantissaBits: 1, seed: 1) }
    #expect(throws: ConfigError.self) { try RNSArithmetic(mantissaBits: 17, seed: 1) }
    #expect(throws: ConfigError.self) { try RNSArithmetic(phaseNoise: -1, seed: 1) }
    #expect(throws: ConfigError.self) { try RNSArithmetic(redundantModuli: [64], seed: 1) }
    #expect(throws: ConfigError.self) { try FixedPointArithmetic(bits: 0, seed: 1) }
    #expect(throws: ConfigError.self) { try FixedPointArithmetic(bits: 6, outputNoise: -1, seed: 1) }
  }
}
