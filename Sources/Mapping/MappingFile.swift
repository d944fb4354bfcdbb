import Foundation
import Hardware
import HybrixCore
import Workloads

/// A saved mapping, schema `hybrix.mapping`: where every operator of a graph runs — its shares on
/// the architecture's tiers, in the order of their extents along the split axis — with the model,
/// options and architecture it was made for. Version 2 adds, per operator, the rows each share
/// holds (``OperatorEntry/rowOrder``, H3PIMAP's Row Remap) and the arrays by mode and segment
/// (``OperatorEntry/arrays``, CMSwitch); a file is written in the lowest version that carries
/// its content, so a plan of shares alone stays readable by tools that read version 1.
///
/// `hybrix map --save-mapping` writes one; `hybrix map --mapping`, `hybrix accuracy --mapping` and
/// later commands read it back with ``read(file:)`` and check it against the graph and
/// architecture they loaded (``plan(for:architecture:file:lowering:)``,
/// ``assignments(architecture:file:)``). Fractions are written as shortest round-trip decimals,
/// so a plan read back equals the plan written, bit for bit.
///
/// The JSON Schemas are `docs/schemas/hybrix.mapping.v1.schema.json` and `….v2.schema.json`;
/// `docs/mapping-file.md` describes the format and what is checked on reading. The reader rejects
/// keys it does not know (naming them): a later format that adds fields raises the version.
public struct MappingFile: Codable, Sendable, Hashable {
  public static let schemaName = "hybrix.mapping"
  /// The newest version this tool writes and reads.
  public static let schemaVersion = 2
  /// The versions this tool reads.
  public static let schemaVersions = 1...2

  public var schema = MappingFile.schemaName
  public var schemaVersion = MappingFile.schemaVersion
  public var tool = "hybrix"
  /// The version of the tool that wrote the file.
  public var toolVersion: String
  public var model: Model
  public var architecture: ArchitectureInfo
  /// The strategy that made the mapping (informational, free text).
  public var strategy: String?
  /// What the strategy optimised (informational, free text).
  public var goal: String?
  /// One entry per operator of the graph, in graph order.
  public var operators: [OperatorEntry]

  /// The workload the mapping places.
  public struct Model: Codable, Sendable, Hashable {
    /// The graph's name (zoo model or ONNX graph name).
    public var name: String
    /// `zoo` or `onnx`.
    public var source: String
    /// The ONNX file as given on the command line (absent for zoo models).
    public var path: String?
    /// Operators of the graph the mapping places (after lowering).
    public var operators: Int
    public var lowering: Lowering
    /// Phase, batch and sizes the graph was instantiated with.
    public var workload: WorkloadParameters
    public var precision: PrecisionInfo

    public init(
      name: String, source: String, path: String?, operators: Int, lowering: Lowering,
      workload: WorkloadParameters, precision: PrecisionInfo
    ) {
      self.name = name
      self.source = source
      self.path = path
      self.operators = operators
      self.lowering = lowering
      self.workload = workload
      self.precision = precision
    }
  }

  /// How the graph was lowered before it was mapped.
  public enum Lowering: String, Codable, Sendable, Hashable, CaseIterable {
    /// BatchNorms folded and activations fused, as `hybrix map` does by default.
    case deployment
    /// The graph as built (`--no-fusion`, or a training graph, which is never lowered).
    case none
  }

  public struct PrecisionInfo: Codable, Sendable, Hashable {
    /// As `--precision` takes it: `int8`, `fp16`, `w4a16`.
    public var name: String
    public var weightBits: Int
    public var activationBits: Int

    public init(_ precision: Precision) {
      name = precision.description
      weightBits = precision.weightBits
      activationBits = precision.activationBits
    }

    public var precision: Precision {
      Precision(weightBits: weightBits, activationBits: activationBits)
    }
  }

  /// The architecture the mapping was made for: its name and its tiers in order.
  public struct ArchitectureInfo: Codable, Sendable, Hashable {
    public var name: String
    public var tiers: [Tier]

    public struct Tier: Codable, Sendable, Hashable {
      public var id: String
      public var kind: TierKind
      public init(id: String, kind: TierKind) {
        self.id = id
        self.kind = kind
      }
    }

    public init(name: String, tiers: [Tier]) {
      self.name = name
      self.tiers = tiers
    }

    public init(_ architecture: Architecture) {
      self.init(
        name: architecture.name,
        tiers: architecture.tiers.map { Tier(id: $0.id, kind: type(of: $0).kind) })
    }
  }

  /// Where one operator runs.
  public struct OperatorEntry: Codable, Sendable, Hashable {
    public var name: String
    /// The shares in the order of their extents along ``axis`` (``ShareExtents``).
    public var shares: [Share]
    public var axis: SplitAxis
    /// Version 2, an `n` split only: the operator's output columns (weight rows) in share order —
    /// share *i* holds `rowOrder[extents[i]]` (``Placement/rowOrder``); absent: contiguous.
    public var rowOrder: [Int]?
    /// Version 2: the operator's arrays by mode in its segment (``ArrayAllocation``), for a
    /// whole operator on a dual-mode CIM tier.
    public var arrays: Arrays?

    public init(name: String, shares: [Share], axis: SplitAxis, rowOrder: [Int]? = nil, arrays: Arrays? = nil) {
      self.name = name
      self.shares = shares
      self.axis = axis
      self.rowOrder = rowOrder
      self.arrays = arrays
    }

    /// Whether the entry needs version 2.
    var needsVersion2: Bool { rowOrder != nil || arrays != nil }
  }

  /// An operator's arrays by mode (``ArrayAllocation``) as the file holds them: the counts that
  /// are the operator's own and its segment. What a segment shares (its operators, its memory
  /// arrays) is derived from the entries of the segment when the plan is made, so the file
  /// cannot contradict itself.
  public struct Arrays: Codable, Sendable, Hashable {
    public var compute: Int
    public var inputBuffers: Int
    public var outputBuffers: Int
    public var sharedInputBuffers: Int
    public var segment: Int

    public init(compute: Int, inputBuffers: Int, outputBuffers: Int, sharedInputBuffers: Int, segment: Int) {
      self.compute = compute
      self.inputBuffers = inputBuffers
      self.outputBuffers = outputBuffers
      self.sharedInputBuffers = sharedInputBuffers
      self.segment = segment
    }

    public init(_ a: ArrayAllocation) {
      self.init(
        compute: a.compute, inputBuffers: a.inputBuffers, outputBuffers: a.outputBuffers,
        sharedInputBuffers: a.sharedInputBuffers, segment: a.segment)
    }
  }

  /// A fraction of an operator's work on the tier with id `tier`.
  public struct Share: Codable, Sendable, Hashable {
    public var tier: String
    /// In (0, 1]; the fractions of an operator add up to 1 (within 1e-9).
    public var fraction: Double
    public init(tier: String, fraction: Double) {
      self.tier = tier
      self.fraction = fraction
    }
  }

  public init(
    toolVersion: String, model: Model, architecture: ArchitectureInfo, strategy: String? = nil,
    goal: String? = nil, operators: [OperatorEntry]
  ) {
    self.toolVersion = toolVersion
    self.model = model
    self.architecture = architecture
    self.strategy = strategy
    self.goal = goal
    self.operators = operators
  }

  /// The file of `plan`, a mapping of `graph` onto `architecture`.
  ///
  /// - Parameters:
  ///   - source: `zoo` or `onnx`; `path`: the ONNX file as given (`nil` for zoo models).
  ///   - lowering: How `graph` was lowered (`.none` for `--no-fusion` and training graphs).
  ///   - toolVersion: The version of the tool writing the file.
  /// - Precondition: `plan` places every operator of `graph` on tiers of `architecture`
  ///   (a plan a strategy or ``plan(for:architecture:file:lowering:)`` made for them).
  public init(
    plan: MappingPlan, graph: Graph, architecture: Architecture, precision: Precision,
    lowering: Lowering, source: String, path: String? = nil, toolVersion: String,
    strategy: String? = nil, goal: String? = nil
  ) {
    precondition(
      plan.placements.count == graph.operators.count,
      "the plan places \(plan.placements.count) operators, the graph has \(graph.operators.count)")
    let ids = architecture.tiers.map(\.id)
    let entries = zip(graph.operators, plan.placements).map { op, p in
      OperatorEntry(
        name: op.name,
        shares: p.shares.map { s in
          precondition(
            ids.indices.contains(s.tier),
            "tier index \(s.tier) of \(op.name) is not in \(architecture.name)")
          return Share(tier: ids[s.tier], fraction: s.fraction)
        },
        axis: p.axis,
        rowOrder: p.axis == .n && p.shares.count > 1 ? p.rowOrder.flatMap { $0 == Array($0.indices) ? nil : $0 } : nil,
        arrays: p.arrays.map(Arrays.init))
    }
    self.init(
      toolVersion: toolVersion,
      model: Model(
        name: graph.name, source: source, path: path, operators: graph.operators.count,
        lowering: lowering,
        workload: graph.workload, precision: PrecisionInfo(precision)),
      architecture: ArchitectureInfo(architecture), strategy: strategy, goal: goal,
      operators: entries)
    schemaVersion = entries.contains(where: \.needsVersion2) ? 2 : 1
  }

  /// The file as pretty-printed JSON with sorted keys and a trailing newline.
  ///
  /// - Throws: ``ConfigError`` when a value cannot be written as JSON (a non-finite fraction).
  public func encoded() throws(ConfigError) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
      return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    } catch {
      throw ConfigError(
        message: "cannot write the mapping as JSON: \(error)", expected: "finite fractions",
        hint: "every fraction must be a number in (0, 1]")
    }
  }

  /// Writes ``encoded()`` to `path`.
  public func write(file path: String) throws(ConfigError) {
    let text = try encoded()
    do {
      try text.write(toFile: path, atomically: true, encoding: .utf8)
    } catch {
      throw ConfigError(
        file: path, message: "cannot write the mapping: \(error.localizedDescription)",
        hint: "check that the folder exists and is writable")
    }
  }
}
