import Foundation
import HybrixCore
import HybrixNumerics
import Testing

@testable import Devices

@Suite struct PCMNoiseModelTests {
  static let n = 10_000
  static let gT = 12.5  // µS, ĝ = 0.5
  static let oneDay = Time.seconds(86_400)

  /// σ_prog(ĝ = 0.5) = 0.26348 + 1.9650·0.5 − 1.1731·0.25 = 0.952705 µS.
  @Test func programmingSigmaPolynomial() {
    #expect(abs(PCMNoiseModel.lionHeart.programmingSigma(target: 12.5) - 0.952705) < 1e-12)
    let (mu, sigma) = PCMNoiseModel.lionHeart.driftParameters(target: 12.5)
    #expect(mu == 0.049 && sigma == 0.008)  // both clamped at their minimum for ĝ = 0.5
  }

  /// After programming, g_prog = max(0, g_T + σξ) with σ = 0.9527 µS ≪ g_T = 12.5 µS, so the
  /// clipping at 0 acts at 13σ (probability < 1e-38): E = g_T and SD = σ to far below 1e-6.
  /// Sampling errors at n = 10 000: SE(mean) = σ/√n = 0.0095 µS (0.08 % of g_T);
  /// SE(SD) ≈ σ/√(2n) = 0.7 % of σ, so 2 % is a 2.8-SE bound (and the seed is fixed).
  @Test func programmedStatistics() {
    let model = PCMNoiseModel.lionHeart
    var rng = SplitMix64(seed: 2024)
    let g = model.programmed(Tensor(repeating: Float(Self.gT), shape: [Self.n]), rng: &rng)
    let (mean, std) = meanAndStd(g.scalars)
    let sigma = model.programmingSigma(target: Self.gT)
    #expect(abs(mean - Self.gT) / Self.gT < 0.02, "mean \(mean) vs \(Self.gT)")
    #expect(abs(std - sigma) / sigma < 0.02, "std \(std) vs \(sigma)")
  }

  /// Drift only (read noise off) after one day: g = g_prog·e^(−νL), L = ln((86 400 + 20)/20),
  /// with g_prog and ν independent, ν = |μ + σ_νξ'| (folded normal, μ = 0.049, σ_ν = 0.008).
  /// E[g] = E[g_prog]·M(L) and E[g²] = E[g_prog²]·M(2L), where M(a) = E[e^(−a|X|)] is the
  /// closed-form folded-normal moment (``foldedNormalExpMoment``). Relative SEs: mean 0.12 %,
  /// SD ≈ 0.8 %, so 2 % holds with margin.
  @Test func driftStatisticsAfterOneDay() {
    var model = PCMNoiseModel.lionHeart
    model.readNoiseScale = 0
    var rng = SplitMix64(seed: 7)
    let target = Tensor(repeating: Float(Self.gT), shape: [Self.n])
    let gProg = model.programmed(target, rng: &rng)
    let nu = model.driftExponents(for: target, rng: &rng)
    let g = model.read(gProg, drift: nu, after: Self.oneDay, rng: &rng)
    let sigmaP = model.programmingSigma(target: Self.gT)
    let (mu, sigmaNu) = model.driftParameters(target: Self.gT)
    let L = log((86_400.0 + 20) / 20)
    let m1 = Self.gT * foldedNormalExpMoment(mu: mu, sigma: sigmaNu, a: L)
    let m2 = (Self.gT * Self.gT + sigmaP * sigmaP) * foldedNormalExpMoment(mu: mu, sigma: sigmaNu, a: 2 * L)
    let sd = (m2 - m1 * m1).squareRoot()
    let (mean, std) = meanAndStd(g.scalars)
    #expect(abs(mean - m1) / m1 < 0.02, "mean \(mean) vs analytical \(m1)")
    #expect(abs(std - sd) / sd < 0.02, "std \(std) vs analytical \(sd)")
  }

  /// Drift plus read noise after one day: g = g_d·(1 + Q_s(g_prog)·F·ξ''), F = √ln((t + t_r)/(2t_r)),
  /// ξ'' independent with mean 0, so E[g] is the drift-only mean and
  /// E[g²] = E[g_prog²·(1 + F²·Q_s(g_prog)²)]·M(2L). The g_prog expectation is a deterministic
  /// Gaussian quadrature (Q_s depends on g_prog through ĝ^−0.65). Clipping at 0 acts at ≈ 12
  /// standard deviations and is neglected. Relative SEs as above (read noise adds ≈ 7 % relative).
  @Test func driftAndReadStatisticsAfterOneDay() {
    let model = PCMNoiseModel.lionHeart
    var rng = SplitMix64(seed: 99)
    let target = Tensor(repeating: Float(Self.gT), shape: [Self.n])
    let gProg = model.programmed(target, rng: &rng)
    let nu = model.driftExponents(for: target, rng: &rng)
    let g = model.read(gProg, drift: nu, after: Self.oneDay, rng: &rng)
    let sigmaP = model.programmingSigma(target: Self.gT)
    let (mu, sigmaNu) = model.driftParameters(target: Self.gT)
    let L = log((86_400.0 + 20) / 20)
    let f = model.readNoiseTimeFactor(after: Self.oneDay)
    let m1 = Self.gT * foldedNormalExpMoment(mu: mu, sigma: sigmaNu, a: L)
    let e2 = gaussianExpectation(mu: Self.gT, sigma: sigmaP) { gp in
      let q = model.readNoiseQ(programmed: gp)
      return gp * gp * (1 + f * f * q * q)
    }
    let m2 = e2 * foldedNormalExpMoment(mu: mu, sigma: sigmaNu, a: 2 * L)
    let sd = (m2 - m1 * m1).squareRoot()
    let (mean, std) = meanAndStd(g.scalars)
    #expect(abs(mean - m1) / m1 < 0.02, "mean \(mean) vs analytical \(m1)")
    #expect(abs(std - sd) / sd < 0.02, "std \(std) vs analytical \(sd)")
  }

  @Test func zeroNoiseApplyIsIdentity() {
    let model = PCMNoiseModel(programmingNoiseScale: 0, readNoiseScale: 0, driftScale: 0)
    var rng = SplitMix64(seed: 3)
    let w = Tensor.randomNormal([64, 48], rng: &rng)
    for t in [Time.seconds(0), .seconds(1), .seconds(86_400), .seconds(3.15e7)] {
      #expect(model.apply(to: w, after: t, converter: SinglePairConductanceConverter(), rng: &rng) == w)
    }
  }

  @Test func driftWithoutReadNoiseNeverIncreasesConductance() {
    var model = PCMNoiseModel.lionHeart
    model.readNoiseScale = 0
    var rng = SplitMix64(seed: 11)
    let w = Tensor.randomNormal([4096], rng: &rng)
    let p = model.program(w, converter: SinglePairConductanceConverter(), rng: &rng)
    for t in [Time.seconds(1), .seconds(3600), .seconds(86_400), .seconds(3.15e7)] {
      for (g, nu) in zip(p.programmed, p.driftExponents) {
        let gt = model.read(g, drift: nu, after: t, rng: &rng)
        for i in 0..<g.count { #expect(abs(gt.scalars[i]) <= abs(g.scalars[i])) }
      }
    }
  }

  @Test func sameSeedSameBits() {
    var a = SplitMix64(seed: 5)
    var b = SplitMix64(seed: 5)
    var src = SplitMix64(seed: 1)
    let w = Tensor.randomNormal([32, 32], rng: &src)
    let conv = SinglePairConductanceConverter()
    let x = PCMNoiseModel.lionHeart.apply(to: w, after: .seconds(3600), converter: conv, rng: &a)
    let y = PCMNoiseModel.lionHeart.apply(to: w, after: .seconds(3600), converter: conv, rng: &b)
    #expect(x == y)
  }
}
