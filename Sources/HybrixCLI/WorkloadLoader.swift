import Foundation
import HybrixCore
import Workloads

/// A workload ready for a command: the graph, where it came from, and warnings for the user.
struct LoadedWorkload {
  var graph: Graph
  /// `zoo` or `onnx`.
  var source: String
  var path: String?
  var warnings: [String]
}

extension WorkloadOptions {
  /// Loads the zoo model or ONNX file the options name, instantiated for the options' phase.
  func load() throws(ConfigError) -> LoadedWorkload {
    guard batch >= 1 else {
      throw ConfigError(
        path: "--batch", message: "batch size \(batch)", expected: "an integer ≥ 1")
    }
    let bindings = try bindings()
    if model.lowercased().hasSuffix(".onnx") || model.contains("/") {
      return try loadONNX(bindings: bindings)
    }
    let zoo = try ModelZoo.model(named: model)
    let graph = try zoo.graph(
      ZooOptions(batch: batch, imageSize: imageSize, sequenceLength: seq, phase: phase))
    var warnings: [String] = []
    if !bindings.isEmpty {
      warnings.append("--dim binds ONNX dimensions and is ignored for the zoo model \(zoo.name)")
    }
    if zoo.family == .vision, seq != nil {
      warnings.append("--seq is ignored for the vision model \(zoo.name); use --image-size")
    }
    if zoo.family != .vision, imageSize != nil {
      warnings.append("--image-size is ignored for the language model \(zoo.name); use --seq")
    }
    return LoadedWorkload(graph: graph, source: "zoo", path: nil, warnings: warnings)
  }

  private func loadONNX(bindings: [String: Int]) throws(ConfigError) -> LoadedWorkload {
    throw ConfigError(file: model, message: "ONNX import is not available in this build")
  }
}
