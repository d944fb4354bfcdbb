import HybrixCore
import HybrixNumerics

extension Trainer {
  /// Trains the zoo model `name` from this configuration's seed — a chain as a `Network`, any
  /// other graph as a `GraphNetwork` — and writes it to `out` (with its provenance) when given.
  public func trainZoo(
    _ name: String, on train: Dataset, test: Dataset?, out: String? = nil, tool: String = "hybrix",
    progress: ((TrainingProgress) -> Void)? = nil
  ) throws(ConfigError) -> TrainingReport {
    func run(_ network: inout some TrainableNetwork) throws(ConfigError) -> TrainingReport {
      let report = try self.train(&network, on: train, test: test, progress: progress)
      if let out { try network.writeONNX(to: out, docString: report.provenance(tool: tool)) }
      return report
    }
    if var chain = try? Network.zoo(name, seed: configuration.seed) { return try run(&chain) }
    var graph = try GraphNetwork.zoo(name, seed: configuration.seed)
    return try run(&graph)
  }

  /// The ``TrainableNetwork/parameterDigest`` of the zoo model `name` from this configuration's
  /// seed after one epoch on `train` without a test set: with one batch of images, one optimizer
  /// step through the configuration's arithmetic. Builds whose forward pass, backward pass,
  /// arithmetic or optimizer differ in any bit on those images give different digests.
  public func digestAfterTraining(_ name: String, on train: Dataset) throws(ConfigError) -> String {
    func run(_ network: inout some TrainableNetwork) throws(ConfigError) -> String {
      _ = try self.train(&network, on: train, test: nil)
      return network.parameterDigest
    }
    if var chain = try? Network.zoo(name, seed: configuration.seed) { return try run(&chain) }
    var graph = try GraphNetwork.zoo(name, seed: configuration.seed)
    return try run(&graph)
  }
}
