import Execution
import Foundation
import HybrixCore
import HybrixNumerics

/// How each trained checkpoint `reproduce` reads from the models folder was made (the runs and
/// their accuracies are in docs/training.md): the command printed when one is missing, and what
/// `--train-missing` runs. The command line is derived from the configuration, so the two agree.
public struct CheckpointRecipe: Sendable {
  public var model: String
  public var configuration: TrainingConfiguration
  /// Wall minutes the committed run took on the shared 2-core development machine
  /// (docs/training.md), to say what `--train-missing` will cost.
  public var minutes: Int
  /// Train on the first N training images, evaluate on the first N test images (`nil`: all).
  public var trainImages: Int?, testImages: Int?

  /// The recipes of the committed checkpoints (docs/training.md, seed 0, cosine schedule).
  public static let all: [CheckpointRecipe] = [
    CheckpointRecipe(model: "small-cnn", minutes: 13) { $0.epochs = 6; $0.learningRate = 0.01 },
    CheckpointRecipe(model: "tiny-transformer-fm", minutes: 32) {
      $0.epochs = 5; $0.optimizer = .adam; $0.learningRate = 0.001
    },
    CheckpointRecipe(model: "vgg-fm", minutes: 37) {
      $0.epochs = 2; $0.learningRate = 0.05; $0.weightDecay = 0.0001
    },
    CheckpointRecipe(model: "resnet20-fm", minutes: 74) {
      $0.epochs = 1; $0.learningRate = 0.05; $0.weightDecay = 0.0001
    },
  ]


  public init(
    model: String, minutes: Int, trainImages: Int? = nil, testImages: Int? = nil,
    _ configure: (inout TrainingConfiguration) -> Void
  ) {
    self.model = model
    self.minutes = minutes
    self.trainImages = trainImages
    self.testImages = testImages
    var c = TrainingConfiguration()
    c.seed = 0
    configure(&c)
    configuration = c
  }

  /// `hybrix train MODEL …flags… --out PATH`: the same run from the command line.
  public func command(out: String) -> String {
    let c = configuration
    var flags = ["--dataset fashion-mnist", "--epochs \(c.epochs)", "--batch-size \(c.batchSize)"]
    if c.optimizer != .sgd { flags.append("--optimizer \(c.optimizer.rawValue)") }
    flags.append("--lr \(c.resolvedLearningRate)")
    if c.optimizer == .sgd { flags.append("--momentum \(c.momentum)") }
    if c.weightDecay != 0 { flags.append("--weight-decay \(c.weightDecay)") }
    if c.schedule != .cosine { flags.append("--schedule \(c.schedule.rawValue)") }
    flags.append("--seed \(c.seed)")
    if let trainImages { flags.append("--limit \(trainImages)") }
    if let testImages { flags.append("--test-limit \(testImages)") }
    return "hybrix train \(model) " + flags.joined(separator: " ") + " --out \(out)"
  }

  /// Trains the zoo model by this recipe on `train` and writes it to `out` as ONNX.
  public func train(
    on train: Dataset, test: Dataset?, out: String, tool: String, progress: ((TrainingProgress) -> Void)? = nil
  ) throws(ConfigError) -> TrainingReport {
    var report = try Trainer(configuration).trainZoo(model, on: train, test: test, out: out, tool: tool, progress: progress)
    report.checkpoint = out
    return report
  }
}
