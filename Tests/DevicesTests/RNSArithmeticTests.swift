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
      #expect(fast.values == ref.dequantized.scalars)
    }
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
