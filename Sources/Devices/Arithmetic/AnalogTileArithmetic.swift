import HybrixCore
import HybrixNumerics

/// Products on an analog PCM tile as LionHeart evaluates them with aihwkit's inference tiles
/// (`InferenceRPUConfig`, `PCMLikeNoiseModel(g_max=25)`, global drift compensation; papers.md §2.3).
///
/// What is modelled, in order:
/// 1. ``realize(weights:)`` (once per Monte-Carlo repeat): each column of the `[k, n]` weights is
///    divided by its max |w| (column-wise `weight_scaling_omega = 1`), the normalized weights are
///    programmed once through `converter` and `noise` (programming noise and drift exponents drawn
///    here), then read for the compensation reference (as programmed, without read noise, as
///    aihwkit does; with read noise at t_inference = 0 when ``referenceReadNoise``) and at
///    ``time`` for inference. The compensation factor
///    α = r₀/r_t compares the tile's answer to the read-out inputs of `compensation` (one-hot
///    vectors for ``GlobalDriftCompensation``), each read through the tile's forward pass
///    (DAC, output noise, ADC) as aihwkit does. The tile keeps the normalized read weights, the
///    column scales and α; it returns the read weights in the caller's units (columns scaled back)
///    so the network holds what the devices hold.
/// 2. `.forward` with `b` equal to the realized weights (or one contiguous column block of them, as
///    a grouped convolution passes): the stored normalized conductance-weights go through
///    ``AnalogMVM`` (8-bit DAC with ABS_MAX noise management, σ = 0.06 output noise, 8-bit ADC on
///    ±12, iterative bound management), outputs × column scale × α. Read noise is not re-drawn per
///    batch (aihwkit draws it once per `drift_weights` call).
/// 3. `.forward` with any other `b` (no `realize`, or weights changed since): no device noise; the
///    IO model on column-normalized `b` (``AnalogMVM/forwardColumnScaled``), after an optional
///    hardware-aware-training perturbation w ← w·(1 + σ·ξ) per weight and call (LionHeart's
///    MULT_NORMAL weight modifier, σ = 0.08, papers.md §2.3 [INFERENCE on its exact form]).
/// 4. `.inputGradient` and `.weightGradient`: exact Float32, as aihwkit's inference tiles run a
///    digital backward pass.
///
/// Not modelled: IR drop, tiling to 256×256 (one tile holds the whole matrix), learnable output
/// scales (fixed to the column max), and re-drawing programming noise between evaluations.
public struct AnalogTileArithmetic: ProductArithmetic {
  public var noise: any NoiseModel
  public var converter: any ConductanceConverter
  public var io: AnalogIO
  /// Time after programming at which inference runs (aihwkit `t_inference`), ≥ 0.
  public var time: Time
  public var compensation: (any DriftCompensation)?
  /// σ of the relative Gaussian weight perturbation on the non-realized forward path (0: off).
  public var trainingWeightNoise: Float
  /// Whether the drift-compensation reference r₀ is read with read noise (`false`, aihwkit's
  /// choice: `GlobalDriftCompensation.init_baseline` reads the programmed conductances as
  /// programmed, without drift or read noise; the forward pass around them keeps its IO noise).
  public var referenceReadNoise: Bool
  private var rng: SplitMix64
  private var tile: Tile?

  /// What ``realize(weights:)`` left on the tile.
  struct Tile: Sendable {
    var realized: Tensor
    var normalized: Tensor
    var columnScales: [Float]
    var factor: Float
  }

  /// - Parameters:
  ///   - noise: Device model (default aihwkit `PCMLikeNoiseModel`, g_max 25 µS).
  ///   - converter: Weight → conductance pair mapping (default single pair, 25 µS).
  ///   - io: Converters and output noise (default LionHeart's, ``AnalogIO/lionHeart``).
  ///   - time: Inference time after programming, ≥ 0 (LionHeart default 1 day = 86 400 s).
  ///   - compensation: Drift compensation, `nil` for none.
  ///   - trainingWeightNoise: HWA-training weight noise σ (relative), ≥ 0.
  ///   - seed: Seed of every random draw of this arithmetic.
  public init(
    noise: any NoiseModel = PCMNoiseModel.lionHeart,
    converter: any ConductanceConverter = SinglePairConductanceConverter(),
    io: AnalogIO = .lionHeart, time: Time = .seconds(86_400),
    compensation: (any DriftCompensation)? = GlobalDriftCompensation(),
    trainingWeightNoise: Float = 0, referenceReadNoise: Bool = false, seed: UInt64
  ) throws(ConfigError) {
    guard time.baseValue.isFinite, time.baseValue >= 0 else {
      throw ConfigError(path: "time", message: "inference time \(time.baseValue) s is negative",
        expected: "a time ≥ 0 after programming", hint: "e.g. 1 s, 1 h, 1 d or 1 y")
    }
    try Check.nonNegative(Double(trainingWeightNoise), "training_weight_noise")
    self.noise = noise
    self.converter = converter
    self.io = io
    self.time = time
    self.compensation = compensation
    self.trainingWeightNoise = trainingWeightNoise
    self.referenceReadNoise = referenceReadNoise
    self.rng = SplitMix64(seed: seed)
  }

  public var name: String {
    "pcm(t=\(Self.format(time)), \(compensation == nil ? "no compensation" : "global drift compensation"))"
  }

  /// `t` in the largest of y, d, h, min, s that keeps the value ≥ 1 ("1 d", "20 s").
  static func format(_ t: Time) -> String {
    let units: [(String, Double)] = [("y", 365.25 * 86_400), ("d", 86_400), ("h", 3600), ("min", 60)]
    let s = t.baseValue
    for (symbol, factor) in units where s >= factor {
      let v = s / factor
      return v == v.rounded() ? "\(Int(v)) \(symbol)" : "\(v) \(symbol)"
    }
    return s == s.rounded() && s < 1e9 ? "\(Int(s)) s" : "\(s) s"
  }

  /// α = r₀/r_t of the last ``realize(weights:)`` (1 without compensation), `nil` before.
  public var compensationFactor: Float? { tile?.factor }

  public mutating func realize(weights: Tensor) -> Tensor {
    precondition(weights.rank == 2, "realize expects [k, n] weights, got \(weights.shape)")
    let (k, n) = (weights.shape[0], weights.shape[1])
    let scales = weights.columnAbsMax()
    var normalized = weights
    for i in 0..<k {
      for j in 0..<n where scales[j] > 0 { normalized.scalars[i * n + j] /= scales[j] }
    }
    let programmed = noise.program(normalized, converter: converter, rng: &rng)
    var factor: Float = 1
    var readAtT: Tensor
    if let compensation {
      let reference =
        referenceReadNoise
        ? noise.read(programmed, after: .seconds(0), converter: converter, rng: &rng)
        : converter.weights(from: programmed.programmed, mapping: programmed.target)
      let r0 = measure(compensation, reference)
      readAtT = noise.read(programmed, after: time, converter: converter, rng: &rng)
      factor = compensation.factor(reference: r0, current: measure(compensation, readAtT))
    } else {
      readAtT = noise.read(programmed, after: time, converter: converter, rng: &rng)
    }
    var realized = readAtT
    for i in 0..<k {
      for j in 0..<n { realized.scalars[i * n + j] *= scales[j] }
    }
    tile = Tile(realized: realized, normalized: readAtT, columnScales: scales, factor: factor)
    return realized
  }

  private mutating func measure(_ c: any DriftCompensation, _ w: Tensor) -> Float {
    let mvm = AnalogMVM(io: io)
    var r = rng
    var stats = AnalogMVM.Stats()
    let value = c.measure(inputSize: w.shape[0]) { x in
      mvm.forward(x, weights: w, rng: &r, stats: &stats)
    }
    rng = r
    return value
  }

  public mutating func multiply(_ a: Tensor, _ b: Tensor, role: ProductRole) -> Tensor {
    guard role == .forward else { return GEMM.multiply(a, b) }
    let mvm = AnalogMVM(io: io)
    if let tile, let offset = tile.realized.columnBlockOffset(of: b) {
      let width = b.shape[1]
      let w = width == tile.normalized.shape[1] ? tile.normalized : tile.normalized.columns(offset..<(offset + width))
      let scales = (0..<width).map { tile.columnScales[offset + $0] * tile.factor }
      var stats = AnalogMVM.Stats()
      return mvm.forward(a, weights: w, rng: &rng, stats: &stats, outputScales: scales)
    }
    var w = b
    if trainingWeightNoise > 0 {
      let xi = rng.gaussians(count: w.count)
      for i in w.scalars.indices { w.scalars[i] *= 1 + trainingWeightNoise * xi[i] }
    }
    return mvm.forwardColumnScaled(a, weights: w, rng: &rng)
  }
}
