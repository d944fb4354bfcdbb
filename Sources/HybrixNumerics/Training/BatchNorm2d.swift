/// Batch normalisation over the channel axis of `[N, C, …]` tensors (Ioffe & Szegedy, ICML 2015).
///
/// Training mode normalises with the batch mean and biased variance over N and the spatial
/// axes, and updates running statistics with `momentum` (PyTorch convention: the running
/// variance uses the unbiased batch variance). Inference mode uses the running statistics via
/// ``Normalization/batchNormInference(_:mean:variance:gamma:beta:epsilon:)``.
public struct BatchNorm2d: Layer {
  public var gamma: Tensor
  public var beta: Tensor
  public var runningMean: Tensor
  public var runningVariance: Tensor
  /// Weight of the newest batch in the running statistics (PyTorch default 0.1).
  public var momentum: Float
  public var epsilon: Float
  private var gammaGradient: Tensor
  private var betaGradient: Tensor
  private var normalized = Tensor.zeros([0])
  private var inverseStd: [Float] = []

  public init(channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
    gamma = Tensor(repeating: 1, shape: [channels])
    beta = .zeros([channels])
    runningMean = .zeros([channels])
    runningVariance = Tensor(repeating: 1, shape: [channels])
    gammaGradient = .zeros([channels])
    betaGradient = .zeros([channels])
    self.momentum = momentum
    self.epsilon = epsilon
  }

  public mutating func forward(_ x: Tensor, training: Bool) -> Tensor {
    precondition(x.rank >= 2 && x.shape[1] == gamma.count, "BatchNorm2d(\(gamma.count)) got \(x.shape)")
    guard training else {
      return Normalization.batchNormInference(
        x, mean: runningMean, variance: runningVariance, gamma: gamma, beta: beta, epsilon: epsilon)
    }
    let (n, c) = (x.shape[0], x.shape[1])
    let inner = x.shape.dropFirst(2).reduce(1, *)
    let m = n * inner
    var xhat = x.scalars
    var y = x.scalars
    inverseStd = [Float](repeating: 0, count: c)
    for ch in 0..<c {
      // Statistics in Float64: one pass over up to N·H·W values.
      var sum = 0.0, sumSq = 0.0
      for img in 0..<n {
        let base = (img * c + ch) * inner
        for i in 0..<inner {
          let v = Double(x.scalars[base + i])
          sum += v
          sumSq += v * v
        }
      }
      let mean = sum / Double(max(1, m))
      let variance = max(0, sumSq / Double(max(1, m)) - mean * mean)
      let inv = Float(1 / (variance + Double(epsilon)).squareRoot())
      inverseStd[ch] = inv
      for img in 0..<n {
        let base = (img * c + ch) * inner
        for i in 0..<inner {
          let h = (x.scalars[base + i] - Float(mean)) * inv
          xhat[base + i] = h
          y[base + i] = h * gamma.scalars[ch] + beta.scalars[ch]
        }
      }
      let unbiased = m > 1 ? variance * Double(m) / Double(m - 1) : variance
      runningMean.scalars[ch] = (1 - momentum) * runningMean.scalars[ch] + momentum * Float(mean)
      runningVariance.scalars[ch] = (1 - momentum) * runningVariance.scalars[ch] + momentum * Float(unbiased)
    }
    normalized = Tensor(shape: x.shape, scalars: xhat)
    return Tensor(shape: x.shape, scalars: y)
  }

  /// `dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂))` per channel (training-mode statistics).
  public mutating func backward(_ dy: Tensor) -> Tensor {
    precondition(dy.shape == normalized.shape, "BatchNorm2d.backward got \(dy.shape)")
    let (n, c) = (dy.shape[0], dy.shape[1])
    let inner = dy.shape.dropFirst(2).reduce(1, *)
    let m = Float(max(1, n * inner))
    var dx = [Float](repeating: 0, count: dy.count)
    var dg = [Float](repeating: 0, count: c)
    var db = [Float](repeating: 0, count: c)
    for ch in 0..<c {
      var sumDy: Float = 0, sumDyX: Float = 0
      for img in 0..<n {
        let base = (img * c + ch) * inner
        for i in 0..<inner {
          sumDy += dy.scalars[base + i]
          sumDyX += dy.scalars[base + i] * normalized.scalars[base + i]
        }
      }
      dg[ch] = sumDyX
      db[ch] = sumDy
      let scale = gamma.scalars[ch] * inverseStd[ch]
      for img in 0..<n {
        let base = (img * c + ch) * inner
        for i in 0..<inner {
          dx[base + i] = scale * (dy.scalars[base + i] - sumDy / m - normalized.scalars[base + i] * sumDyX / m)
        }
      }
    }
    gammaGradient = Tensor(shape: [c], scalars: dg)
    betaGradient = Tensor(shape: [c], scalars: db)
    return Tensor(shape: dy.shape, scalars: dx)
  }

  public var parameters: [Tensor] {
    get { [gamma, beta] }
    set {
      precondition(newValue.count == 2 && newValue[0].shape == gamma.shape && newValue[1].shape == beta.shape, "BatchNorm2d parameter shapes")
      gamma = newValue[0]
      beta = newValue[1]
    }
  }
  public var gradients: [Tensor] { [gammaGradient, betaGradient] }
}
