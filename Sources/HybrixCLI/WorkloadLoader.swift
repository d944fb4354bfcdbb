import Foundation
import HybrixCore
import Reports
import Workloads

/// A workload ready for a command: the graph, where it came from, and warnings for the user.
struct LoadedWorkload {
  var graph: Graph
  /// `zoo` or `onnx`.
  var source: String
  var path: String?
  var warnings: [String]
  /// What deployment lowering did (`nil` for a training graph, which is never lowered).
  var lowering: DeploymentLoweringInfo?
}

extension WorkloadOptions {
  /// Loads the zoo model or ONNX file the options name, instantiated for the options' phase, and
  /// lowers an inference graph for deployment unless `--no-fusion` is given.
  ///
  /// Costing commands (`inspect`, `map`) use this; the numerics (`accuracy`, `train`) load their
  /// networks themselves and run the graph as built.
  func load() throws(ConfigError) -> LoadedWorkload {
    var loaded = try loadAsBuilt()
    guard loaded.graph.workload.phase != .train, phase != .train else { return loaded }
    if noFusion {
      loaded.lowering = DeploymentLoweringInfo(applied: false)
      return loaded
    }
    let lowering = try loaded.graph.loweredForDeployment()
    loaded.graph = lowering.graph
    loaded.lowering = DeploymentLoweringInfo(lowering)
    return loaded
  }

  /// The graph as the zoo or the ONNX file defines it.
  private func loadAsBuilt() throws(ConfigError) -> LoadedWorkload {
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
    if phase == .prefill || phase == .decode {
      throw ConfigError(
        file: model, path: "--phase", message: "\(phase.rawValue) needs a KV cache, which an ONNX graph does not describe",
        expected: "inference or train for ONNX files",
        hint: "use a zoo decoder (llama2-7b, gpt2, …) for prefill and decode")
    }
    // A symbolic leading (batch) dimension takes --batch, as a zoo model's batch does; --dim
    // binds the other symbols and wins over --batch for the batch symbol too.
    let imported = try ONNXImporter.load(path: model, bindings: bindings, batch: batch)
    var graph = imported.graph
    var warnings = imported.warnings
    // The batch is the first dimension of the first graph input, whatever it was bound to.
    if let first = graph.inputs.first, let b = graph[first].shape.dims.first {
      graph.workload.batch = b
    }
    let boundByBatch = warnings.contains { $0.hasPrefix("bound symbolic batch dimension") }
    if batch != 1, !boundByBatch {
      warnings.append(
        "--batch \(batch) is ignored: the model's batch dimension is fixed at \(graph.workload.batch)"
          + " or bound by --dim")
    }
    if seq != nil || imageSize != nil {
      warnings.append("--seq and --image-size are ignored for ONNX files; bind symbolic dimensions with --dim")
    }
    if phase == .train { graph = try graph.trainingGraph() }
    return LoadedWorkload(graph: graph, source: "onnx", path: model, warnings: warnings)
  }
}
