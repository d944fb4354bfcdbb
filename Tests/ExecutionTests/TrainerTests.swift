import Devices
import Foundation
import HybrixCore
import HybrixNumerics
import Testing

@testable import Execution

@Suite struct TrainerTests {
  static func configuration(
    epochs: Int = 1, batchSize: Int = 16, optimizer: TrainingConfiguration.OptimizerKind = .sgd,
    lr: Float? = nil, arithmetic: String = "fp32", seed: UInt64 = 0
  ) -> TrainingConfiguration {
    var c = TrainingConfiguration()
    c.epochs = epochs
    c.batchSize = batchSize
    c.optimizer = optimizer
    c.learningRate = lr
    c.arithmetic = arithmetic
    c.seed = seed
    return c
  }

  /// The same seed gives bit-identical weights and reports (times aside); another seed does not.
  @Test func sameSeedGivesBitIdenticalWeights() throws {
    let data = syntheticDataset(count: 96, seed: 1)
    func run(_ seed: UInt64) throws -> (Network, TrainingReport) {
      var network = try Network(graph: try tinyChainGraph(), seed: seed)
      let report = try Trainer(Self.configuration(epochs: 2, seed: seed)).train(
        &network, on: data, test: data, datasetName: "synthetic")
      return (network, report)
    }
    let (a, reportA) = try run(5)
    let (b, reportB) = try run(5)
    let (c, _) = try run(6)
    #expect(a.parameters == b.parameters)
    #expect(reportA.epochs.map(\.trainLoss) == reportB.epochs.map(\.trainLoss))
    #expect(a.parameters != c.parameters)
  }

  /// On data a small CNN can separate, one epoch takes the loss down and the accuracy far
  /// above chance (25 %), with SGD and with Adam.
  @Test(arguments: [TrainingConfiguration.OptimizerKind.sgd, .adam])
  func learnsASeparableProblem(optimizer: TrainingConfiguration.OptimizerKind) throws {
    let train = syntheticDataset(count: 256, seed: 2)
    let test = syntheticDataset(count: 128, seed: 3)
    var network = try Network(graph: try tinyChainGraph(), seed: 4)
    var losses: [Double] = []
    let lr: Float = optimizer == .sgd ? 0.05 : 0.01
    let report = try Trainer(Self.configuration(epochs: 2, optimizer: optimizer, lr: lr)).train(
      &network, on: train, test: test, datasetName: "synthetic"
    ) { p in
      if p.phase == .training { losses.append(p.loss) }
    }
    #expect(report.epochs.count == 2 && losses.count == 2 * 16)
    #expect(report.epochs[1].trainLoss < 0.5 * log(4.0), "\(report.epochs)")
    #expect((report.finalTestAccuracy ?? 0) > 0.9, "\(report.epochs)")
    #expect(
      report.schema == "hybrix.train.v1" && report.trainSamples == 256 && report.testSamples == 128)
  }

  /// Real data: an MLP on 1 024 Fashion-MNIST images: the loss falls from the first epoch to
  /// the second, and the test accuracy beats chance (10 %) by far.
  @Test(.enabled(if: fashionMNISTAvailable, "needs: \(FashionMNIST.installHint)"))
  func mlpLearnsFashionMNIST() throws {
    let train = try FashionMNIST.load(split: .train, limit: 1024)
    let test = try FashionMNIST.load(split: .test, limit: 500)
    var network = try Network.zoo("mlp", seed: 0)
    let c = Self.configuration(epochs: 2, batchSize: 32, lr: 0.05)
    let report = try Trainer(c).train(&network, on: train, test: test)
    #expect(report.epochs[1].trainLoss < 0.75 * report.epochs[0].trainLoss, "\(report.epochs)")
    #expect((report.finalTestAccuracy ?? 0) > 0.7, "\(report.epochs)")
  }

  /// Every registered arithmetic trains (finite loss) and is set on every product operator.
  @Test(arguments: ArithmeticRegistry.names)
  func everyRegisteredArithmeticTrains(name: String) throws {
    let data = syntheticDataset(count: 32, seed: 9)
    var network = try Network(graph: try tinyChainGraph(), seed: 1)
    let trainer = try Trainer(Self.configuration(arithmetic: name))
    let report = try trainer.train(&network, on: data, test: nil)
    #expect(report.epochs.count == 1 && report.epochs[0].trainLoss.isFinite)
    for op in network.productOperatorNames {
      let set = network.arithmetic(for: op)
      #expect(name == "fp32" ? set == nil : set != nil, "\(op) under \(name)")
    }
  }

  @Test func badSettingsAreConfigErrorsNamingTheFlag() {
    let cases: [(TrainingConfiguration, String)] = [
      (Self.configuration(epochs: 0), "--epochs"),
      (Self.configuration(batchSize: 0), "--batch-size"),
      (Self.configuration(lr: -1), "--lr"), (Self.configuration(lr: .nan), "--lr"),
      (Self.configuration(arithmetic: "fp33"), "--arithmetic"),
    ]
    for (c, flag) in cases {
      let error = #expect(throws: ConfigError.self) { try Trainer(c) }
      #expect(error?.path == flag)
    }
  }

  /// A batch size near Int.max neither traps nor allocates: a batch is at most the data set.
  @Test func hugeBatchSizeTrainsOnOneBatchPerEpoch() throws {
    var network = try Network(graph: try tinyChainGraph(), seed: 1)
    var batches = 0
    let report = try Trainer(Self.configuration(batchSize: .max)).train(
      &network, on: syntheticDataset(count: 20, seed: 1), test: nil
    ) { p in batches = p.batches }
    #expect(batches == 1 && report.epochs[0].trainLoss.isFinite)
  }

  @Test func divergenceIsReportedWithTheLearningRate() throws {
    var network = try Network(graph: try tinyChainGraph(), seed: 1)
    let data = syntheticDataset(count: 64, seed: 1)
    let trainer = try Trainer(Self.configuration(optimizer: .sgd, lr: 1e12))
    let error = #expect(throws: ConfigError.self) {
      try trainer.train(&network, on: data, test: nil)
    }
    #expect(error?.path == "--lr" && error?.message.contains("diverged") == true)
  }

  @Test func dataOfTheWrongShapeIsRejected() throws {
    var network = try Network.zoo("mlp")
    let error = #expect(throws: ConfigError.self) {
      try Trainer(Self.configuration()).train(
        &network, on: syntheticDataset(count: 8, seed: 1), test: nil)
    }
    #expect(error?.message.contains("[1, 28, 28]") == true)
  }

  @Test func schedulesFollowTheirFormulas() {
    var c = Self.configuration(lr: 0.1)
    c.schedule = .cosine
    #expect(c.learningRate(step: 0, of: 100) == 0.1)
    #expect(abs(c.learningRate(step: 50, of: 100) - 0.05) < 1e-7)
    #expect(c.learningRate(step: 99, of: 100) < 0.0001)
    c.schedule = .step
    let steps = [0, 49, 50, 74, 75].map { c.learningRate(step: $0, of: 100) }
    for (lr, expected) in zip(steps, [0.1, 0.1, 0.01, 0.01, 0.001] as [Float]) {
      #expect(abs(lr - expected) <= 1e-6 * expected, "\(steps)")
    }
    c.schedule = .constant
    #expect(c.learningRate(step: 99, of: 100) == 0.1)
    #expect(Self.configuration(optimizer: .adam).resolvedLearningRate == 0.001)
  }
}
