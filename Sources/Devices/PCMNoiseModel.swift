import Foundation
import HybrixCore
import HybrixNumerics

/// Programming noise, drift and read (1/f) noise of a phase-change memory device, fitted on
/// measured PCM arrays; the model LionHeart evaluates with `PCMLikeNoiseModel(g_max=25)`.
///
/// The model, with ĝ = g / gMax and ξ ~ N(0, 1) drawn independently per device and per use:
/// - programming: σ_prog = (c₀ + c₁·ĝ_T + c₂·ĝ_T²)·gMax/gRef, g_prog = max(0, g_T + s_p·σ_prog·ξ);
/// - drift exponent (once, at programming): with ĝ_T clamped to ≥ 1e-7,
///   μ_ν = clamp(−0.0155·ln ĝ_T + 0.0244, 0.049, 0.1), σ_ν = clamp(−0.0125·ln ĝ_T − 0.0059,
///   0.008, 0.045), ν = s_d·|μ_ν + σ_ν·ξ|;
/// - read at t_inf after programming: t = t_inf + t₀; g_drift = g_prog·(t/t₀)^(−ν) when t > t₀;
///   Q_s = min(0.0088 / max((|g_prog|/gMax)^0.65, 1e-3), 0.2);
///   g = max(0, g_drift + |g_drift|·s_r·Q_s·√ln((t + t_read)/(2·t_read))·ξ).
///
/// Nandakumar et al., ICECS 2019 (https://ieeexplore.ieee.org/abstract/document/8964852), as
/// coded in `IBM/aihwkit` src/aihwkit/inference/noise/pcm.py (`PCMLikeNoiseModel`); LionHeart's
/// configuration is `IBM/lionheart` lionheart/models/common/gen_rpu_config.py. Note the code
/// computes Q_s from the *programmed* conductance (the docs, pcm_inference.rst, write g_T).
///
/// - Parameters:
///   - gMax: Conductance that the largest |weight| maps to, in µS (LionHeart: 25 µS).
///   - programmingCoefficients: c₀, c₁, c₂ of σ_prog, in µS at `coefficientReference`.
///   - coefficientReference: gMax the coefficients were fitted at, in µS (25 µS).
///   - t0: Time of the first read after programming, the drift reference (20 s).
///   - tRead: Read duration of the 1/f noise fit (250 ns).
///   - programmingNoiseScale, readNoiseScale, driftScale: s_p, s_r, s_d (dimensionless);
///     `0` disables the respective effect.
/// - Complexity: O(*n*) per hook in the number of devices.
public struct PCMNoiseModel: NoiseModel, Hashable {
  public var gMax: Double
  public var programmingCoefficients: [Double]
  public var coefficientReference: Double
  public var t0: Time
  public var tRead: Time
  public var programmingNoiseScale: Double
  public var readNoiseScale: Double
  public var driftScale: Double

  public init(
    gMax: Double = 25, programmingCoefficients: [Double] = [0.26348, 1.9650, -1.1731],
    coefficientReference: Double = 25, t0: Time = .seconds(20), tRead: Time = .nanoseconds(250),
    programmingNoiseScale: Double = 1, readNoiseScale: Double = 1, driftScale: Double = 1
  ) {
    precondition(gMax > 0 && coefficientReference > 0, "gMax and the reference must be positive")
    self.gMax = gMax
    self.programmingCoefficients = programmingCoefficients
    self.coefficientReference = coefficientReference
    self.t0 = t0
    self.tRead = tRead
    self.programmingNoiseScale = programmingNoiseScale
    self.readNoiseScale = readNoiseScale
    self.driftScale = driftScale
  }

  /// LionHeart's device: `PCMLikeNoiseModel(g_max=25)` with aihwkit defaults.
  public static let lionHeart = PCMNoiseModel()

  /// Standard deviation of the programmed conductance for target `gT`, in µS.
  public func programmingSigma(target gT: Double) -> Double {
    let x = gT / gMax
    var sigma = 0.0
    var power = 1.0
    for c in programmingCoefficients {
      sigma += c * power
      power *= x
    }
    return sigma * gMax / coefficientReference
  }

  /// Mean and standard deviation of the drift exponent's underlying normal for target `gT` (µS).
  public func driftParameters(target gT: Double) -> (mu: Double, sigma: Double) {
    let x = max(abs(gT / gMax), 1e-7)
    let mu = min(max(-0.0155 * log(x) + 0.0244, 0.049), 0.1)
    let sigma = min(max(-0.0125 * log(x) - 0.0059, 0.008), 0.045)
    return (mu, sigma)
  }

  /// Relative 1/f read-noise amplitude Q_s for programmed conductance `gProg` (µS).
  public func readNoiseQ(programmed gProg: Double) -> Double {
    min(0.0088 / max(pow(abs(gProg) / gMax, 0.65), 1e-3), 0.2)
  }

  /// √ln((t + t_read)/(2·t_read)) for t = tInf + t₀ (dimensionless).
  public func readNoiseTimeFactor(after tInf: Time) -> Double {
    let t = tInf.baseValue + t0.baseValue
    let r = tRead.baseValue
    return log((t + r) / (2 * r)).squareRoot()
  }

  public func programmed(_ g: Tensor, rng: inout SplitMix64) -> Tensor {
    var out = g.scalars
    for i in out.indices {
      let gT = Double(g.scalars[i])
      let xi = rng.nextGaussian()
      if programmingNoiseScale == 0 { continue }  // exact identity; the draw keeps streams aligned
      out[i] = Float(max(0, gT + programmingNoiseScale * programmingSigma(target: gT) * xi))
    }
    return Tensor(shape: g.shape, scalars: out)
  }

  public func driftExponents(for g: Tensor, rng: inout SplitMix64) -> Tensor? {
    var out = [Float](repeating: 0, count: g.count)
    for i in out.indices {
      let (mu, sigma) = driftParameters(target: Double(g.scalars[i]))
      out[i] = Float(abs(mu + sigma * rng.nextGaussian()) * driftScale)
    }
    return Tensor(shape: g.shape, scalars: out)
  }

  public func read(_ g: Tensor, drift: Tensor?, after tInf: Time, rng: inout SplitMix64) -> Tensor {
    let t = tInf.baseValue + t0.baseValue
    let ratio = t / t0.baseValue
    let timeFactor = t > 0 ? readNoiseTimeFactor(after: tInf) : 0
    var out = g.scalars
    for i in out.indices {
      let gProg = Double(g.scalars[i])
      var gDrift = gProg
      if let drift, t > t0.baseValue {
        let nu = Double(drift.scalars[i])
        if nu != 0 { gDrift = gProg * pow(ratio, -nu) }
      }
      let xi = rng.nextGaussian()
      var gFinal = gDrift
      if readNoiseScale != 0 && t > 0 {
        gFinal += abs(gDrift) * readNoiseScale * readNoiseQ(programmed: gProg) * timeFactor * xi
      }
      out[i] = Float(max(0, gFinal))
    }
    return Tensor(shape: g.shape, scalars: out)
  }
}
