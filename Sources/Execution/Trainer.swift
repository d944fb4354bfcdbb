import Devices
import Foundation
import HybrixCore
import HybrixNumerics

/// Trains a ``Network`` with mini-batch gradient descent and reports loss and accuracy per epoch.
///
/// Each epoch visits the training set in an order shuffled from the seed, takes one optimizer
/// step per mini-batch (learning rate from the schedule, per step), and evaluates the test split
/// in inference mode. With an arithmetic other than `fp32`, every product of every layer —
/// forward, input gradient and weight gradient — runs through that arithmetic's model, each
/// layer with its own seeded instance, and so does the evaluation.
///
/// Determinism: the initialisation (done by whoever built the network), the sample order
/// (stream `seed` split 1) and the arithmetic (stream `seed` split 100 + layer) depend only on
/// the seed, and the kernels are deterministic, so the same seed gives bit-identical weights.
public struct Trainer: Sendable {
  public let configuration: TrainingConfiguration

  /// - Throws: ``ConfigError`` for a bad field (see ``TrainingConfiguration/validate()``) or an
  ///   unknown arithmetic.
  public init(_ configuration: TrainingConfiguration) throws(ConfigError) {
    try configuration.validate()
    if configuration.arithmetic.lowercased() != "fp32" {
      _ = try ArithmeticRegistry.make(configuration.arithmetic, seed: configuration.seed)
    }
    self.configuration = configuration
  }

  /// Sets the configured arithmetic on every product operator of `network`.
  public func applyArithmetic(to network: inout some TrainableNetwork) throws(ConfigError) {
    let exact = configuration.arithmetic.lowercased() == "fp32"
    let root = SplitMix64(seed: configuration.seed)
    for (i, name) in network.trainingProductNames.enumerated() {
      var stream = root.split(taskIndex: 100 + UInt64(i))
      let arithmetic =
        exact ? nil : try ArithmeticRegistry.make(configuration.arithmetic, seed: stream.next())
      try network.setArithmetic(arithmetic, for: name)
    }
  }

  /// Trains `network` in place on `train` and evaluates it on `test` after every epoch.
  ///
  /// - Parameters:
  ///   - datasetName: Written into the report.
  ///   - progress: Called after every training batch and every evaluation batch.
  /// - Throws: ``ConfigError`` when the data does not fit the network, or when the loss stops
  ///   being finite (the learning rate is too high for this model).
  public func train(
    _ network: inout some TrainableNetwork, on train: Dataset, test: Dataset?,
    datasetName: String = "fashion-mnist",
    progress: ((TrainingProgress) -> Void)? = nil
  ) throws(ConfigError) -> TrainingReport {
    try check(train, for: network, split: "train")
    if let test { try check(test, for: network, split: "test") }
    try applyArithmetic(to: &network)
    let c = configuration
    var optimizer = c.makeOptimizer()
    var order = SplitMix64(seed: c.seed).split(taskIndex: 1)
    // No batch is larger than the data set; counts stay far from overflow for any flag value.
    let batchSize = max(1, min(c.batchSize, train.count))
    let batchesPerEpoch = train.count / batchSize + (train.count % batchSize == 0 ? 0 : 1)
    let totalSteps = Double(batchesPerEpoch) * Double(c.epochs)
    var report = TrainingReport(
      model: network.name, dataset: datasetName, trainSamples: train.count,
      testSamples: test?.count ?? 0, parameters: network.parameterCount, configuration: c)
    let start = ContinuousClock.now
    for epoch in 1...c.epochs {
      let epochStart = ContinuousClock.now
      var lossSum = 0.0
      var correct = 0
      var seen = 0
      for (b, batch) in train.batches(size: batchSize, rng: &order).enumerated() {
        let step = Double(epoch - 1) * Double(batchesPerEpoch) + Double(b)
        optimizer.learningRate = c.learningRate(progress: step / totalSteps)
        let (loss, right) = network.trainStep(
          batch.images, labels: batch.labels, optimizer: &optimizer)
        guard loss.isFinite else {
          throw ConfigError(
            path: "--lr",
            message: "training diverged at epoch \(epoch), batch \(b + 1): loss \(loss)",
            expected: "a finite loss",
            hint: "lower the learning rate (now \(c.resolvedLearningRate))")
        }
        lossSum += Double(loss) * Double(batch.labels.count)
        correct += right
        seen += batch.labels.count
        progress?(
          TrainingProgress(
            phase: .training, epoch: epoch, epochs: c.epochs, batch: b + 1,
            batches: batchesPerEpoch,
            loss: lossSum / Double(seen), accuracy: Double(correct) / Double(seen),
            samplesPerSecond: Double(seen) / max(1e-9, epochStart.duration(to: .now).seconds),
            learningRate: optimizer.learningRate))
      }
      var testAccuracy: Double? = nil
      if let test {
        let batches = (test.count + 255) / 256
        testAccuracy = try network.accuracy(images: test.images, labels: test.labels, batchSize: 256) {
          done in
          progress?(
            TrainingProgress(
              phase: .evaluating, epoch: epoch, epochs: c.epochs, batch: (done + 255) / 256,
              batches: batches, loss: lossSum / Double(max(1, seen)),
              accuracy: Double(correct) / Double(max(1, seen)),
              samplesPerSecond: 0, learningRate: optimizer.learningRate))
        }
      }
      report.epochs.append(
        EpochResult(
          epoch: epoch, trainLoss: lossSum / Double(max(1, seen)),
          trainAccuracy: Double(correct) / Double(max(1, seen)), testAccuracy: testAccuracy,
          seconds: epochStart.duration(to: .now).seconds, learningRate: optimizer.learningRate))
    }
    report.seconds = start.duration(to: .now).seconds
    return report
  }

  private func check(_ data: Dataset, for network: some TrainableNetwork, split: String) throws(ConfigError) {
    guard Array(data.images.shape.dropFirst()) == network.sampleShape else {
      throw ConfigError(
        path: "--dataset",
        message: "\(split) images are \(Array(data.images.shape.dropFirst())), "
          + "\(network.name) takes \(network.sampleShape)",
        expected: "images shaped like the model's input",
        hint: "pick a model built for this data set")
    }
    guard data.classNames.count <= network.classes else {
      throw ConfigError(
        path: "--dataset",
        message: "\(data.classNames.count) classes for \(network.classes) outputs",
        expected: "a model with at least one output per class")
    }
  }
}

/// What ``Trainer`` reports after each batch, for a progress line.
public struct TrainingProgress: Hashable, Sendable {
  public enum Phase: String, Hashable, Sendable { case training, evaluating }
  public var phase: Phase
  /// 1-based epoch and batch.
  public var epoch: Int, epochs: Int
  public var batch: Int, batches: Int
  /// Mean loss (nats) and accuracy of the epoch's training batches so far.
  public var loss: Double, accuracy: Double
  /// Training throughput of the epoch so far (0 while evaluating).
  public var samplesPerSecond: Double
  public var learningRate: Float
}

extension Duration {
  /// The duration in seconds.
  var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) * 1e-18
  }
}
