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
  /// One optimisation step: forward, softmax cross-entropy, backward, update. Returns the mean
  /// loss (nats) and how many samples the logits before the update classified correctly.
  @discardableResult
  mutating func trainStep(_ x: Tensor, labels: [Int], optimizer: inout some Optimizer)
    -> (loss: Float, correct: Int)
  /// Writes the network as an ONNX checkpoint.
  func writeONNX(to path: String, docString: String) throws(ConfigError)
}

extension Network: TrainableNetwork {
  public var trainingProductNames: [String] { productOperatorNames }
}
