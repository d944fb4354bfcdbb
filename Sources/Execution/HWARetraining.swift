import Devices
import Foundation
import HybrixCore
import HybrixNumerics
import Workloads

/// A trainable network that can say which operator owns each parameter tensor — what
/// hardware-aware retraining needs to give analog and digital parameters their own learning rates.
public protocol HWARetrainable: TrainableNetwork {
  /// For each tensor of ``TrainableNetwork/parameters``, in order, the name of the operator
  /// (stage or node) that holds it.
  var parameterOwners: [String] { get }
  /// The network an accuracy probe runs: the chain itself; a graph as the ONNX interpreter over
  /// its own checkpoint encoding (batched and splittable, as the probe of the original graph
  /// model runs; same operator names).
  func inferenceNetwork() throws(ConfigError) -> any ProductNetwork
}

extension Network: HWARetrainable {
  public func inferenceNetwork() throws(ConfigError) -> any ProductNetwork { self }

  public var parameterOwners: [String] {
    zip(stages, body.layers).flatMap { stage, layer in Array(repeating: stage.name, count: layer.parameters.count) }
  }
}

extension GraphNetwork: HWARetrainable {
  public func inferenceNetwork() throws(ConfigError) -> any ProductNetwork {
    let bytes = ONNXWriter.encode(onnxModel(docString: "HWA-retrained weights"))
    return try ONNXExecutor(program: try ONNXProgram.load(data: bytes, fileName: "\(name) (retrained)"))
  }

  public var parameterOwners: [String] {
    zip(nodes, steps).flatMap { node, step -> [String] in
      guard case .layer(let layer) = step else { return [] }
      return Array(repeating: node.name, count: layer.parameters.count)
    }
  }
}

extension TrainableNetwork {
  /// FNV-1a (64 bit) over the bit patterns of every parameter, as 16 hex digits: equal digests
  /// mean the same weights bit for bit (up to a hash collision).
  public var parameterDigest: String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for t in parameters {
      for x in t.scalars {
        var b = x.bitPattern
        for _ in 0..<4 {
          h = (h ^ UInt64(b & 0xff)) &* 0x0000_0100_0000_01b3
          b >>= 8
        }
      }
    }
    let hex = String(h, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }
}

/// LionHeart's hardware-aware retraining (papers.md §2.4 step 4; `IBM/lionheart` methods/LH.py):
/// the operators of an analog set train through `pcm-hwa` (forward weights w·(1 + 0.08ξ), IO
/// noise, exact gradients), every other operator exact; SGD with momentum 0.85 and two parameter
/// groups — the analog operators' parameters at ``analogLearningRate``, all others at
/// ``digitalLearningRate`` — with the learning rate cosine-annealed over all `steps × rounds`
/// steps; mini-batches drawn from the training images in an order seeded from ``seed``.
public struct HWARetrainingSettings: Sendable, Hashable {
  /// Optimizer steps per round (≥ 1).
  public var steps: Int
  /// Rounds at most (≥ 1); a round ends with an evaluation.
  public var rounds: Int
  /// Rounds without a better score after which a candidate's retraining stops (≥ 1).
  public var patience: Int
  public var batchSize: Int
  public var digitalLearningRate: Float
  public var analogLearningRate: Float
  public var momentum: Float
  /// The arithmetic of the analog operators while training (an ``ArithmeticRegistry`` name).
  public var arithmetic: String
  public var seed: UInt64

  public init(
    steps: Int, rounds: Int = 3, patience: Int = 1, batchSize: Int = 64, digitalLearningRate: Float = 1e-2,
    analogLearningRate: Float = 1e-3, momentum: Float = 0.85, arithmetic: String = "pcm-hwa", seed: UInt64 = 1
  ) {
    self.steps = steps
    self.rounds = rounds
    self.patience = patience
    self.batchSize = batchSize
    self.digitalLearningRate = digitalLearningRate
    self.analogLearningRate = analogLearningRate
    self.momentum = momentum
    self.arithmetic = arithmetic
    self.seed = seed
  }

  /// The first setting out of range, as an error naming its flag.
  public func validate() throws(ConfigError) {
    let counts: [(String, Int, String)] = [
      ("--retrain-steps", steps, "at least 1 optimizer step per round (0 turns retraining off)"),
      ("--retrain-rounds", rounds, "at least 1 round"),
      ("--patience", patience, "at least 1 round without improvement before stopping"),
      ("retrain batch size", batchSize, "at least 1 image per batch"),
    ]
    for (path, value, expected) in counts where value < 1 {
      throw ConfigError(path: path, message: "\(value)", expected: expected, hint: "e.g. --retrain-steps 50 --retrain-rounds 3 --patience 1")
    }
    for (path, value) in [("digital learning rate", digitalLearningRate), ("analog learning rate", analogLearningRate)]
    where !(value.isFinite && value > 0) {
      throw ConfigError(path: path, message: "\(value)", expected: "a learning rate > 0")
    }
    guard momentum.isFinite, (0..<1).contains(momentum) else {
      throw ConfigError(path: "momentum", message: "\(momentum)", expected: "a number in [0, 1)")
    }
    _ = try ArithmeticRegistry.make(arithmetic, seed: seed)
  }

  /// The step size at step `step` of `total` (0-based): cosine annealing from the digital rate.
  func learningRate(step: Int, of total: Int) -> Float {
    let progress = total > 0 ? Double(step) / Double(total) : 0
    return digitalLearningRate * Float(0.5 * (1 + cos(Double.pi * progress)))
  }
}

/// One candidate's retraining in progress: the network with the analog set's operators on the
/// HWA arithmetic, the optimizer (its momentum carried from round to round) and the batch stream.
/// ``round()`` runs ``HWARetrainingSettings/steps`` steps and returns the weights so far with
/// every product exact, ready for an accuracy probe or to start the next candidate from.
///
/// Determinism: the batch order comes from `SplitMix64(stream)` split 1, the HWA arithmetic of
/// the i-th analog operator (in network order) from split 100 + i; with the same start weights,
/// analog set, data and stream the rounds give the same weights bit for bit.
public struct HWARetrainingRun: Sendable {
  public let settings: HWARetrainingSettings
  public private(set) var network: any HWARetrainable
  /// Steps taken so far.
  public private(set) var stepsTaken = 0
  let analog: Set<String>
  let training: Dataset
  var optimizer: SGD
  var order: SplitMix64
  var batches: Dataset.Batches

  /// - Parameters:
  ///   - analog: Names of the product operators that train on the analog arithmetic.
  ///   - stream: Seed of this run's draws (LionHeart derives one per candidate from `--seed`).
  /// - Throws: ``ConfigError`` for settings out of range, no training images, images that do not
  ///   fit the network, or an analog name the network does not hold.
  public init(
    network: any HWARetrainable, analog: Set<String>, training: Dataset, settings: HWARetrainingSettings, stream: UInt64
  ) throws(ConfigError) {
    try settings.validate()
    guard training.count > 0 else {
      throw ConfigError(path: "--data-dir", message: "no training images", expected: "the Fashion-MNIST training split for --retrain-steps")
    }
    guard Array(training.images.shape.dropFirst()) == network.sampleShape else {
      throw ConfigError(
        path: "--data-dir", message: "training images are \(Array(training.images.shape.dropFirst())), \(network.name) takes \(network.sampleShape)",
        expected: "training images shaped like the model's input")
    }
    var net = network
    let root = SplitMix64(seed: stream)
    var index: UInt64 = 0
    for name in net.trainingProductNames {
      var arithmetic: (any ProductArithmetic)?
      if analog.contains(name) {
        var s = root.split(taskIndex: 100 + index)
        arithmetic = try ArithmeticRegistry.make(settings.arithmetic, seed: s.next())
        index += 1
      }
      try net.setArithmetic(arithmetic, for: name)
    }
    let unknown = analog.subtracting(net.trainingProductNames)
    guard unknown.isEmpty else {
      throw ConfigError(
        path: "retraining", message: "\(network.name) has no product operator \(unknown.sorted().joined(separator: ", "))",
        expected: "operators of \(net.trainingProductNames.joined(separator: ", "))")
    }
    let scale = settings.analogLearningRate / settings.digitalLearningRate
    self.optimizer = SGD(
      learningRate: settings.digitalLearningRate, momentum: settings.momentum,
      learningRateScales: net.parameterOwners.map { analog.contains($0) ? scale : 1 })
    self.network = net
    self.settings = settings
    self.analog = analog
    self.training = training
    self.order = root.split(taskIndex: 1)
    self.batches = training.batches(size: max(1, min(settings.batchSize, training.count)), rng: &order)
  }

  /// Total steps the cosine schedule spans.
  public var totalSteps: Int { settings.steps * settings.rounds }

  /// Runs one round of steps; returns the weights with every product exact.
  ///
  /// - Throws: ``ConfigError`` when the loss stops being finite.
  public mutating func round() throws(ConfigError) -> any HWARetrainable {
    for _ in 0..<settings.steps {
      guard let batch = nextBatch() else { break }
      optimizer.learningRate = settings.learningRate(step: stepsTaken, of: totalSteps)
      let loss = Self.step(&network, batch: batch, optimizer: &optimizer)
      guard loss.isFinite else {
        throw ConfigError(
          path: "--retrain-steps", message: "HWA retraining diverged at step \(stepsTaken + 1): loss \(loss)",
          expected: "a finite loss", hint: "the learning rates are LionHeart's (1e-2 digital, 1e-3 analog)")
      }
      stepsTaken += 1
    }
    var exact = network
    for name in exact.trainingProductNames { try exact.setArithmetic(nil, for: name) }
    return exact
  }

  /// The next mini-batch; a new shuffled pass starts when one ends.
  mutating func nextBatch() -> Dataset.Batch? {
    if let b = batches.next() { return b }
    batches = training.batches(size: max(1, min(settings.batchSize, training.count)), rng: &order)
    return batches.next()
  }

  static func step(_ network: inout some HWARetrainable, batch: Dataset.Batch, optimizer: inout SGD) -> Float {
    network.trainStep(batch.images, labels: batch.labels, optimizer: &optimizer).loss
  }
}
