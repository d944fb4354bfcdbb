import Foundation
import HybrixCore
import HybrixNumerics
import Testing

@testable import Devices

/// H3PIMAP's per-tier noise (paper §3.3): the ReRAM σ against the textbook formulas computed
/// here independently, and the sample statistics of 10 000 products against the stated σ.
@Suite struct H3PIMAPNoiseModelTests {
  @Test func reramSigmaIsThermalPlusShotNoise() {
    let m = H3PIMAPNoiseModel()
    for gMicro in [9.8, 50.0, 166.7] {
      let g = gMicro * 1e-6
      let thermalAmps = (4 * 1.380649e-23 * 300 * g * 100e6).squareRoot()  // √(4kTGf)
      let shotAmps = (2 * 1.602176634e-19 * (g * 0.5) * 100e6).squareRoot()  // √(2qIf), I = G·V
      let expected = ((thermalAmps * thermalAmps + shotAmps * shotAmps).squareRoot() / 0.5) * 1e6  // ΔI/V in µS
      let got = m.reramSigmaMicrosiemens(gMicrosiemens: gMicro)
      #expect(abs(got - expected) <= 1e-9 * expected, "G \(gMicro) µS: \(got) vs \(expected)")
    }
    // ~0.1 µS at G_max: about 6·10⁻⁴ of the window (the doc's figure).
    #expect(abs(m.reramSigmaMicrosiemens(gMicrosiemens: m.gMaxMicrosiemens) / m.gMaxMicrosiemens - 6.5e-4) < 1e-4)
  }

  /// One input of 1 (quantized exactly) against one weight column: y is the read weight, so its
  /// sample SD over 10 000 fresh products is the model's σ for that level, in weight units.
  @Test(arguments: [127, 64, 5, 0]) func reramSampleSDMatchesTheModel(level: Int) throws {
    var arith = try H3PIMAPArithmetic(tier: .reram, seed: 7)
    let a = Tensor(shape: [1, 2], scalars: [1, 0])
    // Column max 127 → levels equal the weights; the level under test in row 0.
    let b = Tensor(shape: [2, 1], scalars: [Float(level), 127])
    var sum = 0.0, sumSq = 0.0
    let draws = 10_000
    for _ in 0..<draws {
      let y = Double(arith.multiply(a, b, role: .forward).scalars[0]) - Double(level)
      sum += y
      sumSq += y * y
    }
    let mean = sum / Double(draws), sd = (sumSq / Double(draws) - mean * mean).squareRoot()
    let expected = H3PIMAPNoiseModel().reramWeightSigma(level: level, weightBits: 8, cellBits: 2)
    #expect(abs(sd / expected - 1) < 0.03, "level \(level): SD \(sd) vs \(expected)")
    #expect(abs(mean) < 4 * expected / Double(draws).squareRoot())
  }

  @Test func photonicInputNoiseIsRelativeToEachInput() throws {
    var arith = try H3PIMAPArithmetic(tier: .photonic, seed: 3)
    // Inputs 1 and 0.5 (both on the 8-bit grid of range 1: 127 and 63.5 → 64 levels).
    let a = Tensor(shape: [1, 2], scalars: [1, 0.5])
    for (column, level) in [(0, 127.0), (1, 64.0)] {
      let b = Tensor(shape: [2, 1], scalars: column == 0 ? [1, 0] : [0, 1])
      var values: [Double] = []
      for _ in 0..<10_000 { values.append(Double(arith.multiply(a, b, role: .forward).scalars[0])) }
      let x = level / 127
      let mean = values.reduce(0, +) / Double(values.count)
      let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
      #expect(abs(sd / (0.0031 * x) - 1) < 0.03, "input \(x): SD \(sd)")
      #expect(abs(mean - x) < 4 * 0.0031 * x / 100)
    }
  }

  @Test func sramIsDeterministicAndNoiseOffIsQuantizationOnly() throws {
    let (a, b) = ArithmeticConformanceTests.operands(seed: 9)
    var s1 = try H3PIMAPArithmetic(tier: .sram, seed: 1), s2 = try H3PIMAPArithmetic(tier: .sram, seed: 2)
    var quiet = H3PIMAPNoiseModel()
    quiet.scale = 0
    var r = try H3PIMAPArithmetic(tier: .reram, noise: quiet, seed: 5), p = try H3PIMAPArithmetic(tier: .photonic, noise: quiet, seed: 6)
    let y = s1.multiply(a, b, role: .forward)
    #expect(y.scalars == s2.multiply(a, b, role: .forward).scalars)
    #expect(y.scalars == r.multiply(a, b, role: .forward).scalars)
    #expect(y.scalars == p.multiply(a, b, role: .forward).scalars)
  }

  @Test func badBitsAreConfigErrors() {
    #expect(throws: ConfigError.self) { try H3PIMAPArithmetic(tier: .sram, weightBits: 1, seed: 0) }
    #expect(throws: ConfigError.self) { try H3PIMAPArithmetic(tier: .reram, cellBits: 0, seed: 0) }
  }
}
