import HybrixCore
import HybrixNumerics

/// A ``HybrixNumerics/Conv2d`` without a trainable bias: what a workload's convolution is when the
/// graph gives it no bias (typically because a batch norm follows and its shift does the job).
///
/// The wrapped convolution's bias stays zero: it is not in ``parameters``, so no optimizer
/// moves it, and a checkpoint of the network has no bias tensor for it, as the graph had none.
/// Every product still goes through ``arithmetic`` when one is set.
public struct UnbiasedConv2d: ProductLayer {
  /// The convolution; its `bias` is all zeros.
  public private(set) var conv: Conv2d

  /// He-initialised weights (see ``HybrixNumerics/Conv2d/init(inChannels:outChannels:kernel:options:rng:)``).
  public init(
    inChannels: Int, outChannels: Int, kernel: Int, options: Conv2DOptions = .init(),
    rng: inout SplitMix64
  ) {
    conv = Conv2d(
      inChannels: inChannels, outChannels: outChannels, kernel: kernel, options: options, rng: &rng)
  }

  /// `[outChannels, inChannels / groups, kernel, kernel]`.
  public var weight: Tensor { conv.weight }
  public var options: Conv2DOptions { conv.options }

  public var arithmetic: (any ProductArithmetic)? {
    get { conv.arithmetic }
    set { conv.arithmetic = newValue }
  }

  public mutating func forward(_ x: Tensor, training: Bool) -> Tensor {
    conv.forward(x, training: training)
  }

  public mutating func backward(_ dy: Tensor) -> Tensor { conv.backward(dy) }

  public var parameters: [Tensor] {
    get { [conv.weight] }
    set {
      precondition(newValue.count == 1, "UnbiasedConv2d has one parameter, got \(newValue.count)")
      conv.parameters = [newValue[0], conv.bias]
    }
  }

  public var gradients: [Tensor] { [conv.gradients[0]] }

  public var productWeights: Tensor { conv.productWeights }

  public mutating func setProductWeights(_ matrix: Tensor) { conv.setProductWeights(matrix) }
}
