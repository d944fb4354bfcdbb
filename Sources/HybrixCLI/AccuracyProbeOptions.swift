import ArgumentParser
import Execution
import Hardware
import HybrixCore
import HybrixNumerics
import Search
import Workloads

/// The options that build an accuracy probe for a search with an accuracy constraint
/// (`--constraint 'accuracy-drop<=1@1d'`): trained weights and the Fashion-MNIST test images.
struct AccuracyProbeOptions: ParsableArguments {
  @Option(name: .long, help: "ONNX checkpoint of a zoo model, for accuracy constraints (an ONNX MODEL carries its own).")
  var weights: String?

  @Option(name: .customLong("data-dir"), help: "Folder with the Fashion-MNIST .gz files (accuracy constraints).")
  var dataDir: String = FashionMNIST.defaultDirectory

  @Option(name: .customLong("accuracy-images"), help: "Test images per accuracy measurement (default: all 10 000).")
  var images: Int?

  @Option(name: .customLong("accuracy-repeats"), help: "Monte-Carlo repeats per accuracy measurement.")
  var repeats: Int = 10

  @Option(name: .long, help: "Drift compensation on analog tiers while measuring accuracy: on or off.")
  var compensation: String = "on"

  /// The probe for `graph` (the graph the search maps) on `architecture`, when `goal` has an
  /// accuracy constraint; `nil` otherwise.
  func probe(model: String, graph: Graph, architecture: Architecture, goal: Goal, seed: UInt64) throws(ConfigError) -> (any AccuracyProbe)? {
    guard goal.accuracyConstraint != nil else { return nil }
    if let images, images < 1 {
      throw ConfigError(path: "--accuracy-images", message: "\(images)", expected: "at least 1 test image")
    }
    let compensated: Bool
    switch compensation.lowercased() {
    case "on": compensated = true
    case "off": compensated = false
    default: throw ConfigError(path: "--compensation", message: "\"\(compensation)\"", expected: "on or off")
    }
    let data = try FashionMNIST.load(split: .test, directory: dataDir, limit: images)
    let (network, _, _) = try TrainedModelLoader(model: model, weights: weights).load {
      () throws(ConfigError) -> HybrixNumerics.Tensor in
      HybrixNumerics.Tensor(shape: [1, 1, 28, 28], scalars: Array(data.images.scalars.prefix(784)))
    }
    return try MonteCarloAccuracyProbe(
      network: network, graph: graph, architecture: architecture, images: data.images, labels: data.labels,
      settings: .init(repeats: repeats, seed: seed, compensated: compensated))
  }
}
