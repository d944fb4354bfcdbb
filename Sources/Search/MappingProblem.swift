import Hardware
import HybrixCore
import Mapping
import Workloads

/// What a strategy sees: the graph, the tiers' kinds and capacities, and cost oracles that the
/// driver connects to the cost model. A strategy never builds a cost model itself.
public struct MappingProblem: Sendable {
  public let graph: Graph
  public let tierIDs: [String]
  public let tierKinds: [TierKind]
  /// Bytes of static weights each tier can keep programmed (`nil`: it holds none).
  public let weightCapacity: [Double?]
  /// Bytes of static weights of each operator at the workload precision.
  public let weightBytes: [Double]
  /// Bytes of each operator's output at the workload precision.
  public let outputBytes: [Double]
  /// Seconds and joules of a share of an operator on a tier; `nil` when the tier cannot run it.
  public let sliceCost: @Sendable (_ op: Int, _ tier: Int, _ fraction: Double, _ axis: SplitAxis, _ resident: Bool) -> (seconds: Double, joules: Double)?
  /// Seconds and joules to move bytes between two tiers (zero when they are the same).
  public let transferCost: @Sendable (_ bytes: Double, _ from: Int, _ to: Int) -> (seconds: Double, joules: Double)
  /// The full simulation of a mapping.
  public let evaluate: @Sendable (Mapping) -> MappingResult

  public init(
    graph: Graph, tierIDs: [String], tierKinds: [TierKind], weightCapacity: [Double?],
    weightBytes: [Double], outputBytes: [Double],
    sliceCost: @escaping @Sendable (Int, Int, Double, SplitAxis, Bool) -> (seconds: Double, joules: Double)?,
    transferCost: @escaping @Sendable (Double, Int, Int) -> (seconds: Double, joules: Double),
    evaluate: @escaping @Sendable (Mapping) -> MappingResult
  ) {
    self.graph = graph
    self.tierIDs = tierIDs
    self.tierKinds = tierKinds
    self.weightCapacity = weightCapacity
    self.weightBytes = weightBytes
    self.outputBytes = outputBytes
    self.sliceCost = sliceCost
    self.transferCost = transferCost
    self.evaluate = evaluate
  }

  /// The driver's problem for `graph` on `architecture` at `precision`.
  public init(graph: Graph, architecture: Architecture, precision: Precision) {
    let model = CostModel(graph: graph, architecture: architecture, precision: precision)
    let simulator = ScheduleSimulator(cost: model)
    self.init(
      graph: graph, tierIDs: architecture.tiers.map(\.id), tierKinds: architecture.tiers.map { type(of: $0).kind },
      weightCapacity: architecture.tiers.map { $0.weightCapacityBytes(weightBits: precision.weightBits) },
      weightBytes: graph.operators.map { $0.secondOperand == .staticWeight ? Double($0.bytes(at: precision).weights) : 0 },
      outputBytes: graph.operators.map { Double($0.bytes(at: precision).out) },
      sliceCost: { op, tier, f, axis, resident in
        let work = Lowering.work(graph.operators[op], fraction: f, axis: axis, precision: precision, weightsResident: resident)
        return model.quickCost(work, on: tier)
      },
      transferCost: { bytes, a, b in
        guard let t = model.transfer(bytes, from: a, to: b) else { return (0, 0) }
        return (t.seconds, t.joules)
      },
      evaluate: { simulator.run($0) })
  }

  /// The first digital tier, which hosts work other tiers cannot run.
  public var hostTier: Int? { tierKinds.firstIndex(of: .digital) }
}

/// What a strategy returns.
public struct SearchResult: Sendable {
  public var strategy: String
  public var mapping: Mapping
  public var result: MappingResult
  /// Full simulations run.
  public var evaluations: Int
  /// Operators that could not go where the strategy wanted and were placed on the host.
  public var fallbacks: [String]
}

/// A way of choosing a mapping [STYLE §4].
public protocol SearchStrategy: Sendable {
  /// The name written on the command line (`greedy`, `homogeneous:sa0`).
  var name: String { get }
  func search(_ problem: MappingProblem, objective: Objective) -> SearchResult
}
