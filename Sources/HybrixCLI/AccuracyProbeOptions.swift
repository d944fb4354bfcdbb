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

  @Option(name: [.customLong("accuracy-images"), .customLong("limit")], help: "Test images per accuracy measurement (default: all 10 000; lionheart splits them into validation and test halves).")
  var images: Int?

  @Option(name: [.customLong("accuracy-repeats"), .customLong("repeats")], help: "Monte-Carlo repeats per accuracy measurement.")
  var repeats: Int = 10

  @Option(name: .long, help: "Drift compensation on analog tiers while measuring accuracy: on or off.")
  var compensation: String = "on"

  /// The probe for `graph` (the graph the search maps) on `architecture`, when `goal` has an
  /// accuracy constraint; `nil` otherwise.
  ///
  /// With `split` (lionheart), the first half of the images is the validation split every
  /// decision uses and the second half the test split of the reported figure.
  func probe(
    model: String, graph: Graph, architecture: Architecture, goal: Goal, seed: UInt64, split: Bool = false
  ) throws(ConfigError) -> (any AccuracyProbe)? {
    guard goal.accuracyConstraint != nil else { return nil }
    guard repeats >= 1 else {
      throw ConfigError(path: "--repeats", message: "\(repeats)", expected: "at least 1 Monte-Carlo repeat", hint: "LionHeart uses 10")
    }
    let compensated: Bool
    switch compensation.lowercased() {
    case "on": compensated = true
    case "off": compensated = false
    default: throw ConfigError(path: "--compensation", message: "\"\(compensation)\"", expected: "on or off")
    }
    let settings = MonteCarloAccuracyProbe.Settings(repeats: repeats, seed: seed, compensated: compensated)
    return try MonteCarloAccuracyProbe.fashionMNIST(
      model: model, weights: weights, graph: graph, architecture: architecture, dataDirectory: dataDir,
      imageLimit: images, settings: settings, split: split)
  }
}
