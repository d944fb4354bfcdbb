import Foundation
import HybrixCore
import HybrixNumerics
import Testing

@testable import Devices

/// aihwkit's `PCMLikeNoiseModel(g_max = 25)` pinned at several conductances and times, from
/// values computed outside Hybrix: the tables below are the output of
///
///     python3 scripts/pcm_reference_values.py
///
/// (numpy only, written from aihwkit's pcm.py formulas; research/papers.md §2.3). Unlike a check
/// at ĝ = 0.5, where both drift parameters sit at their lower clamps, these rows cover the
/// unclamped range (ĝ 0.01…0.3), both clamps (ĝ 0.001 high, ĝ ≥ 0.3 low) and the Q_s cap.
@Suite struct PCMAihwkitReferenceTests {
  enum Reference {
    // (ĝ, σ_prog µS, μ_ν, σ_ν, E[ν], SD[ν], Q_s)
    static let devices: [(Double, Double, Double, Double, Double, Double, Double)] = [
      (0.001, 0.2654438269, 0.1, 0.045, 0.100412799455, 0.0440711890651, 0.2),
      (0.01, 0.28301269, 0.0957801378828, 0.045, 0.0963181184012, 0.0438366841869, 0.175583083717),
      (0.03, 0.32137421, 0.0787516474085, 0.0379319737165, 0.0792756783002, 0.0368242234083, 0.085971371796),
      (0.1, 0.448249, 0.0600900689414, 0.0228823136624, 0.0601517124484, 0.0227197745026, 0.0393081561093),
      (0.3, 0.747401, 0.049, 0.00914966005407, 0.0490000001371, 0.00914965931979, 0.0192465927352),
      (0.7, 1.064161, 0.049, 0.008, 0.0490000000011, 0.00799999999309, 0.0110960638247),
      (1.0, 1.05538, 0.049, 0.008, 0.0490000000011, 0.00799999999309, 0.0088),
    ]
    // (label, t_inf s, F(t) = √ln((t_inf + t0 + t_read)/(2 t_read)))
    static let times: [(String, Double, Double)] = [
      ("1s", 1.0, 4.18965155928),
      ("1h", 3600.0, 4.7647546677),
      ("1d", 86400.0, 5.08680962372),
      ("1y", 31557600.0, 5.6370190152),
    ]
    // (ĝ, label, read-noise SD in µS of a device at exactly ĝ·g_max, drift factor at ν = μ_ν)
    static let reads: [(Double, String, Double, Double)] = [
      (0.001, "1s", 0.0209482577964, 0.99513286665),
      (0.001, "1h", 0.0238237733385, 0.594609909265),
      (0.001, "1d", 0.0254340481186, 0.432953817551),
      (0.001, "1y", 0.028185095076, 0.2399896848),
      (0.01, "1s", 0.18390798512, 0.995337773425),
      (0.01, "1h", 0.209152579428, 0.607797955402),
      (0.01, "1d", 0.223289430004, 0.448521470861),
      (0.01, "1y", 0.247441295415, 0.2548869462),
      (0.03, "1s", 0.270142568924, 0.996165066406),
      (0.03, "1h", 0.307224371291, 0.664055063982),
      (0.03, "1d", 0.327990001063, 0.517239579223),
      (0.03, "1y", 0.363466693183, 0.325006047645),
      (0.1, "1s", 0.411718693839, 0.997072489213),
      (0.1, "1h", 0.468234300751, 0.731704858571),
      (0.1, "1d", 0.499882766969, 0.604696549972),
      (0.1, "1y", 0.553952058601, 0.424186938068),
      (0.3, "1s", 0.604773879477, 0.997612137446),
      (0.3, "1h", 0.687789694292, 0.775128579365),
      (0.3, "1d", 0.734278148618, 0.663523594844),
      (0.3, "1y", 0.813700569194, 0.49692902252),
      (0.7, "1s", 0.813551219339, 0.997612137446),
      (0.7, "1h", 0.925225383285, 0.775128579365),
      (0.7, "1d", 0.987762374359, 0.663523594844),
      (0.7, "1y", 1.09460264854, 0.49692902252),
      (1.0, "1s", 0.921723343041, 0.997612137446),
      (1.0, "1h", 1.0482460269, 0.775128579365),
      (1.0, "1d", 1.11909811722, 0.663523594844),
      (1.0, "1y", 1.24014418334, 0.49692902252),
    ]
  }

  static let model = PCMNoiseModel.lionHeart
  static let n = 10_000

  static func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-300) }

  /// The closed forms match the reference to 1e-9 (the script prints 12 significant digits).
  @Test(arguments: Reference.devices.indices)
  func analyticDeviceFunctions(_ row: Int) {
    let (gHat, sigmaProg, mu, sigmaNu, _, _, q) = Reference.devices[row]
    let g = gHat * Self.model.gMax
    #expect(Self.relative(Self.model.programmingSigma(target: g), sigmaProg) < 1e-9, "ĝ \(gHat)")
    let (m, s) = Self.model.driftParameters(target: g)
    #expect(Self.relative(m, mu) < 1e-9 && Self.relative(s, sigmaNu) < 1e-9, "ĝ \(gHat): \(m), \(s)")
    #expect(Self.relative(Self.model.readNoiseQ(programmed: g), q) < 1e-9, "ĝ \(gHat)")
  }

  @Test(arguments: Reference.times.indices)
  func readNoiseTimeFactor(_ row: Int) {
    let (label, seconds, factor) = Reference.times[row]
    #expect(Self.relative(Self.model.readNoiseTimeFactor(after: .seconds(seconds)), factor) < 1e-9, "\(label)")
  }

  /// Read-noise SD g·Q_s·F from the model's functions, and the drift factor the model's `read`
  /// applies with ν = μ_ν and read noise off (Float32 conductances: 1e-6).
  @Test(arguments: Reference.reads.indices)
  func readNoiseAndDriftAtEachTime(_ row: Int) throws {
    let (gHat, label, sd, driftFactor) = Reference.reads[row]
    let t = try #require(Reference.times.first { $0.0 == label }?.1)
    let g = gHat * Self.model.gMax
    let modelSD = g * Self.model.readNoiseQ(programmed: g) * Self.model.readNoiseTimeFactor(after: .seconds(t))
    #expect(Self.relative(modelSD, sd) < 1e-9, "ĝ \(gHat) at \(label)")
    var quiet = Self.model
    quiet.readNoiseScale = 0
    var rng = SplitMix64(seed: 1)
    let mu = Self.model.driftParameters(target: g).mu
    let read = quiet.read(
      Tensor(repeating: Float(g), shape: [1]), drift: Tensor(repeating: Float(mu), shape: [1]),
      after: .seconds(t), rng: &rng)
    #expect(Self.relative(Double(read.scalars[0]), g * driftFactor) < 1e-6, "ĝ \(gHat) at \(label)")
  }

  /// Sampled programming noise, n = 10 000, seed fixed. Where ĝ ≥ 0.1 the clip at 0 sits ≥ 5σ
  /// below g_T, so mean = g_T and SD = σ_prog: bounds are 4 standard errors for the mean
  /// (σ/√n) and 3 % for the SD (SE ≈ 1/√(2n) = 0.71 %, so 4.2 SE).
  @Test(arguments: [0.1, 0.3, 0.7, 1.0])
  func sampledProgrammingNoise(_ gHat: Double) throws {
    let row = try #require(Reference.devices.first { $0.0 == gHat })
    let g = gHat * Self.model.gMax
    var rng = SplitMix64(seed: 0x9C3 &+ UInt64(gHat * 1000))
    let x = Self.model.programmed(Tensor(repeating: Float(g), shape: [Self.n]), rng: &rng)
    let (mean, std) = meanAndStd(x.scalars)
    #expect(abs(mean - g) < 4 * row.1 / Double(Self.n).squareRoot(), "ĝ \(gHat): mean \(mean)")
    #expect(Self.relative(std, row.1) < 0.03, "ĝ \(gHat): SD \(std) vs \(row.1)")
  }

  /// Sampled drift exponents ν = |μ + σξ| against the folded normal's mean and SD from the
  /// script: mean within 4 SE, SD within 3 %.
  @Test(arguments: Reference.devices.indices)
  func sampledDriftExponents(_ index: Int) throws {
    let (gHat, _, _, _, mean, sd, _) = Reference.devices[index]
    var rng = SplitMix64(seed: 0xD21F7 &+ UInt64(index))
    let nu = try #require(
      Self.model.driftExponents(for: Tensor(repeating: Float(gHat * Self.model.gMax), shape: [Self.n]), rng: &rng))
    let (m, s) = meanAndStd(nu.scalars)
    #expect(abs(m - mean) < 4 * sd / Double(Self.n).squareRoot(), "ĝ \(gHat): mean \(m) vs \(mean)")
    #expect(Self.relative(s, sd) < 0.03, "ĝ \(gHat): SD \(s) vs \(sd)")
  }

  /// Sampled read noise (drift off) of devices at exactly ĝ·g_max: mean g within 4 SE, SD within
  /// 3 % of the reference g·Q_s·F (ĝ ≥ 0.1: the clip at 0 sits ≥ 4.5 SD below g).
  @Test(arguments: [0.1, 0.3, 0.7, 1.0], ["1s", "1h", "1d", "1y"])
  func sampledReadNoise(_ gHat: Double, _ label: String) throws {
    let row = try #require(Reference.reads.first { $0.0 == gHat && $0.1 == label })
    let t = try #require(Reference.times.first { $0.0 == label }?.1)
    let g = gHat * Self.model.gMax
    var rng = SplitMix64(seed: 0x4EAD &+ UInt64(gHat * 1000) &+ UInt64(t))
    let x = Self.model.read(Tensor(repeating: Float(g), shape: [Self.n]), drift: nil, after: .seconds(t), rng: &rng)
    let (mean, std) = meanAndStd(x.scalars)
    #expect(abs(mean - g) < 4 * row.2 / Double(Self.n).squareRoot(), "ĝ \(gHat) \(label): mean \(mean)")
    #expect(Self.relative(std, row.2) < 0.03, "ĝ \(gHat) \(label): SD \(std) vs \(row.2)")
  }
}
