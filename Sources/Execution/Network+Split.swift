import HybrixCore
import HybrixNumerics

/// A network that runs as two parts: the layers before one of its product operators, then the
/// rest. Monte-Carlo accuracy uses it to compute the exact activations in front of the first
/// noisy operator once and run only the rest per repeat (issue 14 §5: layers before the first
/// analog one do not change between repeats or candidates).
public protocol SplittableNetwork: ProductNetwork {
  /// Shape of one input sample (the batch axis dropped), e.g. `[1, 28, 28]`.
  var sampleShape: [Int] { get }

  /// `prefix` holds the layers before product operator `name`, `suffix` the layers from it on;
  /// `suffix.infer(prefix.infer(x))` is `infer(x)` bit for bit, batch by batch. `nil` when `name`
  /// is not a product operator or nothing comes before it.
  func split(before name: String) -> (prefix: Self, suffix: Self)?
}

extension Network: SplittableNetwork {
  public func split(before name: String) -> (prefix: Network, suffix: Network)? {
    guard let i = stages.firstIndex(where: { $0.name == name && $0.kind.isProduct }), i > 0 else {
      return nil
    }
    let layers = body.layers
    let prefix = Network(
      name: self.name, stages: Array(stages[..<i]), layers: Array(layers[..<i]), sampleShape: sampleShape)
    let suffix = Network(
      name: self.name, stages: Array(stages[i...]), layers: Array(layers[i...]),
      sampleShape: stages[i - 1].outputShape)
    return (prefix, suffix)
  }
}
