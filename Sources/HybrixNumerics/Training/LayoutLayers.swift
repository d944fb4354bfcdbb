/// Average over the spatial axes of `[N, C, H, W]` → `[N, C, 1, 1]` (ONNX `GlobalAveragePool`).
public struct GlobalAvgPool2d: Layer {
  private var inputShape: [Int] = [0]
  public init() {}

  public mutating func forward(_ x: Tensor, training: Bool) -> Tensor {
    precondition(x.rank == 4, "GlobalAvgPool2d expects [N, C, H, W], got \(x.shape)")
    inputShape = x.shape
    let (planes, area) = (x.shape[0] * x.shape[1], x.shape[2] * x.shape[3])
    var y = [Float](repeating: 0, count: planes)
    for p in 0..<planes {
      var s: Float = 0
      for i in 0..<area { s += x.scalars[p * area + i] }
      y[p] = s / Float(area)
    }
    return Tensor(shape: [x.shape[0], x.shape[1], 1, 1], scalars: y)
  }

  public mutating func backward(_ dy: Tensor) -> Tensor {
    let area = inputShape[2] * inputShape[3]
    var dx = Tensor.zeros(inputShape)
    for p in 0..<dy.count {
      let g = dy.scalars[p] / Float(area)
      for i in 0..<area { dx.scalars[p * area + i] = g }
    }
    return dx
  }
}

/// `[N, …]` → `[N] + sampleShape`, the same elements in the same order.
public struct Reshape: Layer {
  public let sampleShape: [Int]
  private var inputShape: [Int] = [0]
  public init(sampleShape: [Int]) { self.sampleShape = sampleShape }
  public mutating func forward(_ x: Tensor, training: Bool) -> Tensor {
    inputShape = x.shape
    return x.reshaped([x.shape.first ?? 0] + sampleShape)
  }
  public mutating func backward(_ dy: Tensor) -> Tensor { dy.reshaped(inputShape) }
}

/// Permutes the axes of a whole tensor, batch axis included: output axis `i` is input axis
/// `perm[i]` (ONNX `Transpose`). The batch axis must stay first.
public struct Transpose: Layer {
  public let perm: [Int]
  private var inverse: [Int]
  public init(perm: [Int]) {
    precondition(perm.sorted() == Array(perm.indices), "Transpose: \(perm) is not a permutation")
    self.perm = perm
    var inv = perm
    for (i, p) in perm.enumerated() { inv[p] = i }
    inverse = inv
  }
  public mutating func forward(_ x: Tensor, training: Bool) -> Tensor { Self.permute(x, perm) }
  public mutating func backward(_ dy: Tensor) -> Tensor { Self.permute(dy, inverse) }

  /// `x` with its axes permuted by `perm`.
  public static func permute(_ x: Tensor, _ perm: [Int]) -> Tensor {
    precondition(perm.count == x.rank, "permutation \(perm) for \(x.shape)")
    let rank = x.rank
    var inStrides = [Int](repeating: 1, count: rank)
    for a in stride(from: rank - 2, through: 0, by: -1) { inStrides[a] = inStrides[a + 1] * x.shape[a + 1] }
    let outShape = perm.map { x.shape[$0] }
    let strides = perm.map { inStrides[$0] }
    var y = [Float](repeating: 0, count: x.count)
    var walk = StridedOdometer(shape: outShape, strides: strides)
    for o in 0..<x.count {
      y[o] = x.scalars[walk.offset]
      walk.advance()
    }
    return Tensor(shape: outShape, scalars: y)
  }
}
