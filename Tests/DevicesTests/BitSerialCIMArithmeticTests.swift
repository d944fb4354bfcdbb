import HybrixCore
import HybrixNumerics
import Testing

@testable import Devices

@Suite struct BitSerialCIMArithmeticTests {
  /// a = [1, −1, 1], weight columns [1,1,1], [1,0,0], [1,1,0], 2-bit operands, 1-bit cells and
  /// inputs, 3 rows. Input digits (two's complement, sign in the top digit): step 0 [1, 1, 1],
  /// step 1 [0, −1, 0]; weight slice 1 is all 0. Step 0 partial sums [3, 1, 2]: a 1-bit ADC over
  /// [1, 3] (step 2) turns the 2 into 3; step 1 partial sums [−1, 0, −1] span one step and stay.
  /// y = 1·[3, 1, 3] + 2·[−1, 0, −1] = [1, 1, 1], where the exact product is [1, 1, 0]; a 2-bit
  /// ADC (step max(1, 2/3) = 1) gives the exact product.
  @Test func handComputedPartialSumConversion() throws {
    let a = Tensor(shape: [1, 3], scalars: [1, -1, 1])
    let b = Tensor(shape: [3, 3], scalars: [1, 1, 1, 1, 0, 1, 1, 0, 0])
    func run(adc: Int) throws -> [Float] {
      var cim = try BitSerialCIMArithmetic(
        weightBits: 2, activationBits: 2, cellBits: 1, dacBits: 1, adcBits: adc, rowsActive: 3)
      #expect(!cim.isLossless)
      return cim.multiply(a, b, role: .forward).scalars
    }
    #expect(try run(adc: 1) == [1, 1, 1])
    #expect(try run(adc: 2) == [1, 1, 0])
  }

  /// With an ADC wide enough for every partial sum, the bit-serial path equals the integer product
  /// of the quantized operands, for several digit widths and row groups.
  @Test(arguments: [(1, 1, 4), (2, 1, 7), (1, 2, 128), (3, 2, 5)])
  func wideADCIsTheIntegerProduct(dacBits: Int, cellBits: Int, rowsActive: Int) throws {
    let cim = try BitSerialCIMArithmetic(
      weightBits: 8, activationBits: 7, cellBits: cellBits, dacBits: dacBits, adcBits: 16,
      rowsActive: rowsActive)
    var rng = SplitMix64(seed: 7)
    let (m, k, n) = (5, 37, 6)
    let xi = (0..<m * k).map { _ in Int32(Int(rng.next() % 127) - 63) }
    let wi = (0..<k * n).map { _ in Int32(Int(rng.next() % 255) - 127) }
    #expect(cim.convertedProduct(xi, wi, m, k, n) == cim.exactProduct(xi, wi, m, k, n))
  }

  @Test func gradientsAreExactAndBadBitsAreErrors() throws {
    var cim = try BitSerialCIMArithmetic(
      weightBits: 8, activationBits: 8, cellBits: 1, dacBits: 1, adcBits: 5, rowsActive: 128)
    var rng = SplitMix64(seed: 3)
    let (a, b) = (Tensor.randomNormal([4, 9], rng: &rng), Tensor.randomNormal([9, 2], rng: &rng))
    #expect(cim.multiply(a, b, role: .inputGradient) == GEMM.multiply(a, b))
    #expect {
      try BitSerialCIMArithmetic(
        weightBits: 1, activationBits: 8, cellBits: 1, dacBits: 1, adcBits: 5, rowsActive: 8)
    } throws: { ($0 as? ConfigError)?.path == "weight_bits" }
    #expect {
      try BitSerialCIMArithmetic(
        weightBits: 8, activationBits: 8, cellBits: 1, dacBits: 1, adcBits: 17, rowsActive: 8)
    } throws: { ($0 as? ConfigError)?.path == "adc_bits" }
  }
}
