import Hardware
import HybrixCore
import Mapping
import Search
import Workloads

/// What `hybrix compile` reports (schema `hybrix.compile` v1, docs/schemas/hybrix.compile.v1.schema.json): the segments, each operator's
/// arrays by mode, the switches per boundary, latency and energy against the compute-only
/// baseline (both simulated), and what compiling cost.
public struct CompileReport: Codable, Sendable {
  public static let schemaName = "hybrix.compile"
  public static let schemaVersion = 1

  public struct Segment: Codable, Sendable {
    public var index: Int
    public var firstOperator: String
    public var lastOperator: String
    public var cimOperators: Int
    public var computeArrays: Int
    public var memoryArrays: Int
    /// Arrays switching mode at the boundary before it.
    public var switches: Int
    public var boundarySeconds: Double
    public var seconds: Double
  }
  public struct OperatorArrays: Codable, Sendable {
    public var name: String
    public var segment: Int
    public var compute: Int
    public var inputBuffers: Int
    public var outputBuffers: Int
    public var sharedInputBuffers: Int
    /// The product this operator is a part of, when it was split (``SplitOperator``).
    public var partOf: String?
  }
  /// A product too large for the chip split into parts (CMSwitch's pre-processing), with the
  /// segments its parts landed in.
  public struct SplitOperator: Codable, Sendable {
    public var name: String
    public var parts: Int
    /// Arrays the whole product's weights need, and each part's.
    public var arrays: Int
    public var partArrays: [Int]
    /// Output columns of each part.
    public var columns: [Int]
    /// The segment of each part in the dual-mode program.
    public var segments: [Int]
  }
  public struct Compilation: Codable, Sendable {
    public var solver: String
    public var segmentProblems: Int
    public var provenOptimal: Int
    public var largestGap: Double
    public var solverSeconds: Double
    public var totalSeconds: Double
    public init(_ p: CompiledProgram) {
      solver = p.solver
      segmentProblems = p.solves
      provenOptimal = p.proven
      largestGap = p.largestGap
      solverSeconds = p.solverSeconds
      totalSeconds = p.totalSeconds
    }
  }
  public var schema = CompileReport.schemaName
  public var schemaVersion = CompileReport.schemaVersion
  public var tool = "hybrix"
  public var toolVersion = HybrixVersion.current
  public var model: String
  public var architecture: String
  public var tier: String
  public var arrays: Int
  public var dualMode: Bool
  public var notes: [String]
  public var latencySeconds: Double
  public var energyJoules: Double
  public var baselineLatencySeconds: Double
  public var baselineEnergyJoules: Double
  public var speedup: Double
  /// Share of the latency spent at segment boundaries (switches and write-back).
  public var switchingShare: Double
  /// Time-weighted share of the arrays in memory mode.
  public var memoryArrayShare: Double
  public var compile: Compilation
  public var baselineCompile: Compilation
  public var segments: [Segment]
  /// The compute-only baseline's segments, for the modes-over-time chart.
  public var baselineSegments: [Segment]
  public var operators: [OperatorArrays]
  /// Products too large for the chip, split into parts that fit (empty: none).
  public var splitOperators: [SplitOperator]
  public var infeasible: [String]
  /// The output-length study (`--generate`): prefill of the prompt, then decode steps.
  public var generation: GenerationStudy.Outcome?

  public init(
    graph: Graph, architecture: Architecture, program: CompiledProgram, baseline: CompiledProgram,
    simulated: MappingResult, simulatedBaseline: MappingResult, notes: [String], splitting: OperatorSplitting? = nil
  ) {
    model = graph.name
    self.architecture = architecture.name
    tier = architecture.tiers[program.tier].id
    arrays = program.arrays
    dualMode = program.dualMode
    self.notes = notes
    latencySeconds = simulated.latency.seconds
    energyJoules = simulated.energy.total.joules
    baselineLatencySeconds = simulatedBaseline.latency.seconds
    baselineEnergyJoules = simulatedBaseline.energy.total.joules
    speedup = latencySeconds > 0 ? baselineLatencySeconds / latencySeconds : 0
    switchingShare = latencySeconds > 0 ? program.boundarySeconds / latencySeconds : 0
    let busy = program.segments.reduce(0) { $0 + $1.intraSeconds }
    memoryArrayShare =
      busy > 0 ? program.segments.reduce(0) { $0 + $1.intraSeconds * Double($1.allocation.memoryArrays) } / (busy * Double(max(1, program.arrays))) : 0
    compile = Compilation(program)
    baselineCompile = Compilation(baseline)
    segments = Self.segments(program, graph)
    baselineSegments = Self.segments(baseline, graph)
    let original = splitting?.original ?? [:]
    operators = program.plan.placements.enumerated().compactMap { i, p in
      p.arrays.map {
        OperatorArrays(
          name: graph.operators[i].name, segment: $0.segment, compute: $0.compute, inputBuffers: $0.inputBuffers,
          outputBuffers: $0.outputBuffers, sharedInputBuffers: $0.sharedInputBuffers, partOf: original[graph.operators[i].name])
      }
    }
    var segmentOf: [String: Int] = [:]
    for o in operators { segmentOf[o.name] = o.segment }
    splitOperators = (splitting?.splits ?? []).map { s in
      SplitOperator(
        name: s.name, parts: s.parts, arrays: s.arrays, partArrays: s.partArrays, columns: s.split.columns,
        segments: s.split.partNames.map { segmentOf[$0] ?? -1 })
    }
    infeasible = simulated.infeasible.map(\.description)
  }

  static func segments(_ program: CompiledProgram, _ graph: Graph) -> [Segment] {
    var previous = 0
    return program.segments.enumerated().map { n, s in
      let m = s.allocation.memoryArrays
      defer { previous = m }
      return Segment(
        index: n, firstOperator: graph.operators[s.operators.lowerBound].name,
        lastOperator: graph.operators[s.operators.upperBound - 1].name, cimOperators: s.last - s.first + 1,
        computeArrays: s.allocation.compute.reduce(0, +), memoryArrays: m, switches: abs(m - previous),
        boundarySeconds: s.interSeconds, seconds: s.intraSeconds)
    }
  }
}
