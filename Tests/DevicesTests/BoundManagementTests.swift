import HybrixCore
import HybrixNumerics
import Testing

@testable import Devices

/// aihwkit's iterative bound-management stopping rule (issue 14 §6).
@Suite struct BoundManagementTests {
  /// R = 1, 2, 4, …; stop after the first pass with R > max_bm_factor or R > max_bm_res / (inp_res·2·inp_bound).
  /// 8-bit DAC: 0.25 / (2/254) = 31.75 → last R = 32, 5 halvings; 7-bit (aihwkit default): 0.25/(2/126) = 15.75
  /// → 4; no resolution: R > 1000 → R = 1024, 10 halvings.
  @Test func stoppingRuleAsAihwkit() {
    let cases: [(UniformQuantizer, Int)] = [
      (UniformQuantizer(bits: 8, bound: 1), 5), (UniformQuantizer(bits: 7, bound: 1), 4),
      (UniformQuantizer(bits: 6, bound: 1), 3), (UniformQuantizer(bound: 1, resolution: 0), 10),
    ]
    for (dac, halvings) in cases {
      #expect(BoundManagement.aihwkitIterative(dac: dac) == .iterative(maxHalvings: halvings))
    }
    #expect(AnalogIO.lionHeart.boundManagement == .iterative(maxHalvings: 5))
  }

  /// 4096 inputs of 1 against all-ones weights give y = 4096: still 128 ≫ 12 after 5 halvings, so
  /// the tile returns the clipped output of the last pass, 12 · 2⁵ = 384 (not 0, which 10 halvings
  /// gave once every input fell below half a DAC step).
  @Test func saturatedRowReturnsClippedOutput() {
    let x = Tensor(repeating: 1, shape: [3, 4096])
    let w = Tensor(repeating: 1, shape: [4096, 2])
    var io = AnalogIO.lionHeart
    io.outputNoise = 0
    var rng = SplitMix64(seed: 1)
    var stats = AnalogMVM.Stats()
    let y = AnalogMVM(io: io).forward(x, weights: w, rng: &rng, stats: &stats)
    #expect(stats.maxHalvings == 5 && stats.rowsRescaled == 3)
    #expect(y.scalars.count == 6)
    for v in y.scalars { #expect(v == 384) }
    // The old limit of 10 halvings: 1/1024 is below half a DAC step (1/254), so every input
    // quantizes to 0 and so does the output.
    io.boundManagement = .iterative(maxHalvings: 10)
    let zero = AnalogMVM(io: io).forward(x, weights: w, rng: &rng, stats: &stats)
    #expect(zero.scalars.allSatisfy { $0 == 0 })
  }

  /// A row that stops saturating within the limit is exact after its halvings (y = 256 → 8 < 12
  /// after 5 halvings).
  @Test func rowWithinLimitIsRecovered() {
    let x = Tensor(repeating: 1, shape: [1, 256])
    let w = Tensor(repeating: 1, shape: [256, 1])
    var io = AnalogIO.lionHeart
    io.outputNoise = 0
    var rng = SplitMix64(seed: 2)
    var stats = AnalogMVM.Stats()
    let y = AnalogMVM(io: io).forward(x, weights: w, rng: &rng, stats: &stats)
    #expect(stats.maxHalvings == 5)
    #expect(abs(y.scalars[0] - 256) <= io.adc.step / 2 * 32)
  }

  /// The compensation reference is read without read noise by default (aihwkit), with read noise
  /// on request; the two settings give different factors from the same seed.
  @Test func referenceReadIsASetting() throws {
    var rng = SplitMix64(seed: 5)
    let w = Tensor.randomNormal([64, 16], std: 0.3, rng: &rng)
    var quiet = try AnalogTileArithmetic(time: .seconds(86_400), seed: 3)
    var noisy = try AnalogTileArithmetic(time: .seconds(86_400), referenceReadNoise: true, seed: 3)
    #expect(quiet.referenceReadNoise == false)
    _ = quiet.realize(weights: w)
    _ = noisy.realize(weights: w)
    let a = try #require(quiet.compensationFactor), b = try #require(noisy.compensationFactor)
    #expect(a != b)
    #expect(a > 1 && b > 1)  // drift shrinks the outputs after a day either way
  }
}
