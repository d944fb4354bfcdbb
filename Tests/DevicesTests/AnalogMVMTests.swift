import HybrixCore
import HybrixNumerics
import Testing

@testable import Devices

@Suite struct AnalogMVMTests {
  @Test(arguments: [4, 8, 12]) func quantizationErrorWithinHalfStep(bits: Int) {
    let q = UniformQuantizer(bits: bits, bound: 3)
    var rng = SplitMix64(seed: UInt64(bits))
    for _ in 0..<10_000 {
      let v = Float(rng.nextUnitDouble() * 6 - 3)
      // half a step, plus the Float32 rounding of the level itself
      #expect(abs(q.quantize(v) - v) <= q.step / 2 + 2 * v.ulp)
    }
    #expect(q.quantize(100) == 3 && q.quantize(-100) == -3 && q.quantize(0) == 0)
  }

  @Test func lionHeartLevels() {
    let q = AnalogIO.lionHeart.dac
    #expect(abs(q.step - 2 / 254) < 1e-9)
    #expect(AnalogIO.lionHeart.adc.bound == 12 && AnalogIO.lionHeart.outputNoise == 0.06)
  }

  /// 64 inputs of magnitude 1 against all-ones weights give y = 64 ≫ out_bound 12: the row must be
  /// halved three times (64/8 = 8 < 12) and the result must then be exact.
  @Test func saturationTriggersBoundManagement() {
    let x = Tensor(repeating: 1, shape: [1, 64])
    let w = Tensor(repeating: 1, shape: [64, 2])
    var io = AnalogIO.lionHeart
    io.outputNoise = 0
    var rng = SplitMix64(seed: 1)
    var stats = AnalogMVM.Stats()
    let y = AnalogMVM(io: io).forward(x, weights: w, matmul: naiveMatmul, rng: &rng, stats: &stats)
    #expect(stats.rowsRescaled == 1 && stats.maxHalvings == 3)
    #expect(abs(y.scalars[0] - 64) <= io.adc.step / 2 * 8)
    io.boundManagement = .none
    let clipped = AnalogMVM(io: io).forward(x, weights: w, matmul: naiveMatmul, rng: &rng)
    #expect(clipped.scalars[0] == 12)
  }

  @Test(arguments: 0..<10) func manyBitsNoNoiseIsExact(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    let x = Tensor.randomNormal([5, 32], rng: &rng)
    let w = Tensor.randomNormal([32, 7], std: 0.2, rng: &rng)
    let io = AnalogIO(
      dac: UniformQuantizer(bits: 20, bound: 1), adc: UniformQuantizer(bits: 20, bound: 12),
      outputNoise: 0, noiseManagement: .absMax, boundManagement: .iterative(maxHalvings: 10))
    let y = AnalogMVM(io: io).forwardColumnScaled(x, weights: w, matmul: naiveMatmul, rng: &rng)
    let exact = naiveMatmul(x, w)
    let norm = exact.absMax
    for i in 0..<y.count { #expect(abs(y.scalars[i] - exact.scalars[i]) / norm < 1e-3) }
  }

  /// Output noise: with ABS_MAX and α = 1 (inputs already max 1), the output error is σ_out·ξ plus
  /// ADC rounding (uniform, SD step/√12 = 0.027); SD of the error ≈ √(0.06² + 0.027²) = 0.066.
  @Test func outputNoiseStatistics() {
    var rng = SplitMix64(seed: 4)
    let x = Tensor(repeating: 1, shape: [10_000, 1])
    let w = Tensor(repeating: 0.5, shape: [1, 1])
    let y = AnalogMVM(io: .lionHeart).forward(x, weights: w, matmul: naiveMatmul, rng: &rng)
    let (mean, std) = meanAndStd(y.scalars)
    let step = Double(AnalogIO.lionHeart.adc.step)
    let expected = (0.06 * 0.06 + step * step / 12).squareRoot()
    #expect(abs(mean - 0.5) < 0.005)
    #expect(abs(std - expected) / expected < 0.05, "std \(std) vs \(expected)")
  }
}
