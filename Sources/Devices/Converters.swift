import HybrixCore
import HybrixNumerics

/// A symmetric uniform converter (DAC or ADC): clip to [−bound, bound], then round to the nearest
/// multiple of the step.
///
/// aihwkit writes the resolution as a fraction of the full range, `res = 1/(2^b − 2)`
/// (`IBM/aihwkit` src/aihwkit/simulator/parameters/io.py, `inp_res`/`out_res`). Here the step is
/// res·2·bound, so a b-bit converter has 2^b − 1 levels symmetric around 0 with 0 exact
/// [INFERENCE: the scaling of `res` by the bound lives in RPUCuda and was not re-read].
///
/// - Parameters:
///   - bound: Full-scale value, in the converter's normalized units (DAC 1, ADC 12 in aihwkit).
///   - resolution: Step as a fraction of the range 2·bound; `0` means no quantization.
public struct UniformQuantizer: Sendable, Hashable {
  public var bound: Float
  public var resolution: Float

  public init(bound: Float, resolution: Float) {
    precondition(bound > 0 && resolution >= 0, "need bound > 0 and resolution ≥ 0")
    self.bound = bound
    self.resolution = resolution
  }

  /// A b-bit converter on [−bound, bound]: resolution 1/(2^b − 2).
  public init(bits: Int, bound: Float) {
    precondition((2...24).contains(bits), "bits \(bits) not in 2...24")
    self.init(bound: bound, resolution: 1 / Float((1 << bits) - 2))
  }

  /// Distance between adjacent levels (0 without quantization).
  public var step: Float { resolution * 2 * bound }

  public func quantize(_ v: Float) -> Float {
    let clipped = min(max(v, -bound), bound)
    guard resolution > 0 else { return clipped }
    // In Double so that the end levels are exactly ±bound after rounding back to Float.
    let s = Double(resolution) * 2 * Double(bound)
    let level = Float((Double(clipped) / s).rounded(.toNearestOrEven) * s)
    return min(max(level, -bound), bound)
  }

  /// ``quantize(_:)`` for hot loops, bit for bit the same (−0 included): `step` is
  /// ``stepInDouble``, and rounding to the nearest integer (ties to even) adds and subtracts
  /// 1.5·2⁵², exact for |t| < 2⁵¹ [Goldberg, "What every computer scientist should know about
  /// floating-point arithmetic", 1991]; here |t| ≤ 1/(2·resolution) ≤ 2²³ (at most 24 bits), or
  /// the clipped value itself without quantization. Inlined so that loops over buffers vectorize
  /// (`rounded(.toNearestOrEven)` calls libm `rint` on baseline x86-64).
  @inline(__always)
  func quantize(_ v: Float, step: Double) -> Float {
    let clipped = min(max(v, -bound), bound)
    guard step > 0 else { return clipped }
    let t = Double(clipped) / step
    let magic = 0x1.8p52
    let rounded = Double(signOf: t, magnitudeOf: (abs(t) + magic) - magic)
    let level = Float(rounded * step)
    return min(max(level, -bound), bound)
  }

  /// The step ``quantize(_:step:)`` expects, computed as ``quantize(_:)`` does (0: none).
  var stepInDouble: Double { resolution > 0 ? Double(resolution) * 2 * Double(bound) : 0 }
}

/// How inputs are scaled before the DAC [aihwkit `NoiseManagementType`].
public enum NoiseManagement: Sendable, Hashable {
  /// Inputs go to the DAC as given.
  case none
  /// Each input vector is divided by α = max|x| and its outputs multiplied by α.
  case absMax
}

/// What happens when the ADC saturates [aihwkit `BoundManagementType`].
public enum BoundManagement: Sendable, Hashable {
  /// Saturated outputs stay clipped.
  case none
  /// Halve the input scale and recompute the vector while any output saturates, at most
  /// `maxHalvings` times (aihwkit ITERATIVE); the last pass keeps its clipped outputs.
  case iterative(maxHalvings: Int)

  /// aihwkit's ITERATIVE stopping rule: passes run with reduction R = 1, 2, 4, … and stop after
  /// the first pass with R > `maxFactor` (`max_bm_factor`, default 1000) or, with an input
  /// resolution, R > `maxResolution` / (inp_res · 2 · inp_bound) (`max_bm_res`, default 0.25).
  /// For LionHeart's 8-bit DAC on [−1, 1] (inp_res 1/254) the second rule binds: R > 31.75, so the
  /// last pass has R = 32, 5 halvings; the output of that pass is returned clipped
  /// (`IBM/aihwkit` src/aihwkit/simulator/tiles/torch_tile: the `bound_test_passed` loop).
  public static func aihwkitIterative(
    dac: UniformQuantizer, maxFactor: Double = 1000, maxResolution: Double = 0.25
  ) -> BoundManagement {
    let stepNormalized = dac.resolution > 0 ? Double(dac.resolution) * 2 * Double(dac.bound) : 0
    var halvings = 0
    var reduction = 1.0
    while !(reduction > maxFactor || (stepNormalized > 0 && reduction > maxResolution / stepNormalized)) {
      reduction *= 2
      halvings += 1
    }
    return .iterative(maxHalvings: halvings)
  }
}

/// Peripheral settings of an analog tile's forward pass [aihwkit `IOParameters`].
///
/// - Parameters:
///   - dac: Input converter (normalized input units, bound `inp_bound`).
///   - adc: Output converter (normalized output units, bound `out_bound`).
///   - outputNoise: Standard deviation of the additive Gaussian at each output before the ADC,
///     in normalized output units (`out_noise`).
public struct AnalogIO: Sendable, Hashable {
  public var dac: UniformQuantizer
  public var adc: UniformQuantizer
  public var outputNoise: Float
  public var noiseManagement: NoiseManagement
  public var boundManagement: BoundManagement

  public init(
    dac: UniformQuantizer, adc: UniformQuantizer, outputNoise: Float,
    noiseManagement: NoiseManagement, boundManagement: BoundManagement
  ) {
    precondition(outputNoise >= 0, "output noise must be ≥ 0")
    self.dac = dac
    self.adc = adc
    self.outputNoise = outputNoise
    self.noiseManagement = noiseManagement
    self.boundManagement = boundManagement
  }

  /// LionHeart's IO: 8-bit DAC on [−1, 1], 8-bit ADC on [−12, 12], out_noise 0.06, ABS_MAX,
  /// ITERATIVE (`IBM/lionheart` lionheart/models/common/gen_rpu_config.py; bounds are aihwkit
  /// defaults). Bound management stops as aihwkit's does (``BoundManagement/aihwkitIterative(dac:maxFactor:maxResolution:)``):
  /// at most 5 halvings at 8-bit inputs, `max_bm_res` 0.25 binding before `max_bm_factor` 1000.
  public static let lionHeart = AnalogIO(
    dac: UniformQuantizer(bits: 8, bound: 1), adc: UniformQuantizer(bits: 8, bound: 12),
    outputNoise: 0.06, noiseManagement: .absMax,
    boundManagement: .aihwkitIterative(dac: UniformQuantizer(bits: 8, bound: 1)))
}
