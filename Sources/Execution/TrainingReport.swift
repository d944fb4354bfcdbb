import Foundation
import HybrixNumerics

/// The result of a training run: configuration, per-epoch loss and accuracy, and times.
/// Plain `Codable` data; `hybrix train --json` prints it with ``schema`` `hybrix.train.v1`.
public struct TrainingReport: Hashable, Sendable, Codable {
  /// Versioned schema name of the JSON form.
  public var schema = "hybrix.train.v1"
  public var model: String
  public var dataset: String
  public var trainSamples: Int
  public var testSamples: Int
  /// Trainable scalars of the model.
  public var parameters: Int
  public var configuration: TrainingConfiguration
  /// The initial learning rate in effect (the configured one or the optimizer's default).
  public var learningRate: Float
  /// The matrix-multiply backend, e.g. `OpenBLAS (libopenblas.so.0, 1 thread)`.
  public var gemmBackend: String
  public var epochs: [EpochResult] = []
  /// Wall time of the whole run, in seconds (evaluation included).
  public var seconds: Double = 0
  /// Where the trained model was written, if it was.
  public var checkpoint: String? = nil

  public init(
    model: String, dataset: String, trainSamples: Int, testSamples: Int, parameters: Int,
    configuration: TrainingConfiguration
  ) {
    self.model = model
    self.dataset = dataset
    self.trainSamples = trainSamples
    self.testSamples = testSamples
    self.parameters = parameters
    self.configuration = configuration
    self.learningRate = configuration.resolvedLearningRate
    self.gemmBackend = GEMM.backendDescription
  }

  /// Test accuracy after the last epoch (`nil` without a test split).
  public var finalTestAccuracy: Double? { epochs.last?.testAccuracy }

  /// Provenance for a checkpoint's `doc_string`: `tool` (e.g. "hybrix 0.9") and how the model
  /// was trained.
  public func provenance(tool: String) -> String {
    let c = configuration
    var text = "\(tool): \(model) trained on \(dataset) "
    text += "(\(trainSamples) images) for \(c.epochs) epochs, \(c.optimizer.rawValue) lr \(learningRate) "
    text += "\(c.schedule.rawValue), batch \(c.batchSize), arithmetic \(c.arithmetic), seed \(c.seed)"
    if let acc = finalTestAccuracy { text += String(format: "; test accuracy %.4f", acc) }
    return text
  }
}

/// One epoch of a ``TrainingReport``.
public struct EpochResult: Hashable, Sendable, Codable {
  /// 1-based.
  public var epoch: Int
  /// Mean softmax cross-entropy over the epoch's training batches, in nats, each batch's loss
  /// taken before its update.
  public var trainLoss: Double
  /// Fraction of training samples classified correctly by the logits of their batch.
  public var trainAccuracy: Double
  /// Fraction of the test split classified correctly after the epoch (inference mode).
  public var testAccuracy: Double?
  /// Wall time of the epoch including its evaluation, in seconds.
  public var seconds: Double
  /// Learning rate of the epoch's last step.
  public var learningRate: Float

  public init(
    epoch: Int, trainLoss: Double, trainAccuracy: Double, testAccuracy: Double?, seconds: Double,
    learningRate: Float
  ) {
    self.epoch = epoch
    self.trainLoss = trainLoss
    self.trainAccuracy = trainAccuracy
    self.testAccuracy = testAccuracy
    self.seconds = seconds
    self.learningRate = learningRate
  }
}
