import HybrixCore
import HybrixNumerics

/// What ``Trainer`` needs of a network: the chain ``Network`` and the graph ``GraphNetwork``.
public protocol TrainableNetwork: ProductNetwork {
  /// The workload's name, written into reports.
  var name: String { get }
  /// Shape of one input sample, e.g. `[1, 28, 28]`.
  var sampleShape: [Int] { get }
  /// Number of output classes.
  var classes: Int { get }
  /// Number of trainable scalars.
  var parameterCount: Int { get }
  /// Every operator whose products the training arithmetic takes over (for a graph, the
  /// activation products of attention as well as conv and linear).
  var trainingProductNames: [String] { get }
  /// Logits of a batch; `training` selects batch statistics where a layer has them.
  mutating func forward(_ x: Tensor, training: Bool) -> Tensor
  /// ∂L/∂input for ∂L/∂logits `dy`; sets ``gradients``.
  @discardableResult
  mutating func backward(_ dy: Tensor) -> Tensor
  /// Trainable tensors, in the network's order.
  var parameters: [Tensor] { get set }
  /// ∂L/∂parameters from the latest ``backward(_:)``, same order as ``parameters``.
  var gradients: [Tensor] { get }
  /// Writes the network as an ONNX checkpoint.
  func writeONNX(to path: String, docString: String) throws(ConfigError)
}

extension TrainableNetwork {
  /// One optimisation step on a mini-batch: forward, softmax cross-entropy, backward, update.
  /// Returns the batch's mean loss (nats) and how many samples the logits before the update
  /// classified correctly.
  @discardableResult
  public mutating func trainStep(_ x: Tensor, labels: [Int], optimizer: inout some Optimizer)
    -> (loss: Float, correct: Int)
  {
    let logits = forward(x, training: true)
    let (loss, dLogits) = SoftmaxCrossEntropy.lossAndGradient(logits: logits, labels: labels)
    backward(dLogits)
    var p = parameters
    optimizer.update(&p, gradients: gradients)
    parameters = p
    let correct = zip(logits.argmaxLastAxis(), labels).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
    return (loss, correct)
  }
}

extension Network: TrainableNetwork {
  public var trainingProductNames: [String] { productOperatorNames }
}
