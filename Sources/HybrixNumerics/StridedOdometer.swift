/// A row-major multi-index over `shape` (last axis fastest) that keeps the offset
/// Σ index[a]·strides[a] as it steps: the walk behind strided copies, transposes and broadcast
/// index tables (a stride of 0 repeats an axis).
public struct StridedOdometer: Sendable {
  public let shape: [Int]
  public let strides: [Int]
  /// The current multi-index.
  public var index: [Int]
  /// Σ index[a]·strides[a] plus the starting offset.
  public var offset: Int

  @inlinable
  public init(shape: [Int], strides: [Int], offset: Int = 0) {
    precondition(shape.count == strides.count, "shape \(shape) and strides \(strides) differ in rank")
    self.shape = shape
    self.strides = strides
    self.index = [Int](repeating: 0, count: shape.count)
    self.offset = offset
  }

  /// Steps to the next multi-index; `false` after the last one, when the index wraps to zeros
  /// and the offset to where it started.
  @inlinable @discardableResult
  public mutating func advance() -> Bool {
    var axis = shape.count - 1
    while axis >= 0 {
      index[axis] += 1
      offset += strides[axis]
      if index[axis] < shape[axis] { return true }
      offset -= strides[axis] * shape[axis]
      index[axis] = 0
      axis -= 1
    }
    return false
  }
}
