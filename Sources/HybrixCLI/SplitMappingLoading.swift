import Hardware
import HybrixCore
import Mapping
import Search
import Workloads

extension LoadedWorkload {
  /// For `map --mapping FILE`: when FILE places a graph that `hybrix compile` pre-processed for
  /// the chip (products too large for it split into `name.part0…` and `name.join`), this graph
  /// with the same split (``OperatorSplitting``, which depends only on the graph, the
  /// architecture and the precision), so the saved program re-prices exactly as compiled;
  /// otherwise this graph unchanged. A file made for another chip still fails the operator check
  /// by name.
  func splitForMapping(_ path: String?, architecture: Architecture, precision: Precision) throws(ConfigError) -> LoadedWorkload {
    guard let path else { return self }
    let file = try MappingFile.read(file: path)
    let names = Set(graph.operators.map(\.name))
    guard file.operators.contains(where: { $0.name.hasSuffix(".join") && !names.contains($0.name) }) else { return self }
    let splitting = try OperatorSplitting.apply(graph, architecture: architecture, precision: precision)
    guard !splitting.splits.isEmpty else { return self }
    var loaded = self
    loaded.graph = splitting.graph
    loaded.warnings.append(
      "\(path) places \(graph.name) as `hybrix compile` pre-processed it for the \(splitting.chipArrays) arrays of \(architecture.name): "
        + "\(splitting.splits.count) products split into parts (name.partI, joined in place by name.join); this run splits them alike")
    return loaded
  }
}
