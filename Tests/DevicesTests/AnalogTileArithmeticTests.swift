import HybrixCore
import HybrixNumerics
import Testing

@testable import Devices

@Suite struct AnalogTileArithmeticTests {
  static let times: [Double] = [1, 3600, 86_400, 365.25 * 86_400]

  /// Mean over 3 seeds of (relative output error, Σ|y| / Σ|a·b|) after realizing at `t`.
  static func outcome(at t: Double, compensated: Bool) throws -> (error: Double, scale: Double) {
    var rng = SplitMix64(seed: 77)
    let w = Tensor.randomNormal([64, 32], std: 0.1, rng: &rng)
    let x = Tensor.randomNormal([48, 64], rng: &rng).map { max($0, 0) }  // ReLU-like activations
    let exact = naiveMatmul(x, w)
    var (err, scale) = (0.0, 0.0)
    for seed in UInt64(0)..<3 {
      var arith = try AnalogTileArithmetic(time: .seconds(t),
        compensation: compensated ? GlobalDriftCompensation() : nil, seed: seed)
      let y = arith.multiply(x, arith.realize(weights: w), role: .forward)
      err += ArithmeticConformanceTests.relativeError(y, exact) / 3
      var (sy, se) = (0.0, 0.0)
      for (u, v) in zip(y.scalars, exact.scalars) { (sy, se) = (sy + Double(abs(u)), se + Double(abs(v))) }
      scale += sy / se / 3
    }
    return (err, scale)
  }

  /// Without compensation the outputs shrink with drift and the error grows with time
  /// (1 s < 1 h < 1 d < 1 y); global drift compensation brings the mean output scale back to
  /// within 4 % of the exact product's at every time, and keeps the error below the uncompensated.
  @Test func driftErrorGrowsAndCompensationRestoresScale() throws {
    var last = 0.0
    for t in Self.times {
      let plain = try Self.outcome(at: t, compensated: false)
      let comp = try Self.outcome(at: t, compensated: true)
      #expect(plain.error > last, "error at \(t) s: \(plain.error) not above \(last)")
      last = plain.error
      #expect(abs(comp.scale - 1) < 0.04, "compensated scale \(comp.scale) at \(t) s")
      if t >= 3600 {
        #expect(plain.scale < 0.85, "uncompensated scale \(plain.scale) at \(t) s")
        #expect(comp.error < plain.error)
      }
    }
  }

  @Test func compensationFactorIsAboveOneAfterDrift() throws {
    var arith = try AnalogTileArithmetic(time: .seconds(86_400), seed: 2)
    #expect(arith.compensationFactor == nil)
    var rng = SplitMix64(seed: 1)
    _ = arith.realize(weights: Tensor.randomNormal([32, 8], rng: &rng))
    let factor = try #require(arith.compensationFactor)
    #expect(factor > 1.2 && factor < 3)
  }

  /// A grouped convolution passes one group's columns: the block uses the same stored devices as
  /// the full matrix (bit-identical without output noise and without ADC saturation).
  @Test func columnBlockUsesRealizedDevices() throws {
    var io = AnalogIO.lionHeart
    io.outputNoise = 0
    var arith = try AnalogTileArithmetic(io: io, seed: 4)
    var rng = SplitMix64(seed: 3)
    let w = Tensor.randomNormal([6, 4], std: 0.1, rng: &rng)
    let x = Tensor.randomNormal([5, 6], rng: &rng)
    let realized = arith.realize(weights: w)
    let full = arith.multiply(x, realized, role: .forward)
    let block = arith.multiply(x, realized.columns(2..<4), role: .forward)
    #expect(block == full.columns(2..<4))
  }

  /// Without `realize` the forward product is the IO model only; HWA weight noise perturbs it,
  /// and gradients are exact.
  @Test func unrealizedForwardAndGradients() throws {
    let (a, b) = ArithmeticConformanceTests.operands(seed: 6)
    var plain = try AnalogTileArithmetic(seed: 1)
    var hwa = try AnalogTileArithmetic(trainingWeightNoise: 0.08, seed: 1)
    let y0 = plain.multiply(a, b, role: .forward), y1 = hwa.multiply(a, b, role: .forward)
    #expect(ArithmeticConformanceTests.relativeError(y0, naiveMatmul(a, b)) < 0.1)
    // HWA noise w·(1 + 0.08ξ) moves the outputs by about its size (measured 0.123), not merely
    // "changed" them.
    #expect(ArithmeticConformanceTests.relativeError(y1, y0) > 0.04)
    #expect(ArithmeticConformanceTests.relativeError(y1, naiveMatmul(a, b)) < 0.2)
    #expect(plain.multiply(a, b, role: .inputGradient) == GEMM.multiply(a, b))
    #expect(plain.multiply(a, b, role: .weightGradient) == GEMM.multiply(a, b))
  }

  @Test func invalidParameters() {
    #expect(throws: ConfigError.self) { try AnalogTileArithmetic(time: .seconds(-1), seed: 1) }
    #expect(throws: ConfigError.self) { try AnalogTileArithmetic(trainingWeightNoise: -0.1, seed: 1) }
    #expect(AnalogTileArithmetic.format(.seconds(86_400)) == "1 d")
    #expect(AnalogTileArithmetic.format(.seconds(20)) == "20 s")
  }
}
