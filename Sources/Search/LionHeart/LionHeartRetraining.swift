import Execution
import HybrixCore
import HybrixNumerics
import Mapping

/// What LionHeart's per-step hardware-aware retraining needs besides the search problem: the
/// trainable network with the original weights (the same weights the probe holds), the training
/// images (never the probe's validation or test images) and the settings
/// (``Execution/HWARetrainingSettings``). `LionHeartStrategy(retraining:)` takes it.
public struct LionHeartRetraining: Sendable {
  public var network: any HWARetrainable
  public var training: Dataset
  /// Words for the report: "Fashion-MNIST training images 0..<60000".
  public var trainingImages: String
  public var settings: HWARetrainingSettings

  public init(network: any HWARetrainable, training: Dataset, trainingImages: String, settings: HWARetrainingSettings) {
    self.network = network
    self.training = training
    self.trainingImages = trainingImages
    self.settings = settings
  }
}

/// One candidate's retraining, as the report shows it.
public struct LionHeartRetrainingTrace: Codable, Sendable, Hashable {
  /// Validation drop of the trial set after each round (sequential stopping against the threshold).
  public var rounds: [AccuracyDrop]
  /// Index into ``rounds`` of the best (smallest) drop: the weights kept for the decision.
  public var keptRound: Int
  /// Optimizer steps taken.
  public var steps: Int
  /// ``Execution/TrainableNetwork/parameterDigest`` of the weights the candidate started from
  /// and of the kept round's weights.
  public var startWeights: String
  public var keptWeights: String
}

/// How the retraining ran, for the outcome.
public struct LionHeartRetrainingSummary: Codable, Sendable, Hashable {
  public var stepsPerRound: Int
  public var rounds: Int
  public var patience: Int
  public var batchSize: Int
  public var digitalLearningRate: Double
  public var analogLearningRate: Double
  public var momentum: Double
  public var arithmetic: String
  public var trainingImages: String
  /// Which weights the reported figures are for.
  public var weights: String
  /// Digest of the final (last accepted) weights.
  public var finalWeights: String

  init(_ r: LionHeartRetraining, finalWeights network: any HWARetrainable) {
    let s = r.settings
    self.stepsPerRound = s.steps
    self.rounds = s.rounds
    self.patience = s.patience
    self.batchSize = max(1, min(s.batchSize, r.training.count))
    self.digitalLearningRate = Double(s.digitalLearningRate)
    self.analogLearningRate = Double(s.analogLearningRate)
    self.momentum = Double(s.momentum)
    self.arithmetic = s.arithmetic
    self.trainingImages = r.trainingImages
    self.weights =
      "the validation and test figures are for the last accepted retrained weights (digest \(network.parameterDigest)); "
      + "drops are against the all-digital original model"
    self.finalWeights = network.parameterDigest
  }
}

extension MonteCarloAccuracyProbe {
  /// The same probe (graph, architecture, images, settings) over `network`'s weights. The
  /// reference accuracies stay those of this probe's network — the all-digital *original* model
  /// (S₀), as LionHeart's threshold is against it; every repeat and activation cache is new
  /// (they depend on the weights).
  func withWeights(_ network: any ProductNetwork) async throws(ConfigError) -> MonteCarloAccuracyProbe {
    _ = try await referenceAccuracy()
    let p = try MonteCarloAccuracyProbe(
      network: network, graph: graph, architecture: architecture, images: images, labels: labels, settings: settings)
    let references = cache.withLock { $0.references }
    p.cache.withLock { $0.references = references }
    return p
  }
}

extension SplitAccuracyProbe {
  func withWeights(_ network: any ProductNetwork) async throws(ConfigError) -> SplitAccuracyProbe {
    SplitAccuracyProbe(
      validation: try await validation.withWeights(network), test: try await test.withWeights(network),
      validationImages: validationImages, testImages: testImages)
  }
}

extension LionHeartSearch {
  /// `probe` over `network`'s weights (references kept: see ``MonteCarloAccuracyProbe/withWeights(_:)``).
  func reweighted(_ probe: any AccuracyProbe, weights network: any ProductNetwork) async throws(ConfigError) -> any AccuracyProbe {
    if let p = probe as? SplitAccuracyProbe { return try await p.withWeights(network) }
    if let p = probe as? MonteCarloAccuracyProbe { return try await p.withWeights(network) }
    throw ConfigError(
      path: "--retrain-steps", message: "the accuracy probe cannot take retrained weights",
      expected: "a Monte-Carlo accuracy probe over a trained model", hint: "pass --weights and the Fashion-MNIST data")
  }

  /// The paper's loop with per-step HWA retraining (papers.md §2.4 step 4): for each candidate,
  /// the last accepted weights retrain with the trial set on the HWA arithmetic, in rounds; after
  /// each round the validation drop of the retrained weights at T; the best round is kept; the
  /// retraining stops after ``HWARetrainingSettings/rounds`` rounds or ``HWARetrainingSettings/patience``
  /// rounds without a better drop; the candidate is accepted when the best drop ≤ X (its weights
  /// become the accepted checkpoint), else the accepted checkpoint stays. Returns the analog set,
  /// the steps, the final weights and the probe over them.
  func chooseRetraining(_ r: LionHeartRetraining) async throws(ConfigError)
    -> (set: [Int], steps: [LionHeartStep], network: any HWARetrainable, probe: any AccuracyProbe)
  {
    var accepted: [Int] = []
    var steps: [LionHeartStep] = []
    var weights = r.network
    var current = probe
    let root = SplitMix64(seed: r.settings.seed)
    for (k, c) in candidates.enumerated() {
      if problem.isOverBudget { break }
      guard supported(c) else { steps.append(step(c, .unsupported, nil, accepted)); continue }
      guard fits(accepted + [c]) else { steps.append(step(c, .noTiles, nil, accepted)); continue }
      let trial = accepted + [c]
      var stream = root.split(taskIndex: 1000 + UInt64(k))
      var run = try HWARetrainingRun(
        network: weights, analog: Set(trial.map { problem.graph.operators[$0].name }), training: r.training,
        settings: r.settings, stream: stream.next())
      var drops: [AccuracyDrop] = []
      var best: (round: Int, network: any HWARetrainable, probe: any AccuracyProbe)?
      for round in 0..<r.settings.rounds {
        if problem.isOverBudget { break }
        let net = try run.round()
        let p = try await reweighted(probe, weights: try net.inferenceNetwork())
        let d = try await p.searchDrop(of: plan(trial), at: time, threshold: threshold)
        problem.ledger.recordProbe()
        drops.append(d)
        if let b = best, d.points >= drops[b.round].points {
          if round - b.round >= r.settings.patience { break }
        } else {
          best = (round, net, p)
        }
      }
      guard let best else { break }
      let ok = drops[best.round].points <= threshold
      let trace = LionHeartRetrainingTrace(
        rounds: drops, keptRound: best.round, steps: run.stepsTaken, startWeights: weights.parameterDigest,
        keptWeights: best.network.parameterDigest)
      if ok {
        accepted.append(c)
        weights = best.network
        current = best.probe
      }
      var s = step(c, ok ? .accepted : .rejected, drops[best.round], accepted)
      s.retraining = trace
      steps.append(s)
    }
    return (accepted, steps, weights, current)
  }
}
