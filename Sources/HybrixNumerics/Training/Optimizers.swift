import Foundation

/// Updates parameters in place from their gradients; keeps its own per-tensor state.
public protocol Optimizer: Sendable {
  mutating func update(_ parameters: inout [Tensor], gradients: [Tensor])
}

/// Stochastic gradient descent with classical momentum and L2 weight decay (PyTorch `SGD`):
/// `v ← μ·v + (g + λ·w)`, `w ← w − η·v`.
///
/// Parameter groups: ``learningRateScales`` gives tensor t the step size η·s_t. The velocity does
/// not depend on η, so this is exactly PyTorch's `SGD` with one group per distinct scale, each
/// group's learning rate η·s (and a schedule that multiplies every group's rate by the same
/// factor, as `CosineAnnealingLR` does, stays exact): LionHeart's analog parameters at 1e-3 and
/// digital ones at 1e-2 are η = 1e-2 with scale 0.1 on the analog tensors.
public struct SGD: Optimizer {
  /// Step size η.
  public var learningRate: Float
  /// Per-tensor factor on ``learningRate``, in the order of the parameters `update` receives;
  /// empty: 1 for every tensor. Must have one entry per tensor when not empty.
  public var learningRateScales: [Float] = []
  /// Momentum μ in [0, 1); 0 is plain SGD.
  public var momentum: Float
  /// L2 coefficient λ added to the gradient.
  public var weightDecay: Float
  private var velocity: [[Float]] = []

  public init(learningRate: Float, momentum: Float = 0, weightDecay: Float = 0, learningRateScales: [Float] = []) {
    self.learningRate = learningRate
    self.momentum = momentum
    self.weightDecay = weightDecay
    self.learningRateScales = learningRateScales
  }

  public mutating func update(_ parameters: inout [Tensor], gradients: [Tensor]) {
    precondition(parameters.count == gradients.count, "\(parameters.count) parameters, \(gradients.count) gradients")
    precondition(
      learningRateScales.isEmpty || learningRateScales.count == parameters.count,
      "\(learningRateScales.count) learning-rate scales for \(parameters.count) parameter tensors")
    if velocity.count != parameters.count { velocity = parameters.map { [Float](repeating: 0, count: $0.count) } }
    for t in parameters.indices {
      let rate = learningRateScales.isEmpty ? learningRate : learningRate * learningRateScales[t]
      for i in 0..<parameters[t].count {
        let g = gradients[t].scalars[i] + weightDecay * parameters[t].scalars[i]
        velocity[t][i] = momentum * velocity[t][i] + g
        parameters[t].scalars[i] -= rate * velocity[t][i]
      }
    }
  }
}

/// Adam (Kingma & Ba, ICLR 2015, Algorithm 1) with bias-corrected first and second moments.
public struct Adam: Optimizer {
  /// Step size α.
  public var learningRate: Float
  public var beta1: Float, beta2: Float, epsilon: Float
  private var m: [[Float]] = []
  private var v: [[Float]] = []
  /// Number of updates done so far (t in the paper).
  public private(set) var step = 0

  public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
  }

  public mutating func update(_ parameters: inout [Tensor], gradients: [Tensor]) {
    precondition(parameters.count == gradients.count, "\(parameters.count) parameters, \(gradients.count) gradients")
    if m.count != parameters.count {
      m = parameters.map { [Float](repeating: 0, count: $0.count) }
      v = m
    }
    step += 1
    let c1 = 1 - pow(beta1, Float(step))
    let c2 = 1 - pow(beta2, Float(step))
    for t in parameters.indices {
      for i in 0..<parameters[t].count {
        let g = gradients[t].scalars[i]
        m[t][i] = beta1 * m[t][i] + (1 - beta1) * g
        v[t][i] = beta2 * v[t][i] + (1 - beta2) * g * g
        let mHat = m[t][i] / c1
        let vHat = v[t][i] / c2
        parameters[t].scalars[i] -= learningRate * mHat / (vHat.squareRoot() + epsilon)
      }
    }
  }
}
