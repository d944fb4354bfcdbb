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
  /// The workload these options name, as the library's loaders take it.
  func request() throws(ConfigError) -> WorkloadRequest {
    WorkloadRequest(
      model: model, batch: batch, sequenceLength: seq, imageSize: imageSize, phase: phase,
      dimensions: try bindings(), noFusion: noFusion)
  }

  /// Loads the zoo model or ONNX file the options name, instantiated for the options' phase, and
  /// lowers an inference graph for deployment unless `--no-fusion` is given
  /// (``WorkloadRequest/load()``, which `hybrix sweep` runs for each point too).
  ///
  /// Costing commands (`inspect`, `map`) use this; the numerics (`accuracy`, `train`) load their
  /// networks themselves and run the graph as built.
  func load() throws(ConfigError) -> LoadedWorkload {
    let loaded = try request().load()
    return LoadedWorkload(
      graph: loaded.graph, source: loaded.source, path: loaded.path, warnings: loaded.warnings,
      lowering: DeploymentLoweringInfo(loaded))
  }
}
