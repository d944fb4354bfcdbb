import Hardware
import Mapping
import Reports
import Search
import Workloads

/// A map report made as `hybrix map` makes it: the explorer runs the strategy (greedy unless
/// given) for minimum latency and, unless `baselines` is false, the baselines.
func makeMapReport(
  graph: Graph, architecture arch: Architecture, strategy: any SearchStrategy = GreedyStrategy(),
  baselines: Bool = true, excludingStrategy: Bool = false, isoArea: Bool = false, lowering: DeploymentLoweringInfo? = nil,
  goal: Goal = .minimise(.latency)
) async throws -> MapReport {
  let explorer = Explorer(graph: graph, architecture: arch, precision: .int8)
  let result = try await explorer.run(strategy, goal: goal)
  let runs = baselines ? try await explorer.baselines(goal: goal, excluding: excludingStrategy ? strategy.name : nil, isoArea: isoArea) : []
  return MapReport(
    graph: graph, source: "zoo", path: nil, precision: .int8, architecture: arch, search: result,
    baselines: runs, lowering: lowering)
}
