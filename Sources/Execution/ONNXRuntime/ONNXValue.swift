import HybrixCore
import HybrixNumerics
import struct Workloads.ONNXProgram

/// A run-time value of an ONNX graph: a Float32 tensor (activations, weights) or an Int64
/// tensor (shapes, indices, axes and other integer data, booleans as 0/1).
public enum ONNXValue: Sendable, Equatable {
  case float(Tensor)
  case int(shape: [Int], values: [Int64])

  /// Dimensions of the value.
  public var shape: [Int] {
    switch self {
    case .float(let t): t.shape
    case .int(let shape, _): shape
    }
  }

  /// The float tensor, or `nil` for an integer value.
  public var floatTensor: Tensor? {
    if case .float(let t) = self { return t }
    return nil
  }

  /// The integer values, or `nil` for a float value.
  public var intValues: [Int64]? {
    if case .int(_, let v) = self { return v }
    return nil
  }

  /// A value from a decoded ONNX tensor (an initializer, a `Constant`, a test-data `.pb` file).
  /// Element types other than FLOAT, DOUBLE, integers and BOOL are errors naming the type.
  public init(_ t: ONNXProgram.TensorValue) throws(ConfigError) {
    switch t.storage {
    case .floats(let v): self = .float(Tensor(shape: t.shape, scalars: v))
    case .ints(let v): self = .int(shape: t.shape, values: v)
    case .unavailable(let reason):
      throw ConfigError(
        path: t.name.isEmpty ? nil : "tensor '\(t.name)'", message: "cannot use tensor values: \(reason)",
        expected: "FLOAT, DOUBLE, integer or BOOL values stored in the file",
        hint: reason.contains("external")
          ? "external data is read for graph initializers only; save the model with its values inside"
          : "supported element types: FLOAT, DOUBLE (computed as Float32), INT8…INT64, UINT8…UINT64, BOOL")
    }
  }

  /// Element count of `shape`, refusing counts above `limit` so that a hostile shape (from a
  /// file or an integer tensor) cannot ask for an unbounded allocation.
  static func elementCount(_ shape: [Int], _ what: @autoclosure () -> String, limit: Int)
    throws(ConfigError) -> Int
  {
    for d in shape where d < 0 {
      throw ConfigError(message: "\(what()) has a negative dimension in \(shape)", expected: "sizes ≥ 0")
    }
    let n = try Checked.product(shape, what())
    guard n <= limit else {
      throw ConfigError(
        message: "\(what()) would hold \(n) elements (shape \(shape))",
        expected: "at most \(limit) elements per tensor",
        hint: "raise ONNXExecutor.maxElements if the model really needs tensors this large")
    }
    return n
  }
}

/// Row-major strides of `shape`.
func rowMajorStrides(_ shape: [Int]) -> [Int] {
  var strides = [Int](repeating: 1, count: shape.count)
  var s = 1
  for i in stride(from: shape.count - 1, through: 0, by: -1) {
    strides[i] = s
    s *= shape[i]
  }
  return strides
}

/// `axis` in `-rank..<rank` (or `-rank...rank` when `inclusive`) made non-negative.
func normalizedAxis(_ axis: Int64, rank: Int, inclusive: Bool = false, _ what: String = "axis")
  throws(ConfigError) -> Int
{
  let r = Int64(rank)
  let upper = inclusive ? r + 1 : r
  guard axis >= -r, axis < upper else {
    throw ConfigError(message: "\(what) \(axis) for rank \(rank)", expected: "an axis in \(-r)..<\(upper)")
  }
  return Int(axis < 0 ? axis + r : axis)
}

/// NumPy broadcasting of two shapes, or `nil` when they do not broadcast.
func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
  let rank = max(a.count, b.count)
  var out = [Int](repeating: 1, count: rank)
  for i in 0..<rank {
    let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
    let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
    if da == db || db == 1 {
      out[i] = da
    } else if da == 1 {
      out[i] = db
    } else {
      return nil
    }
  }
  return out
}

/// For each element of `outShape` (row-major), the index of the element of an operand of
/// `shape` that broadcasting reads; `shape` must broadcast to `outShape`.
func broadcastIndices(from shape: [Int], to outShape: [Int]) -> [Int] {
  let count = outShape.reduce(1, *)
  if shape == outShape { return Array(0..<count) }
  let rank = outShape.count
  let padded = [Int](repeating: 1, count: rank - shape.count) + shape
  let inStrides = rowMajorStrides(padded).enumerated().map { padded[$0.offset] == 1 ? 0 : $0.element }
  return stridedIndices(shape: outShape, strides: inStrides)
}
