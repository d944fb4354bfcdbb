import Hardware
import HybrixCore
import Mapping
import Search
import Workloads

/// Stage 1 + 2 for the paper's models, which have no trained weights here: Row Remap with the
/// documented accuracy proxy (``ProxyAccuracyProbe``: the fan-in-weighted relative product error of
/// the tiers, in %), *not* an accuracy or a perplexity.
///
/// The bound: half the stage-1 knee's proxy. The paper's validity line (100 % SRAM and 100 % ReRAM
/// valid, 100 % TeMPO not, §7.2) would be the proxy of 100 % ReRAM, but on our preset the knee runs
/// most rows on the exact digital host and is already below it (Pythia-70M: knee 0.62 %, 100 %
/// ReRAM 0.9 %), so that bound moves nothing. Halving the knee's weighted error is a bound the
/// knee must move rows to meet, the same for every model; the report gives 100 % ReRAM's proxy
/// beside it.
extension H3PIMAPExperiment {
  struct ProxyRemap {
    /// The bound, % weighted product error (half the knee's).
    var boundPercent: Double
    /// The proxy of 100 % ReRAM-PIM, %, for comparison (nil without a ReRAM mapping).
    var reramPercent: Double?
    /// The stage-1 knee's proxy, %.
    var kneePercent: Double
    /// The point Row Remap returns (the first step that meets the bound), if one does.
    var remapped: CostVector?
    var remappedPercent: Double?
    /// Row Remap steps taken after the knee's rows were dealt by sensitivity, and rows moved.
    var steps: Int
    var rowsMoved: Int
  }

  /// The share of the knee's proxy the bound keeps.
  static let proxyBoundShare = 0.5

  /// Runs stage 1 + 2 with the proxy bounded at half the stage-1 knee's (`knee`, the plan the
  /// same search picks); nil when the knee has no proxy error to halve.
  static func proxyRemap(
    graph: Graph, architecture: Architecture, strategy: H3PIMAPStrategy, knee: MappingPlan?, reramPlan: MappingPlan?
  ) async throws(ConfigError) -> ProxyRemap? {
    guard let knee else { return nil }
    let day = Time(baseValue: 86_400)
    let errors = TierPrecision.errors(architecture: architecture, at: day)
    let sensitivity = RowSensitivity.proxy(graph: graph)
    let probe = ProxyAccuracyProbe(sensitivity: sensitivity, tierError: errors)
    let bound = proxyBoundShare * probe.value(of: knee)
    guard bound > 0 else { return nil }
    var remap = H3PIMAPStrategy(population: strategy.population, generations: strategy.generations, grid: strategy.grid)
    remap.sensitivity = sensitivity
    remap.tierError = errors
    var goal = Goal([.latency, .energy])
    goal.constraints.append(.accuracyDrop(points: bound, at: day))
    let explorer = Explorer(graph: graph, architecture: architecture, precision: .int8, accuracy: probe)
    let result = try await explorer.run(remap, goal: goal, seed: 1)
    guard let trace = remap.recorder.trace else { return nil }
    let kneePercent = trace.steps.first?.drop.points ?? .nan
    let met = trace.steps.first { $0.drop.points <= bound }
    let point = met.flatMap { step in
      result.front.points.first { abs($0.cost.latency.seconds - step.latencySeconds) <= 1e-12 * step.latencySeconds }
    }
    return ProxyRemap(
      boundPercent: bound, reramPercent: reramPlan.map { probe.value(of: $0) }, kneePercent: kneePercent,
      remapped: point?.cost ?? met.map { CostVector(latency: Time(baseValue: $0.latencySeconds), energy: Energy(baseValue: $0.energyJoules), area: .zero) },
      remappedPercent: met?.drop.points, steps: met.map(\.index) ?? trace.steps.count - 1,
      rowsMoved: trace.steps.prefix((met?.index ?? trace.steps.count - 1) + 1).reduce(0) { $0 + $1.moved.reduce(0) { $0 + $1.rows.count } })
  }
}
