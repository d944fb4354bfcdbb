import HybrixCore
import Workloads

/// Every JSON report starts with these fields, so a reader can check the schema version before
/// decoding the rest.
public struct ReportHeader: Codable, Sendable, Hashable {
  public var schema: String
  public var schemaVersion: Int
  public var tool: String
  public var toolVersion: String
}

/// The tool's version, written into every report.
public enum HybrixVersion {
  public static let current = "0.1.0"
}

/// `hybrix inspect --json`, schema `hybrix.inspect` version 1: the operators of a workload with
/// their shapes and counts, and the totals.
///
/// Units: counts are plain integers (MACs, operations, parameters, elements); sizes are bytes;
/// arithmetic intensity is operations (2 per MAC) per byte of compulsory traffic.
public struct InspectReport: Codable, Sendable, Hashable {
  public static let schemaName = "hybrix.inspect"
  public static let schemaVersion = 1

  public var schema = InspectReport.schemaName
  public var schemaVersion = InspectReport.schemaVersion
  public var tool = "hybrix"
  public var toolVersion = HybrixVersion.current
  public var model: ModelInfo
  public var workload: WorkloadParameters
  public var precision: PrecisionInfo
  public var totals: Totals
  public var byKind: [KindTotals]
  public var operators: [OperatorRow]
  public var warnings: [String]
  /// Absent for training graphs (never lowered) and reports made from a graph as built.
  public var deploymentLowering: DeploymentLoweringInfo?

  public struct ModelInfo: Codable, Sendable, Hashable {
    /// Zoo name or file name.
    public var name: String
    /// `zoo` or `onnx`.
    public var source: String
    public var path: String?
  }

  public struct PrecisionInfo: Codable, Sendable, Hashable {
    public var name: String
    public var weightBits: Int
    public var activationBits: Int
  }

  public struct Bytes: Codable, Sendable, Hashable {
    public var activationsIn: Int
    public var weights: Int
    public var kvCache: Int
    public var out: Int
    public var total: Int
    init(_ b: OperandBytes) {
      activationsIn = b.activationsIn
      weights = b.weights
      kvCache = b.kvCache
      out = b.out
      total = b.total
    }
  }

  public struct Totals: Codable, Sendable, Hashable {
    public var operators: Int
    public var macs: Int
    public var vectorOps: Int
    public var operations: Int
    public var parameters: Int
    /// Bytes of all distinct weights at the weight precision.
    public var weightStorageBytes: Int
    public var bytes: Bytes
    /// Operations per byte over the whole graph; `null` if nothing moves.
    public var arithmeticIntensity: Double?
    /// Bytes of keys and values read from the KV cache (decode), i.e. per generated token of
    /// each sequence in the batch.
    public var kvCacheBytesPerStep: Int
    /// Matrix-product MACs whose second operand is static (weights) vs dynamic (activations).
    public var staticWeightMACs: Int
    public var dynamicOperandMACs: Int
  }

  public struct KindTotals: Codable, Sendable, Hashable {
    public var kind: String
    public var count: Int
    public var macs: Int
    public var vectorOps: Int
    public var parameters: Int
    public var bytes: Int
  }

  public struct OperatorRow: Codable, Sendable, Hashable {
    public var index: Int
    public var name: String
    public var kind: String
    public var label: String
    public var pass: String
    public var inputShapes: [[Int]]
    public var outputShapes: [[Int]]
    public var matmul: MatMulShape?
    public var secondOperand: String
    public var macs: Int
    public var vectorOps: Int
    public var parameters: Int
    public var bytes: Bytes
    public var arithmeticIntensity: Double?
    /// Operators folded or fused into this one by deployment lowering; absent when none.
    public var fused: [FusedOperator]?
  }
}

extension InspectReport {
  /// Builds the report of `graph` at `precision`; `lowering` says how the graph was lowered.
  public init(
    graph: Graph, precision: Precision, source: String, path: String?, warnings: [String] = [],
    lowering: DeploymentLoweringInfo? = nil
  ) {
    let t = graph.totals(at: precision)
    model = ModelInfo(name: graph.name, source: source, path: path)
    workload = graph.workload
    self.precision = PrecisionInfo(
      name: precision.description, weightBits: precision.weightBits,
      activationBits: precision.activationBits)
    let products = graph.operators.filter { $0.matmul != nil }
    totals = Totals(
      operators: t.operators, macs: t.macs, vectorOps: t.vectorOps, operations: t.operations,
      parameters: t.parameters, weightStorageBytes: t.weightStorageBytes, bytes: Bytes(t.bytes),
      arithmeticIntensity: t.arithmeticIntensity, kvCacheBytesPerStep: t.bytes.kvCache,
      staticWeightMACs: products.filter { $0.secondOperand == .staticWeight }.reduce(0) { $0 + $1.macs },
      dynamicOperandMACs: products.filter { $0.secondOperand == .dynamic }.reduce(0) { $0 + $1.macs })
    var kinds: [String: KindTotals] = [:]
    var order: [String] = []
    for op in graph.operators {
      let key = op.kind.rawValue
      if kinds[key] == nil {
        kinds[key] = KindTotals(kind: key, count: 0, macs: 0, vectorOps: 0, parameters: 0, bytes: 0)
        order.append(key)
      }
      kinds[key]?.count += 1
      kinds[key]?.macs += op.macs
      kinds[key]?.vectorOps += op.vectorOps
      kinds[key]?.parameters += op.parameterCount
      kinds[key]?.bytes += op.bytes(at: precision).total
    }
    byKind = order.compactMap { kinds[$0] }
    operators = graph.operators.enumerated().map { i, op in
      OperatorRow(
        index: i, name: op.name, kind: op.kind.rawValue, label: op.label, pass: op.pass.rawValue,
        inputShapes: op.inputs.map { graph[$0].shape.dims },
        outputShapes: op.outputs.map { graph[$0].shape.dims }, matmul: op.matmul,
        secondOperand: op.secondOperand.rawValue, macs: op.macs, vectorOps: op.vectorOps,
        parameters: op.parameterCount, bytes: Bytes(op.bytes(at: precision)),
        arithmeticIntensity: op.arithmeticIntensity(at: precision), fused: op.fused.nonEmpty)
    }
    self.warnings = warnings
    deploymentLowering = lowering
  }
}
