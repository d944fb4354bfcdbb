import Foundation

/// Mean softmax cross-entropy over a batch of logits and integer class labels.
public enum SoftmaxCrossEntropy {
  /// `L = −(1/N) Σ_n log softmax(z_n)[label_n]` and `∂L/∂z = (softmax(z) − onehot(label)) / N`.
  ///
  /// - Parameters:
  ///   - logits: `[N, classes]`.
  ///   - labels: `N` class indices in `0..<classes`.
  /// - Returns: Loss in nats and the gradient with the shape of `logits`.
  public static func lossAndGradient(logits: Tensor, labels: [Int]) -> (loss: Float, gradient: Tensor) {
    precondition(logits.rank == 2 && logits.shape[0] == labels.count, "logits \(logits.shape) for \(labels.count) labels")
    let (n, k) = (logits.shape[0], logits.shape[1])
    let logP = Softmax.logSoftmax(logits)
    var grad = logP.scalars.map { exp($0) }
    var loss = 0.0
    for (r, label) in labels.enumerated() {
      precondition((0..<k).contains(label), "label \(label) outside 0..<\(k)")
      loss -= Double(logP.scalars[r * k + label])
      grad[r * k + label] -= 1
    }
    let scale = 1 / Float(max(1, n))
    return (Float(loss) * scale, Tensor(shape: logits.shape, scalars: grad.map { $0 * scale }))
  }
}
