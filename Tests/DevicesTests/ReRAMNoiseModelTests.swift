import Foundation
import HybrixCore
import HybrixNumerics
import Testing

@testable import Devices

@Suite struct ReRAMNoiseModelTests {
  /// G = G_T·exp(σξ): over n = 60 000 cells the sample mean and SD of G/G_T are within 2 % of the
  /// lognormal's exp(σ²/2) and √((e^{σ²} − 1)·e^{σ²}); the SD of ln(G/G_T) within 2 % of σ.
  /// (Sampling error of the SD at n = 60 000 is ≈ 0.4 %, so 2 % is a > 4σ bound.)
  @Test(arguments: [0.1, 0.3]) func lognormalVariation(sigma: Double) throws {
    let model = try ReRAMNoiseModel(variation: sigma)
    var rng = SplitMix64(seed: 17)
    let target = model.targetConductance(level: 2)
    let n = 60_000
    var ratios = [Float](), logs = [Float]()
    ratios.reserveCapacity(n)
    for _ in 0..<n {
      let g = model.programCell(level: 2, rng: &rng)
      ratios.append(Float(g / target))
      logs.append(Float(log(g / target)))
    }
    let (mean, sd) = meanAndStd(ratios)
    let s2 = sigma * sigma
    #expect(abs(mean / exp(s2 / 2) - 1) < 0.02)
    #expect(abs(sd / ((exp(s2) - 1) * exp(s2)).squareRoot() - 1) < 0.02)
    let (logMean, logSD) = meanAndStd(logs)
    #expect(abs(logMean) < 0.02 * sigma)
    #expect(abs(logSD / sigma - 1) < 0.02)
  }

  /// Stuck-at fractions of n = 60 000 cells lie within 4.5 binomial standard deviations of the
  /// rates (Chen et al. 2015: SA0 1.75 %, SA1 9.04 %).
  @Test func stuckAtFractions() throws {
    let p0 = ReRAMNoiseModel.chen2015StuckAtZero, p1 = ReRAMNoiseModel.chen2015StuckAtOne
    let model = try ReRAMNoiseModel(variation: 0, stuckAtZeroRate: p0, stuckAtOneRate: p1)
    var rng = SplitMix64(seed: 5)
    let n = 60_000
    var (sa0, sa1) = (0, 0)
    for _ in 0..<n {
      let g = model.programCell(level: 1, rng: &rng)  // a middle level: neither gMin nor gMax
      if g == model.gMin { sa0 += 1 } else if g == model.gMax { sa1 += 1 }
    }
    for (count, p) in [(sa0, p0), (sa1, p1)] {
      let f = Double(count) / Double(n)
      #expect(abs(f - p) <= 4.5 * (p * (1 - p) / Double(n)).squareRoot(), "fraction \(f) vs rate \(p)")
    }
  }

  /// Without variation or faults, bit slicing and shift-and-add recombination return exactly the
  /// B-bit quantized weights, for even and uneven slicings.
  @Test(arguments: [(8, 2), (8, 3), (7, 1), (12, 4), (4, 8)]) func bitSlicingIsExact(bits: (Int, Int)) throws {
    let model = try ReRAMNoiseModel(variation: 0, weightBits: bits.0, cellBits: bits.1)
    var rng = SplitMix64(seed: 9)
    let w = Tensor.randomNormal([30, 7], rng: &rng)
    let read = model.apply(to: w, rng: &rng)
    let scales = w.columnAbsMax()
    let top = Float(model.weightMaxLevel)
    for i in 0..<30 {
      for j in 0..<7 {
        let q = (w.scalars[i * 7 + j] / scales[j] * top).rounded(.toNearestOrEven)
        let expected = q * scales[j] / top
        #expect(abs(read.scalars[i * 7 + j] - expected) <= 2 * expected.ulp)
      }
    }
    #expect(model.slices == (bits.0 + bits.1 - 1) / bits.1)
  }

  /// With every cell stuck at G_max both arrays of the differential pair read the top digit in
  /// every slice, so every weight reads 0: faults act through the recombination, per cell.
  @Test func allCellsStuckAtOneCancel() throws {
    let model = try ReRAMNoiseModel(variation: 0, stuckAtOneRate: 1, weightBits: 8, cellBits: 2)
    var rng = SplitMix64(seed: 1)
    let w = Tensor(shape: [2, 1], scalars: [1, 0.5])
    #expect(model.apply(to: w, rng: &rng).scalars.allSatisfy { abs($0) < 1e-6 })
  }

  @Test func invalidParameters() {
    #expect(throws: ConfigError.self) { try ReRAMNoiseModel(variation: -0.1) }
    #expect(throws: ConfigError.self) { try ReRAMNoiseModel(gMin: 10, gMax: 5) }
    #expect(throws: ConfigError.self) { try ReRAMNoiseModel(weightBits: 0) }
    #expect(throws: ConfigError.self) { try ReRAMNoiseModel(cellBits: 17) }
    #expect(throws: ConfigError.self) { try ReRAMNoiseModel(stuckAtZeroRate: 0.6, stuckAtOneRate: 0.6) }
    #expect(throws: ConfigError.self) { try ReRAMArithmetic(model: ReRAMNoiseModel(), inputBits: 0, seed: 1) }
  }

  /// Realized weights stay put: two forward products on the realized weights see the same
  /// devices (deterministic without input noise), a non-realized `b` is re-programmed per call.
  @Test func realizedWeightsAreStatic() throws {
    var arith = try ReRAMArithmetic(model: ReRAMNoiseModel(), seed: 3)
    let (a, b) = ArithmeticConformanceTests.operands(seed: 8)
    let w = arith.realize(weights: b)
    #expect(arith.multiply(a, w, role: .forward) == arith.multiply(a, w, role: .forward))
    // Re-programmed per call: two products differ by the device variation (measured 0.124).
    let (y0, y1) = (arith.multiply(a, b, role: .forward), arith.multiply(a, b, role: .forward))
    #expect(ArithmeticConformanceTests.relativeError(y1, y0) > 0.06)
    #expect(arith.multiply(a, w, role: .inputGradient) == GEMM.multiply(a, w))
  }
}
