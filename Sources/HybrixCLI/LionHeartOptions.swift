import ArgumentParser
import Execution
import HybrixCore
import HybrixNumerics
import Search

/// `map`'s friendly flags for `--strategy lionheart` (and for an accuracy threshold with any
/// strategy): they become the goal's `accuracy-drop<=X@T` constraint and the strategy's options.
struct LionHeartOptions: ParsableArguments {
  @Option(name: .customLong("accuracy-drop"), help: "Largest accuracy drop against the all-digital model, in points (lionheart's threshold; adds the constraint accuracy-drop<=X@AT).")
  var accuracyDrop: Double?

  @Option(name: .long, help: "Time after programming at which the accuracy is judged (default 1d).")
  var at: String?

  @Option(name: .customLong("accuracy-margin"), help: "lionheart: decide against --accuracy-drop minus this many points on the validation images, so the drop on other images stays within the limit more often (default 0, the paper's loop).")
  var accuracyMargin: Double?

  @Flag(name: .long, help: "lionheart: rank and accept by per-layer sensitivity measured once, one Monte-Carlo check at the end.")
  var fast = false

  @Option(name: .long, help: "lionheart: plan re-programming over this lifetime, e.g. 1y.")
  var lifetime: String?

  @Option(name: .customLong("retrain-steps"), help: "lionheart: hardware-aware retraining after each step, N optimizer steps per round on the Fashion-MNIST training images (0: none).")
  var retrainSteps: Int?

  @Option(name: .customLong("retrain-rounds"), help: "lionheart: retraining rounds per candidate at most (default 3).")
  var retrainRounds: Int?

  @Option(name: .long, help: "lionheart: retraining rounds without a better drop before a candidate stops (default 1, the paper's).")
  var patience: Int?

  @Option(name: .customLong("retrain-images"), help: "lionheart: retrain on the first N Fashion-MNIST training images (default all 60 000).")
  var retrainImages: Int?

  @Option(name: .customLong("save-weights"), help: "lionheart with --retrain-steps: write the final retrained network to this ONNX file.")
  var saveWeights: String?

  /// Whether `search` runs lionheart.
  func isLionHeart(_ search: SearchOptions) -> Bool {
    search.strategy.split(separator: ":").first.map(String.init) == LionHeartStrategy.name
  }

  /// `search` with the threshold as a constraint and the lionheart flags as strategy options.
  func applied(to search: SearchOptions) throws(ConfigError) -> SearchOptions {
    var s = search
    if let accuracyDrop {
      guard accuracyDrop.isFinite, accuracyDrop >= 0 else {
        throw ConfigError(
          path: "--accuracy-drop", message: "\(accuracyDrop)", expected: "a drop ≥ 0 percentage points",
          hint: "the drop is all-digital minus mapped accuracy, e.g. --accuracy-drop 2")
      }
      let time = try Time.parse(at ?? "1d", path: "--at")
      guard time.seconds.isFinite, time.seconds >= 0 else {
        throw ConfigError(path: "--at", message: "\"\(at ?? "")\"", expected: "a time ≥ 0 after programming, e.g. 1d")
      }
      s.constraint.append("accuracy-drop<=\(accuracyDrop)@\(time.seconds)s")
    } else if let at {
      throw ConfigError(path: "--at", message: "--at \(at) without --accuracy-drop", expected: "--accuracy-drop POINTS --at TIME")
    }
    let flags: [(flag: String, option: String, value: String?)] = [
      ("--fast", "mode", fast ? "fast" : nil), ("--lifetime", "lifetime", lifetime),
      ("--accuracy-margin", "margin", accuracyMargin.map { "\($0)" }),
    ]
    let given = flags.filter { $0.value != nil }
    let wanted = given.compactMap { f in f.value.map { "\(f.option)=\($0)" } }
    if let first = given.first {
      guard isLionHeart(search) else {
        throw ConfigError(
          path: first.flag, message: "only lionheart takes this flag (strategy \(search.strategy))",
          expected: "--strategy lionheart")
      }
      s.strategyOptions += wanted
    }
    return s
  }

  /// The retraining `--retrain-steps` asks for, or `nil` (no flag, or 0 steps: the loop as
  /// without retraining). The trainable network is read from the same file as the probe's
  /// (`--weights`, or the ONNX MODEL); the training images from `dataDirectory`.
  ///
  /// - Throws: ``ConfigError`` for a negative step count, rounds or patience below 1, the
  ///   retraining flags without `--retrain-steps` or with another strategy, missing training
  ///   data, or a checkpoint that is not a trainable network.
  func retraining(
    _ search: SearchOptions, model: String, weights: String?, dataDirectory: String, seed: UInt64
  ) throws(ConfigError) -> LionHeartRetraining? {
    if let retrainSteps, retrainSteps < 0 {
      throw ConfigError(path: "--retrain-steps", message: "\(retrainSteps)", expected: "a number of optimizer steps ≥ 0 (0: no retraining)", hint: "e.g. --retrain-steps 50")
    }
    let extras = [
      ("--retrain-rounds", retrainRounds != nil), ("--patience", patience != nil), ("--save-weights", saveWeights != nil),
      ("--retrain-images", retrainImages != nil),
    ]
    guard let steps = retrainSteps else {
      if let (flag, _) = extras.first(where: { $0.1 }) {
        throw ConfigError(path: flag, message: "\(flag) without --retrain-steps", expected: "--retrain-steps N with \(flag)")
      }
      return nil
    }
    guard isLionHeart(search) else {
      throw ConfigError(
        path: "--retrain-steps", message: "only lionheart takes this flag (strategy \(search.strategy))", expected: "--strategy lionheart")
    }
    if fast {
      throw ConfigError(
        path: "--retrain-steps", message: "retraining runs after each step of the full loop; --fast has no steps to retrain after",
        expected: "--retrain-steps without --fast", hint: "drop --fast, or drop --retrain-steps")
    }
    let settings = HWARetrainingSettings(steps: max(steps, 1), rounds: retrainRounds ?? 3, patience: patience ?? 1, seed: seed)
    try settings.validate()
    guard steps > 0 else {
      if saveWeights != nil { throw ConfigError(path: "--save-weights", message: "with --retrain-steps 0", expected: "--retrain-steps N ≥ 1 to retrain weights worth saving") }
      return nil
    }
    let path = weights ?? model
    let network: any HWARetrainable
    if let chain = try? Network.load(onnx: path) {
      network = chain
    } else {
      do throws(ConfigError) {
        network = try GraphNetwork.load(onnx: path)
      } catch {
        var e = error
        e.message = "cannot retrain: not a trainable network (\(error.message))"
        e.expected = "a checkpoint written by `hybrix train` (a chain or a graph of the supported layers)"
        throw e
      }
    }
    if let retrainImages, retrainImages < 1 {
      throw ConfigError(path: "--retrain-images", message: "\(retrainImages)", expected: "at least 1 training image")
    }
    let training = try FashionMNIST.load(split: .train, directory: dataDirectory, limit: retrainImages)
    return LionHeartRetraining(
      network: network, training: training,
      trainingImages: "Fashion-MNIST training images 0..<\(training.count)", settings: settings)
  }
}
