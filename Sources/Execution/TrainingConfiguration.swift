import Foundation
import HybrixCore
import HybrixNumerics

/// How ``Trainer`` trains: epochs, mini-batches, optimizer, learning-rate schedule, arithmetic
/// and seed. Plain `Codable` data, written into every ``TrainingReport``.
public struct TrainingConfiguration: Hashable, Sendable, Codable {
  public enum OptimizerKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// SGD with momentum (``HybrixNumerics/SGD``), the default: steady for CNNs with batch norm.
    case sgd
    /// Adam (``HybrixNumerics/Adam``).
    case adam
  }

  /// The learning rate over training, as a factor of ``learningRate`` by step.
  public enum Schedule: String, Hashable, Sendable, Codable, CaseIterable {
    case constant
    /// `½ (1 + cos(π t / T))` over all T steps (Loshchilov & Hutter, ICLR 2017, without restarts).
    case cosine
    /// ×0.1 after half of the steps and again after three quarters.
    case step
  }

  /// Passes over the training set (≥ 1).
  public var epochs = 1
  /// Samples per mini-batch (≥ 1); the last batch of an epoch may be smaller.
  public var batchSize = 64
  public var optimizer = OptimizerKind.sgd
  /// Initial step size; ``defaultLearningRate(for:)`` when `nil`.
  public var learningRate: Float? = nil
  /// SGD momentum μ in [0, 1).
  public var momentum: Float = 0.9
  /// SGD L2 coefficient added to every gradient (also applied to biases and batch-norm terms).
  public var weightDecay: Float = 0
  public var schedule = Schedule.cosine
  /// A name from ``Devices/ArithmeticRegistry``: every product of every layer (forward, input
  /// gradient, weight gradient) runs through it. `fp32` runs the exact Float32 fast path.
  public var arithmetic = "fp32"
  /// Seeds the initialisation, the sample order and the arithmetic: the same seed gives the
  /// same weights bit for bit.
  public var seed: UInt64 = 0

  public init() {}

  /// 0.01 for SGD with momentum 0.9, 0.001 for Adam. (On small-cnn, 0.02 and 0.05 learned
  /// more slowly in the first epoch: 81.9 % and 76.8 % test accuracy after 8 192 images, against
  /// 84.0 % at 0.01; docs/training.md.)
  public static func defaultLearningRate(for optimizer: OptimizerKind) -> Float {
    optimizer == .sgd ? 0.01 : 0.001
  }

  /// The learning rate in effect.
  public var resolvedLearningRate: Float {
    learningRate ?? Self.defaultLearningRate(for: optimizer)
  }

  /// The step size for step `step` of `total` (0-based) under ``schedule``.
  public func learningRate(step: Int, of total: Int) -> Float {
    learningRate(progress: total > 0 ? Double(step) / Double(total) : 0)
  }

  /// The step size after the fraction `progress` (0 ≤ progress < 1) of all steps.
  public func learningRate(progress: Double) -> Float {
    let base = resolvedLearningRate
    switch schedule {
    case .constant: return base
    case .cosine: return base * Float(0.5 * (1 + cos(Double.pi * progress)))
    case .step: return base * (progress >= 0.75 ? 0.01 : progress >= 0.5 ? 0.1 : 1)
    }
  }

  /// Checks every field, naming the command-line flag in the error.
  public func validate() throws(ConfigError) {
    guard epochs >= 1 else {
      throw ConfigError(
        path: "--epochs", message: "\(epochs) epochs", expected: "an integer ≥ 1")
    }
    guard batchSize >= 1 else {
      throw ConfigError(
        path: "--batch-size", message: "batch size \(batchSize)", expected: "an integer ≥ 1")
    }
    let lr = resolvedLearningRate
    guard lr.isFinite, lr > 0 else {
      throw ConfigError(path: "--lr", message: "learning rate \(lr)", expected: "a number > 0")
    }
    guard momentum.isFinite, (0..<1).contains(momentum) else {
      throw ConfigError(
        path: "--momentum", message: "momentum \(momentum)", expected: "a number in [0, 1)")
    }
    guard weightDecay.isFinite, weightDecay >= 0 else {
      throw ConfigError(
        path: "--weight-decay", message: "weight decay \(weightDecay)", expected: "a number ≥ 0")
    }
  }

  /// A fresh optimizer for this configuration at its initial learning rate.
  func makeOptimizer() -> TrainingOptimizer {
    switch optimizer {
    case .sgd:
      .sgd(SGD(learningRate: resolvedLearningRate, momentum: momentum, weightDecay: weightDecay))
    case .adam:
      .adam(Adam(learningRate: resolvedLearningRate))
    }
  }
}

/// The optimizer ``Trainer`` drives, whose learning rate the schedule sets before each step.
enum TrainingOptimizer: Optimizer {
  case sgd(SGD)
  case adam(Adam)

  var learningRate: Float {
    get {
      switch self {
      case .sgd(let o): o.learningRate
      case .adam(let o): o.learningRate
      }
    }
    set {
      switch self {
      case .sgd(var o):
        o.learningRate = newValue
        self = .sgd(o)
      case .adam(var o):
        o.learningRate = newValue
        self = .adam(o)
      }
    }
  }

  mutating func update(_ parameters: inout [Tensor], gradients: [Tensor]) {
    switch self {
    case .sgd(var o):
      o.update(&parameters, gradients: gradients)
      self = .sgd(o)
    case .adam(var o):
      o.update(&parameters, gradients: gradients)
      self = .adam(o)
    }
  }
}
