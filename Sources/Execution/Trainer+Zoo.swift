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
}
