import ArgumentParser
import Devices
import Execution
import Foundation
import HybrixCore
import HybrixNumerics

extension TrainingConfiguration.OptimizerKind: ExpressibleByArgument {}
extension TrainingConfiguration.Schedule: ExpressibleByArgument {}

/// `hybrix train MODEL --dataset fashion-mnist --epochs N`: train a chain or graph model in software,
/// optionally with every product through a hardware arithmetic, and save it as ONNX.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract:
      "Train a model on Fashion-MNIST in software, optionally emulating hardware arithmetic.",
    discussion: """
      MODEL is a zoo model — a chain (mlp, lenet5, small-cnn) or a graph with residual adds or \
      attention (resnet20-fm, vgg-fm, tiny-transformer-fm) — or an ONNX checkpoint of one, \
      which is trained further. Every matrix product (forward, input gradient, weight gradient) \
      runs through --arithmetic. The trained model is written with --out as a plain ONNX file \
      (docs/checkpoints.md), which `hybrix` commands, onnxruntime and Netron open.

      Examples:
        hybrix train small-cnn --dataset fashion-mnist --epochs 4 --out models/small-cnn.onnx
        hybrix train mlp --epochs 1 --limit 5000 --optimizer adam --json
        hybrix train models/small-cnn.onnx --epochs 1 --lr 0.005 --out tuned.onnx
      Arithmetics: \(ArithmeticRegistry.names.joined(separator: ", ")).
      """)

  @Argument(
    help: "A zoo model (mlp, lenet5, small-cnn, resnet20-fm, vgg-fm, tiny-transformer-fm) or an .onnx checkpoint to train further.")
  var model: String

  @Option(name: .long, help: "The data set: fashion-mnist.")
  var dataset = "fashion-mnist"

  @Option(name: .customLong("data-dir"), help: "Folder with the four *-ubyte.gz files.")
  var dataDir = FashionMNIST.defaultDirectory

  @Option(name: .long, help: "Passes over the training set.")
  var epochs = 1

  @Option(name: .customLong("batch-size"), help: "Samples per mini-batch.")
  var batchSize = 64

  @Option(name: .long, help: "sgd (with momentum) or adam.")
  var optimizer = TrainingConfiguration.OptimizerKind.sgd

  @Option(name: .long, help: "Initial learning rate (default 0.01 for sgd, 0.001 for adam).")
  var lr: Float?

  @Option(name: .long, help: "SGD momentum.")
  var momentum: Float = 0.9

  @Option(name: .customLong("weight-decay"), help: "SGD L2 weight decay.")
  var weightDecay: Float = 0

  @Option(name: .long, help: "Learning-rate schedule: constant, cosine or step.")
  var schedule = TrainingConfiguration.Schedule.cosine

  @Option(
    name: .long,
    help: "Arithmetic of every product: \(ArithmeticRegistry.names.joined(separator: ", ")).")
  var arithmetic = "fp32"

  @Option(name: .long, help: "Seed of the initialisation, the sample order and the arithmetic.")
  var seed: UInt64 = 0

  @Option(name: .long, help: "Train on the first N training images only.")
  var limit: Int?

  @Option(name: .customLong("test-limit"), help: "Evaluate on the first N test images only.")
  var testLimit: Int?

  @Option(name: .long, help: "Write the trained model to this ONNX file.")
  var out: String?

  @Flag(name: .long, help: "Print the training report as JSON (schema hybrix.train.v1).")
  var json = false

  func run() throws {
    try reportingErrors {
      let trainer = try Trainer(trainingConfiguration())
      let datasetName = try checkedDataset()
      for (flag, value) in [("--limit", limit), ("--test-limit", testLimit)] {
        if let value, value < 1 {
          throw ConfigError(path: flag, message: "\(value) images", expected: "an integer ≥ 1")
        }
      }
      let train = try FashionMNIST.load(split: .train, directory: dataDir, limit: limit)
      let test = try FashionMNIST.load(split: .test, directory: dataDir, limit: testLimit)
      let progress = ProgressLine()
      func run(_ network: inout some TrainableNetwork) throws(ConfigError) -> TrainingReport {
        var report = try trainer.train(
          &network, on: train, test: test, datasetName: datasetName
        ) { progress.show($0) }
        progress.finish()
        if let out {
          try network.writeONNX(to: out, docString: Self.docString(report))
          report.checkpoint = out
        }
        return report
      }
      // A chain trains as a Network; residual and attention graphs as a GraphNetwork.
      let report: TrainingReport
      if var chain = try? loadNetwork() {
        report = try run(&chain)
      } else {
        var graph = try loadGraphNetwork()
        report = try run(&graph)
      }
      if json {
        Terminal.print(try JSONOutput.encode(report))
      } else {
        Terminal.print(Self.render(report))
      }
    }
  }

  func trainingConfiguration() -> TrainingConfiguration {
    var c = TrainingConfiguration()
    c.epochs = epochs
    c.batchSize = batchSize
    c.optimizer = optimizer
    c.learningRate = lr
    c.momentum = momentum
    c.weightDecay = weightDecay
    c.schedule = schedule
    c.arithmetic = arithmetic.lowercased()
    c.seed = seed
    return c
  }

  /// The canonical data set name, or an error listing the ones Hybrix has.
  func checkedDataset() throws(ConfigError) -> String {
    let known = ["fashion-mnist", "fashionmnist", "fmnist"]
    guard known.contains(dataset.lowercased()) else {
      throw ConfigError(
        path: "--dataset", message: "unknown data set '\(dataset)'", expected: "fashion-mnist",
        hint: "Fashion-MNIST is the one data set Hybrix trains on (\(FashionMNIST.installHint))")
    }
    return "fashion-mnist"
  }

  func loadNetwork() throws(ConfigError) -> Network {
    if model.lowercased().hasSuffix(".onnx") || model.contains("/") {
      return try Network.load(onnx: model, seed: seed)
    }
    return try Network.zoo(model, seed: seed)
  }

  /// The model as a graph network, for models that are not chains (residual, attention).
  func loadGraphNetwork() throws(ConfigError) -> GraphNetwork {
    if model.lowercased().hasSuffix(".onnx") || model.contains("/") {
      return try GraphNetwork.load(onnx: model, seed: seed)
    }
    return try GraphNetwork.zoo(model, seed: seed)
  }
}
