/// `max(0, x)`; the gradient at exactly 0 is taken as 0.
public struct ReLU: Layer {
  private var input = Tensor.zeros([0])
  public init() {}
  public mutating func forward(_ x: Tensor, training: Bool) -> Tensor {
    input = x
    return Activations.relu(x)
  }
  public mutating func backward(_ dy: Tensor) -> Tensor { Activations.reluBackward(dy, input: input) }
}

/// Max pooling over NCHW; the gradient goes to the arg-max of each window (first one on ties).
public struct MaxPool2d: Layer {
  public let kernel: Int, stride: Int, padding: Int
  private var indices: [Int] = []
  private var inputShape: [Int] = [0]

  /// - Parameters: kernel, stride (defaults to `kernel`), padding: in pixels.
  public init(kernel: Int, stride: Int? = nil, padding: Int = 0) {
    self.kernel = kernel
    self.stride = stride ?? kernel
    self.padding = padding
  }

  public mutating func forward(_ x: Tensor, training: Bool) -> Tensor {
    let (y, idx) = Pooling.maxPool2dWithIndices(x, kernel: kernel, stride: stride, padding: padding)
    indices = idx
    inputShape = x.shape
    return y
  }

  public mutating func backward(_ dy: Tensor) -> Tensor {
    precondition(dy.count == indices.count, "MaxPool2d.backward got \(dy.shape)")
    var dx = Tensor.zeros(inputShape)
    for (o, i) in indices.enumerated() where i >= 0 { dx.scalars[i] += dy.scalars[o] }
    return dx
  }
}

/// `[N, d1, d2, …]` → `[N, d1·d2·…]`.
public struct Flatten: Layer {
  private var inputShape: [Int] = [0]
  public init() {}
  public mutating func forward(_ x: Tensor, training: Bool) -> Tensor {
    inputShape = x.shape
    let n = x.shape.first ?? 0
    return x.reshaped([n, n == 0 ? 0 : x.count / n])
  }
  public mutating func backward(_ dy: Tensor) -> Tensor { dy.reshaped(inputShape) }
}
