import Hardware
import HybrixCore
import Mapping
import Search
import Workloads

/// `hybrix map --json`, schema `hybrix.map` version 1: one mapping of a workload onto an
/// architecture, its costs, and the baselines it is compared with.
///
/// Units are in the key names: seconds, joules, square millimetres, samples per second.
public struct MapReport: Codable, Sendable {
  public static let schemaName = "hybrix.map"
  public static let schemaVersion = 1

  public var schema = MapReport.schemaName
  public var schemaVersion = MapReport.schemaVersion
  public var tool = "hybrix"
  public var toolVersion = HybrixVersion.current
  public var model: InspectReport.ModelInfo
  public var workload: WorkloadParameters
  public var precision: InspectReport.PrecisionInfo
  public var architecture: ArchitectureInfo
  public var strategy: String
  public var objective: String
  public var result: Totals
  public var tiers: [TierUse]
  public var operators: [OperatorRow]
  public var baselines: [Baseline]
  public var fallbacks: [String]
  public var timeline: [Event]
  /// Every technology number the architecture uses, with its source.
  public var sources: [SourceRow]
  public var warnings: [String]
  /// Absent for training graphs (never lowered) and reports made from a graph as built.
  public var deploymentLowering: DeploymentLoweringInfo?
  /// What the search was asked for, what it spent and the front it found (absent in reports
  /// written before the search seam).
  public var search: SearchInfo?
  /// `--strategy lionheart`: the analog set, accuracy, gains and decisions (absent otherwise).
  public var lionheart: LionHeartOutcome?

  public struct SearchInfo: Codable, Sendable {
    public var objectives: [String]
    public var constraints: [String]
    public var seed: UInt64
    /// Full simulations run, and how many of them were infeasible, by reason.
    public var evaluations: Int
    public var infeasibleEvaluations: Int
    public var infeasibleReasons: [SearchStatistics.ReasonCount]
    public var accuracyProbes: Int
    /// Wall-clock time of the search (varies run to run).
    public var wallSeconds: Double
    /// "time limit" or "evaluation budget" when a limit cut the search short.
    public var stoppedBy: String?
    /// The Pareto front, sorted by the first objective; the report's mapping is its best point on
    /// the first objective.
    public var front: [FrontRow]
  }

  public struct FrontRow: Codable, Sendable {
    public var latencySeconds: Double
    public var energyJoules: Double
    public var edpJouleSeconds: Double
    /// Area of the tiers this mapping uses.
    public var usedAreaMM2: Double
    public var accuracyDropPoints: Double?
  }

  public struct ArchitectureInfo: Codable, Sendable {
    public var name: String
    public var origin: String
    public var areaMM2: Double
  }

  public struct Totals: Codable, Sendable {
    public var feasible: Bool
    public var infeasible: [String]
    public var latencySeconds: Double
    public var throughputSamplesPerSecond: Double
    public var energyJoules: Double
    public var energyByComponentJoules: [String: Double]
    public var edpJouleSeconds: Double
    public var programmingJoules: Double
    public var programmingSeconds: Double
  }

  public struct TierUse: Codable, Sendable {
    public var id: String
    public var kind: String
    public var count: Int
    public var areaMM2: Double
    public var operators: Int
    public var macs: Int
    public var busySeconds: Double
    /// Busy time ÷ latency.
    public var occupancy: Double
    public var energyJoules: Double
    public var energyByComponentJoules: [String: Double]
  }

  public struct OperatorRow: Codable, Sendable {
    public var index: Int
    public var name: String
    public var label: String
    public var shares: [String: Double]
    public var mainTier: String
    public var startSeconds: Double
    public var endSeconds: Double
    public var energyJoules: Double
    public var movementJoules: Double
    public var macs: Int
    public var utilization: Double?
    public var reprogrammed: Bool
    /// Operators folded or fused into this one by deployment lowering; absent when none.
    public var fused: [FusedOperator]?
  }

  public struct Baseline: Codable, Sendable {
    public var strategy: String
    /// "on this chip", "single-tier architecture" or "single-tier architecture, iso-area".
    public var kind: String?
    /// Area of the compute tiers of the baseline's chip.
    public var areaMM2: Double?
    public var feasible: Bool
    public var reason: String?
    public var latencySeconds: Double?
    public var energyJoules: Double?
    /// Baseline ÷ this mapping: above 1 means this mapping is faster / uses less energy.
    public var latencyRatio: Double?
    public var energyRatio: Double?
    public var edpRatio: Double?
  }

  public struct Event: Codable, Sendable {
    public var resource: String
    public var label: String
    public var kind: String
    public var startSeconds: Double
    public var endSeconds: Double
  }

  public struct SourceRow: Codable, Sendable, Hashable {
    public var tier: String
    public var quantity: String
    public var value: String
    public var source: String
    public var assumed: Bool
  }
}

extension EnergyBreakdown {
  /// Joules by component name, for reports.
  public var byComponentJoules: [String: Double] {
    Dictionary(uniqueKeysWithValues: EnergyComponent.allCases.map { ($0.rawValue, self[$0].joules) })
  }
}

extension MapReport {
  public init(
    graph: Graph, source: String, path: String?, precision: Precision, architecture: Architecture,
    search: SearchResult, baselines: [BaselineRun], warnings: [String] = [],
    lowering: DeploymentLoweringInfo? = nil
  ) {
    let r = search.result
    model = InspectReport.ModelInfo(name: graph.name, source: source, path: path)
    workload = graph.workload
    self.precision = InspectReport.PrecisionInfo(
      name: precision.description, weightBits: precision.weightBits, activationBits: precision.activationBits)
    self.architecture = ArchitectureInfo(
      name: architecture.name, origin: architecture.origin, areaMM2: architecture.computeArea.squareMillimetres)
    strategy = search.strategy
    objective = search.goal.description
    let st = search.statistics
    self.search = SearchInfo(
      objectives: search.goal.objectives.map(\.rawValue), constraints: search.goal.constraints.map(\.description),
      seed: st.seed, evaluations: st.evaluations, infeasibleEvaluations: st.infeasible, infeasibleReasons: st.reasons,
      accuracyProbes: st.accuracyProbes, wallSeconds: st.wallSeconds, stoppedBy: st.stoppedBy?.rawValue,
      front: search.front.points.map {
        FrontRow(
          latencySeconds: $0.cost.latency.seconds, energyJoules: $0.cost.energy.joules, edpJouleSeconds: $0.cost.value(.edp),
          usedAreaMM2: $0.cost.area.squareMillimetres, accuracyDropPoints: $0.accuracy?.points)
      })
    result = Totals(
      feasible: r.isFeasible, infeasible: r.infeasible.map(\.description), latencySeconds: r.latency.seconds,
      throughputSamplesPerSecond: r.throughput, energyJoules: r.energy.total.joules,
      energyByComponentJoules: r.energy.byComponentJoules, edpJouleSeconds: r.edp,
      programmingJoules: r.programmingEnergy.joules, programmingSeconds: r.programmingTime.seconds)
    tiers = architecture.tiers.map { t in
      let ops = r.operators.filter { $0.shares[t.id] != nil }
      let busy = r.busy[t.id]?.seconds ?? 0
      let e = r.energyByTier[t.id] ?? EnergyBreakdown()
      return TierUse(
        id: t.id, kind: type(of: t).kind.rawValue, count: t.common.count, areaMM2: t.area.squareMillimetres,
        operators: ops.count, macs: ops.reduce(0) { $0 + Int((Double($1.macs) * ($1.shares[t.id] ?? 0)).rounded()) },
        busySeconds: busy, occupancy: r.latency.seconds > 0 ? busy / r.latency.seconds : 0,
        energyJoules: e.total.joules, energyByComponentJoules: e.byComponentJoules)
    }
    operators = r.operators.map {
      OperatorRow(
        index: $0.index, name: $0.name, label: $0.label, shares: $0.shares, mainTier: $0.mainTier,
        startSeconds: $0.start.seconds, endSeconds: $0.end.seconds, energyJoules: $0.energy.total.joules,
        movementJoules: $0.movementEnergy.joules, macs: $0.macs, utilization: $0.utilization,
        reprogrammed: $0.reprogrammed,
        fused: graph.operators.indices.contains($0.index) && graph.operators[$0.index].name == $0.name
          ? graph.operators[$0.index].fused.nonEmpty : nil)
    }
    self.baselines = baselines.map { run in
      let b = run.search
      let br = b.result
      let kind = run.kind.rawValue
      let area = run.area.baseValue * 1e6
      guard br.isFeasible else {
        return Baseline(
          strategy: b.strategy, kind: kind, areaMM2: area, feasible: false, reason: br.infeasible.first?.description,
          latencySeconds: nil, energyJoules: nil, latencyRatio: nil, energyRatio: nil, edpRatio: nil)
      }
      let ok = r.isFeasible
      return Baseline(
        strategy: b.strategy, kind: kind, areaMM2: area, feasible: true, reason: nil, latencySeconds: br.latency.seconds,
        energyJoules: br.energy.total.joules,
        latencyRatio: ok ? br.latency.seconds / r.latency.seconds : nil,
        energyRatio: ok ? br.energy.total.joules / r.energy.total.joules : nil,
        edpRatio: ok ? br.edp / r.edp : nil)
    }
    fallbacks = search.fallbacks
    timeline = r.timeline.map {
      Event(resource: $0.resource, label: $0.label, kind: $0.kind.rawValue, startSeconds: $0.start.seconds, endSeconds: $0.end.seconds)
    }
    sources = architecture.sourceRows()
    self.warnings = warnings
    deploymentLowering = lowering
  }
}

extension Architecture {
  /// Every sourced technology number, for the report's citation table.
  func sourceRows() -> [MapReport.SourceRow] {
    var rows: [MapReport.SourceRow] = []
    for t in tiers {
      let c = t.common
      rows.append(.init(tier: t.id, quantity: "area per unit", value: c.areaPerUnit.value.description, source: c.areaPerUnit.source, assumed: c.areaPerUnit.assumed))
      rows.append(.init(tier: t.id, quantity: "static power per unit", value: c.staticPowerPerUnit.value.description, source: c.staticPowerPerUnit.source, assumed: c.staticPowerPerUnit.assumed))
      for a in Action.allCases {
        if let e = c.energy[a] {
          rows.append(.init(tier: t.id, quantity: "energy: \(a)", value: e.value.description, source: e.source, assumed: e.assumed))
        }
      }
    }
    let m = memory
    rows.append(.init(tier: "memory", quantity: "DRAM bandwidth", value: m.dramBandwidth.value.description, source: m.dramBandwidth.source, assumed: m.dramBandwidth.assumed))
    rows.append(.init(tier: "memory", quantity: "DRAM energy", value: m.dramEnergy.value.description, source: m.dramEnergy.source, assumed: m.dramEnergy.assumed))
    rows.append(.init(tier: "memory", quantity: "global buffer bandwidth", value: m.globalBufferBandwidth.value.description, source: m.globalBufferBandwidth.source, assumed: m.globalBufferBandwidth.assumed))
    rows.append(.init(tier: "memory", quantity: "global buffer energy", value: m.globalBufferEnergy.value.description, source: m.globalBufferEnergy.source, assumed: m.globalBufferEnergy.assumed))
    for l in links {
      rows.append(.init(tier: "link \(l.from)↔\(l.to)", quantity: "bandwidth", value: l.bandwidth.value.description, source: l.bandwidth.source, assumed: l.bandwidth.assumed))
      rows.append(.init(tier: "link \(l.from)↔\(l.to)", quantity: "energy", value: l.energy.value.description, source: l.energy.source, assumed: l.energy.assumed))
    }
    return rows
  }
}
