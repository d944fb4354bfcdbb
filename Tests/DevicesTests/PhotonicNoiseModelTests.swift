import Foundation
import HybrixCore
import HybrixNumerics
import Testing

@testable import Devices

@Suite struct PhotonicNoiseModelTests {
  /// Weight error under MZI phase noise: for w = cos φ, the sample SD of cos(φ + σξ) over 40 000
  /// draws is within 3 % of √(½(1 + cos 2φ·e^{−2σ²}) − cos²φ·e^{−σ²}), and the mean within 0.1 σ
  /// of cos φ·e^{−σ²/2}.
  @Test(arguments: [-0.9, 0.0, 0.5]) func phaseNoiseWeightErrorMatchesFormula(w: Double) throws {
    let sigma = 0.05
    let model = try PhotonicNoiseModel(inputBits: nil, weightBits: nil, outputBits: nil, phaseNoise: sigma)
    var rng = SplitMix64(seed: 23)
    let samples = (0..<40_000).map { _ in model.encode(Float(w), rng: &rng) }
    let (mean, sd) = meanAndStd(samples)
    let expectedSD = model.weightErrorSD(normalized: w)
    #expect(abs(sd / expectedSD - 1) < 0.03, "SD \(sd) vs formula \(expectedSD)")
    #expect(abs(mean - w * exp(-sigma * sigma / 2)) < 0.1 * sigma)
  }

  /// Output noise in the caller's units has SD σ_out·α_x·α_w·√k (SimPhony's form), within 3 %
  /// over 64 × 48 outputs.
  @Test func outputNoiseSDMatchesFormula() throws {
    let sigma = 0.02
    let model = try PhotonicNoiseModel(inputBits: nil, weightBits: nil, outputBits: nil,
      outputNoise: sigma, phaseNoise: 0)
    var rng = SplitMix64(seed: 4)
    let x = Tensor.randomNormal([64, 36], rng: &rng), w = Tensor.randomNormal([36, 48], std: 0.2, rng: &rng)
    let y = model.product(x, w, rng: &rng)
    let exact = naiveMatmul(x, w)
    let (mean, sd) = meanAndStd(zip(y.scalars, exact.scalars).map { $0 - $1 })
    let expected = sigma * Double(x.absMax) * Double(w.absMax) * 6
    #expect(abs(sd / expected - 1) < 0.03, "SD \(sd) vs \(expected)")
    #expect(abs(mean) < 0.05 * expected)
  }

  /// Phase noise seen at the outputs: with fixed inputs the output error variance is
  /// Σₚ xₚ²·Var(w̃ₚ)·α_w², checked over 300 repeats within 10 %.
  @Test func phaseNoiseOutputVariance() throws {
    let sigma = 0.03
    let model = try PhotonicNoiseModel(inputBits: nil, weightBits: nil, outputBits: nil, phaseNoise: sigma)
    var rng = SplitMix64(seed: 8)
    let x = Tensor.randomNormal([1, 16], rng: &rng), w = Tensor.randomNormal([16, 1], rng: &rng)
    let aw = Double(w.absMax)
    var predicted = 0.0
    for p in 0..<16 {
      let wn = Double(w.scalars[p]) / aw
      predicted += Double(x.scalars[p] * x.scalars[p]) * pow(model.weightErrorSD(normalized: wn) * aw, 2)
    }
    let outs = (0..<300).map { _ in model.product(x, w, rng: &rng).scalars[0] }
    let (_, sd) = meanAndStd(outs)
    #expect(abs(sd / predicted.squareRoot() - 1) < 0.1)
  }

  @Test func invalidParameters() {
    #expect(throws: ConfigError.self) { try PhotonicNoiseModel(phaseNoise: -0.01) }
    #expect(throws: ConfigError.self) { try PhotonicNoiseModel(inputBits: 0) }
    #expect(throws: ConfigError.self) { try PhotonicNoiseModel(outputBits: 17) }
    #expect(throws: ConfigError.self) { try PhotonicNoiseModel(outputNoise: .nan) }
  }

  /// Gradient roles stay exact unless the core is asked to run them.
  @Test func rolesSelectWhatRunsOnTheCore() throws {
    let (a, b) = ArithmeticConformanceTests.operands(seed: 2)
    var forwardOnly = try PhotonicArithmetic(seed: 1)
    #expect(forwardOnly.multiply(a, b, role: .weightGradient) == GEMM.multiply(a, b))
    var all = PhotonicArithmetic(model: try PhotonicNoiseModel(), roles: Set(ProductRole.allCases), seed: 1)
    // 8-bit converters and phase noise on the gradient: measured error 0.035, bound as forward.
    let error = ArithmeticConformanceTests.relativeError(all.multiply(a, b, role: .weightGradient), GEMM.multiply(a, b))
    #expect(error > 0.018 && error < 0.06, "\(error)")
  }
}
