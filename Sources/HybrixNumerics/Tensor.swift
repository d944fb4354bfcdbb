import HybrixCore

/// A dense row-major Float32 tensor: the value type every numerical kernel, device model and
/// training step in Hybrix works on.
///
/// Storage is a contiguous `[Float]` (copy-on-write); shapes are concrete. Kernels that need
/// speed use `withUnsafeBufferPointer` on `scalars`.
public struct Tensor: Hashable, Sendable, CustomStringConvertible {
  public private(set) var shape: [Int]
  public var scalars: [Float]

  /// A tensor of `shape` holding `scalars` (row-major); the counts must agree.
  public init(shape: [Int], scalars: [Float]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
    precondition(shape.reduce(1, *) == scalars.count, "\(scalars.count) scalars for shape \(shape)")
    self.shape = shape
    self.scalars = scalars
  }

  /// A tensor of `shape` filled with `value`.
  public init(repeating value: Float, shape: [Int]) {
    self.init(shape: shape, scalars: [Float](repeating: value, count: shape.reduce(1, *)))
  }

  public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }

  /// Standard normal entries scaled by `std`, from `rng` (reproducible for a seed).
  public static func randomNormal(_ shape: [Int], std: Float = 1, rng: inout SplitMix64) -> Tensor {
    let n = shape.reduce(1, *)
    var values = [Float](repeating: 0, count: n)
    for i in 0..<n { values[i] = Float(rng.nextGaussian()) * std }
    return Tensor(shape: shape, scalars: values)
  }

  public var count: Int { scalars.count }
  public var rank: Int { shape.count }

  /// The same scalars with a new shape of equal element count.
  public func reshaped(_ newShape: [Int]) -> Tensor { Tensor(shape: newShape, scalars: scalars) }

  /// Element at a multi-index (for tests and small reference loops; kernels index `scalars`).
  public subscript(_ index: Int...) -> Float {
    get { scalars[offset(index)] }
    set { scalars[offset(index)] = newValue }
  }

  func offset(_ index: [Int]) -> Int {
    precondition(index.count == shape.count, "index \(index) for shape \(shape)")
    var o = 0
    for (i, d) in zip(index, shape) { o = o * d + i }
    return o
  }

  /// Elementwise map.
  public func map(_ f: (Float) -> Float) -> Tensor { Tensor(shape: shape, scalars: scalars.map(f)) }

  /// Largest absolute value (0 for an empty tensor).
  public var absMax: Float { scalars.reduce(0) { max($0, abs($1)) } }

  public var description: String {
    "Tensor\(shape)" + (count <= 8 ? " \(scalars)" : " [\(scalars.prefix(4).map { "\($0)" }.joined(separator: ", ")), …]")
  }
}
