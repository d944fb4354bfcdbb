import HybrixCore

/// Bytes an operator reads and writes once at a precision, by operand class.
public struct OperandBytes: Hashable, Codable, Sendable {
  public var activationsIn: Int
  public var weights: Int
  public var kvCache: Int
  public var out: Int
  public var total: Int { activationsIn + weights + kvCache + out }

  public static func + (a: OperandBytes, b: OperandBytes) -> OperandBytes {
    OperandBytes(
      activationsIn: a.activationsIn + b.activationsIn, weights: a.weights + b.weights,
      kvCache: a.kvCache + b.kvCache, out: a.out + b.out)
  }
  public static let zero = OperandBytes(activationsIn: 0, weights: 0, kvCache: 0, out: 0)
}

extension Operator {
  /// Compulsory traffic at `precision`: each operand read once and the output written once.
  /// Weights use the weight bits, everything else the activation bits.
  public func bytes(at precision: Precision) -> OperandBytes {
    OperandBytes(
      activationsIn: precision.bytes(operands.activationsIn, .activation),
      weights: precision.bytes(operands.weights, .weight),
      kvCache: precision.bytes(operands.kvCache, .kvCache),
      out: precision.bytes(operands.out, .activation))
  }

  /// Arithmetic operations: 2 per MAC (a multiply and an add) plus the vector operations.
  public var operations: Int { 2 * macs + vectorOps }

  /// Operations per byte of compulsory traffic at `precision` (CMSwitch's arithmetic intensity,
  /// FLOPs per memory access); `nil` when the operator moves no data.
  public func arithmeticIntensity(at precision: Precision) -> Double? {
    let b = bytes(at: precision).total
    return b == 0 ? nil : Double(operations) / Double(b)
  }
}

/// Totals of a graph at a precision.
public struct GraphTotals: Hashable, Codable, Sendable {
  public var operators: Int
  public var macs: Int
  public var vectorOps: Int
  public var parameters: Int
  public var bytes: OperandBytes
  /// Bytes of the distinct weight tensors (the model's size in memory).
  public var weightStorageBytes: Int
  public var operations: Int { 2 * macs + vectorOps }
  /// Operations per byte over the whole graph.
  public var arithmeticIntensity: Double? {
    bytes.total == 0 ? nil : Double(operations) / Double(bytes.total)
  }
}

extension Graph {
  /// Totals at `precision`. The builder checked that these sums fit in 64 bits.
  public func totals(at precision: Precision) -> GraphTotals {
    var bytes = OperandBytes.zero
    for op in operators { bytes = bytes + op.bytes(at: precision) }
    return GraphTotals(
      operators: operators.count, macs: macs, vectorOps: vectorOps, parameters: parameterCount,
      bytes: bytes, weightStorageBytes: precision.bytes(parameterCount, .weight))
  }
}
