import Hardware
import HybrixCore
import Mapping
import Search
import Workloads

/// What `hybrix explore` reports (schema `hybrix.explore` v1): H3PIMAP's stage-1 front with its
/// hypervolume, the picked point with its rows per tier, the baselines (every homogeneous
/// mapping, the equal split, greedy) and the ratios against them, and random mappings for the
/// scatter. Every figure is the simulator's.
public struct ExploreReport: Codable, Sendable {
  public static let schemaName = "hybrix.explore"
  public static let schemaVersion = 1

  public var schema = ExploreReport.schemaName
  public var schemaVersion = ExploreReport.schemaVersion
  public var tool = "hybrix"
  public var toolVersion = HybrixVersion.current
  public var model: InspectReport.ModelInfo
  public var workload: WorkloadParameters
  public var precision: InspectReport.PrecisionInfo
  public var architecture: MapReport.ArchitectureInfo
  public var tiers: [String]
  public var objectives: [String]
  public var settings: Settings
  public var search: SearchSummary
  /// Sorted by the first objective.
  public var front: [Point]
  public var hypervolume: HypervolumeInfo
  public var pick: PickInfo
  public var baselines: [Baseline]
  public var ratios: [Ratio]
  /// Random mappings of the same space, simulated (the paper's scatter shows 100).
  public var random: [Point]
  public var warnings: [String]
  /// Stage 2 (Row Remap), present when an accuracy constraint was given: the rows moved, each
  /// step's accuracy interval and cost, and the front before and after (additive to v1).
  public var rowRemap: RowRemapTrace?

  public struct Settings: Codable, Sendable {
    public var population: Int
    public var generations: Int
    public var grid: Int
    public var seed: UInt64
    public init(population: Int, generations: Int, grid: Int, seed: UInt64) {
      self.population = population
      self.generations = generations
      self.grid = grid
      self.seed = seed
    }
  }

  public struct SearchSummary: Codable, Sendable {
    /// Simulations (the driver's count).
    public var evaluations: Int
    public var generationsRun: Int
    public var wallSeconds: Double
    public var evaluationsPerSecond: Double
    /// Set when --time-limit (or an evaluation budget) cut the search: the front is the best so far.
    public var stoppedBy: String?
  }

  public struct TierFraction: Codable, Sendable {
    public var tier: String
    public var fraction: Double
  }

  public struct Point: Codable, Sendable {
    public var latencySeconds: Double
    public var energyJoules: Double
    public var edpJouleSeconds: Double
    /// Area of the tiers the mapping uses.
    public var areaSquareMetres: Double
    /// Share of the model's MACs on each tier.
    public var macShare: [TierFraction]
    /// The Monte-Carlo accuracy drop, where measured (stage 2; additive to v1).
    public var accuracy: AccuracyDrop?
  }

  public struct HypervolumeInfo: Codable, Sendable {
    /// The front's hypervolume over the box from `ideal` to `reference`, scaled to the unit box.
    public var normalised: Double
    /// In SI units (seconds × joules × … of the objectives).
    public var value: Double
    public var ideal: [Double]
    public var reference: [Double]
    public var note: String
  }

  public struct Share: Codable, Sendable {
    public var tier: String
    public var fraction: Double
    /// Output channels (weight rows) on this tier; absent for an operator without a product.
    public var rows: Int?
  }

  public struct OperatorSplit: Codable, Sendable {
    public var index: Int
    public var name: String
    public var kind: String
    public var rows: Int?
    public var shares: [Share]
  }

  public struct PickInfo: Codable, Sendable {
    public var rule: String
    /// Index into ``front``; absent when the front is empty.
    public var index: Int?
    public var operators: [OperatorSplit]
  }

  public struct Baseline: Codable, Sendable {
    public var name: String
    /// `homogeneous`, `equal split` or `greedy`.
    public var kind: String
    public var point: Point?
    public var reason: String?
  }

  /// Baseline ÷ point: above 1 the point is better.
  public struct Ratio: Codable, Sendable {
    /// `picked`, `min-latency` or `min-energy`.
    public var point: String
    public var baseline: String
    public var latency: Double
    public var energy: Double
  }
}

extension ExploreReport {
  /// The report of a stage-1 search.
  public init(
    graph: Graph, source: String, path: String?, precision: Precision, architecture: Architecture, goal: Goal,
    settings: Settings, search: SearchResult, generationsRun: Int, pick rule: FrontPick,
    baselines: [(name: String, kind: String, result: SearchResult)], random: [FrontPoint], warnings: [String],
    rowRemap: RowRemapTrace? = nil
  ) {
    self.rowRemap = rowRemap
    let tierIDs = architecture.tiers.map(\.id)
    let point = { (p: FrontPoint) in Self.point(p, graph: graph, tiers: tierIDs) }
    model = InspectReport.ModelInfo(name: graph.name, source: source, path: path)
    workload = graph.workload
    self.precision = InspectReport.PrecisionInfo(
      name: precision.description, weightBits: precision.weightBits, activationBits: precision.activationBits)
    self.architecture = MapReport.ArchitectureInfo(
      name: architecture.name, origin: architecture.origin, areaMM2: architecture.computeArea.squareMillimetres)
    tiers = tierIDs
    objectives = goal.objectives.map(\.rawValue)
    self.settings = settings
    let s = search.statistics
    self.search = SearchSummary(
      evaluations: s.evaluations, generationsRun: generationsRun, wallSeconds: s.wallSeconds,
      evaluationsPerSecond: s.wallSeconds > 0 ? Double(s.evaluations) / s.wallSeconds : 0, stoppedBy: s.stoppedBy?.rawValue)
    let points = search.front.points
    front = points.map(point)
    self.baselines = baselines.map { b in
      Baseline(
        name: b.name, kind: b.kind, point: b.result.front.points.first.map(point),
        reason: b.result.isFeasible ? nil : b.result.result.infeasible.first?.statement)
    }
    self.random = random.map(point)
    self.warnings = warnings

    let costs = points.map(\.cost)
    let chosen = rule.pick(costs, objectives: goal.objectives)
    pick = PickInfo(rule: rule.rawValue, index: chosen, operators: chosen.map { Self.splits(points[$0].plan, graph: graph, tiers: tierIDs) } ?? [])
    hypervolume = Self.hypervolume(costs, baselines: baselines.compactMap { $0.result.front.points.first?.cost }, objectives: goal.objectives)

    var ratios: [Ratio] = []
    let named: [(String, Int?)] = [
      ("picked", chosen), ("min-latency", FrontPick.minLatency.pick(costs, objectives: goal.objectives)),
      ("min-energy", FrontPick.minEnergy.pick(costs, objectives: goal.objectives)),
    ]
    for (label, index) in named {
      guard let i = index else { continue }
      for b in baselines {
        guard let c = b.result.front.points.first?.cost else { continue }
        ratios.append(Ratio(
          point: label, baseline: b.name, latency: c.latency.seconds / costs[i].latency.seconds,
          energy: c.energy.joules / costs[i].energy.joules))
      }
    }
    self.ratios = ratios
  }

  static func point(_ p: FrontPoint, graph: Graph, tiers: [String]) -> Point {
    let total = max(1, graph.operators.reduce(0) { $0 + $1.macs })
    var macs = [Double](repeating: 0, count: tiers.count)
    for (op, placement) in zip(graph.operators, p.plan.placements) {
      for s in placement.shares where tiers.indices.contains(s.tier) { macs[s.tier] += Double(op.macs) * s.fraction }
    }
    return Point(
      latencySeconds: p.cost.latency.seconds, energyJoules: p.cost.energy.joules, edpJouleSeconds: p.cost.value(.edp),
      areaSquareMetres: p.cost.area.baseValue,
      macShare: tiers.indices.map { TierFraction(tier: tiers[$0], fraction: macs[$0] / Double(total)) }, accuracy: p.accuracy)
  }

  static func splits(_ plan: MappingPlan, graph: Graph, tiers: [String]) -> [OperatorSplit] {
    zip(graph.operators.indices, plan.placements).map { i, p in
      let op = graph.operators[i]
      let rows = op.matmul?.n
      let extents = rows.map { p.extents(of: $0) }
      return OperatorSplit(
        index: i, name: op.name, kind: op.label, rows: rows,
        shares: p.shares.enumerated().map { s, share in
          Share(tier: tiers.indices.contains(share.tier) ? tiers[share.tier] : "\(share.tier)", fraction: share.fraction, rows: extents.map { $0[s].count })
        })
    }
  }

  /// The front's hypervolume in the box from the best to 1.1 × the worst figure of the front
  /// and the baselines, on each objective.
  static func hypervolume(_ front: [CostVector], baselines: [CostVector], objectives: [Metric]) -> HypervolumeInfo {
    let all = front + baselines
    let ideal = objectives.map { m in all.map { $0.value(m) }.min() ?? 0 }
    let worst = objectives.map { m in all.map { $0.value(m) }.max() ?? 0 }
    let reference = zip(ideal, worst).map { $1 + 0.1 * ($1 - $0) }
    let pts = front.map { c in objectives.map { c.value($0) } }
    return HypervolumeInfo(
      normalised: Hypervolume.normalised(pts, ideal: ideal, reference: reference), value: Hypervolume.of(pts, reference: reference),
      ideal: ideal, reference: reference,
      note: "box from the best to 1.1 × the worst figure of the front and the baselines on each objective (SI units)")
  }
}
