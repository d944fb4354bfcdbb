/// One differentiable step of a model: a value type that caches what its backward pass needs.
///
/// `forward` stores the activations it needs (so it is `mutating`); `backward` takes ∂L/∂y for
/// the latest forward call, **overwrites** ``gradients`` with ∂L/∂parameters, and returns
/// ∂L/∂x. ``parameters`` and ``gradients`` list tensors in the same order.
public protocol Layer: Sendable {
  /// Output for `x`; `training` selects batch statistics (batch norm) and enables caching.
  mutating func forward(_ x: Tensor, training: Bool) -> Tensor
  /// ∂L/∂x for ∂L/∂y = `dy`; sets ``gradients``.
  mutating func backward(_ dy: Tensor) -> Tensor
  /// Trainable tensors (empty for parameter-free layers).
  var parameters: [Tensor] { get set }
  /// ∂L/∂parameters from the latest ``backward(_:)``, same order and shapes as ``parameters``.
  var gradients: [Tensor] { get }
}

extension Layer {
  public var parameters: [Tensor] {
    get { [] }
    set { precondition(newValue.isEmpty, "\(Self.self) has no parameters") }
  }
  public var gradients: [Tensor] { [] }
}

/// Layers applied in order; itself a ``Layer``, so models nest.
public struct Sequential: Layer {
  public var layers: [any Layer]

  public init(_ layers: [any Layer]) { self.layers = layers }

  public mutating func forward(_ x: Tensor, training: Bool) -> Tensor {
    var y = x
    for i in layers.indices { y = layers[i].forward(y, training: training) }
    return y
  }

  public mutating func backward(_ dy: Tensor) -> Tensor {
    var g = dy
    for i in layers.indices.reversed() { g = layers[i].backward(g) }
    return g
  }

  /// All layers' parameters, concatenated in layer order.
  public var parameters: [Tensor] {
    get { layers.flatMap { $0.parameters } }
    set {
      var offset = 0
      for i in layers.indices {
        let count = layers[i].parameters.count
        layers[i].parameters = Array(newValue[offset..<(offset + count)])
        offset += count
      }
      precondition(offset == newValue.count, "\(newValue.count) tensors for \(offset) parameters")
    }
  }

  public var gradients: [Tensor] { layers.flatMap { $0.gradients } }

  /// One optimisation step on a mini-batch: forward, softmax cross-entropy, backward, update.
  ///
  /// - Returns: The mean loss of the batch before the update, in nats.
  @discardableResult
  public mutating func trainStep(_ x: Tensor, labels: [Int], optimizer: inout some Optimizer) -> Float {
    let logits = forward(x, training: true)
    let (loss, dLogits) = SoftmaxCrossEntropy.lossAndGradient(logits: logits, labels: labels)
    _ = backward(dLogits)
    var p = parameters
    optimizer.update(&p, gradients: gradients)
    parameters = p
    return loss
  }

  /// Class predictions (arg-max of the logits) in inference mode.
  public mutating func predict(_ x: Tensor) -> [Int] {
    forward(x, training: false).argmaxLastAxis()
  }
}
