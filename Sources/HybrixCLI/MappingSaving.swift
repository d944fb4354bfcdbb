import Hardware
import HybrixCore
import Mapping
import Reports
import Workloads

/// `--save-mapping` of `map`, `explore` and `compile`: one way to write a plan as a
/// ``MappingFile`` (v1 for shares alone; v2 when it carries row orders or arrays by mode).
extension LoadedWorkload {
  /// How the graph was lowered, as a mapping file records it: `none` when lowering did not run
  /// (`--no-fusion`, a training graph).
  var mappingLowering: MappingFile.Lowering { lowering?.applied == true ? .deployment : .none }

  /// Writes `plan` (a mapping of this graph onto `architecture`) to `path`.
  ///
  /// - Throws: ``ConfigError`` naming `--save-mapping` when there is no plan to save, or the file
  ///   when it cannot be written.
  func saveMapping(
    _ plan: MappingPlan?, to path: String, architecture: Architecture, precision: Precision,
    strategy: String, goal: String?
  ) throws(ConfigError) {
    guard let plan, plan.placements.count == graph.operators.count else {
      throw ConfigError(
        path: "--save-mapping", message: "the search evaluated no mapping, so there is nothing to save",
        hint: "raise --time-limit or --evaluations")
    }
    try MappingFile(
      plan: plan, graph: graph, architecture: architecture, precision: precision, lowering: mappingLowering,
      source: source, path: self.path, toolVersion: HybrixVersion.current, strategy: strategy, goal: goal
    ).write(file: path)
  }
}
