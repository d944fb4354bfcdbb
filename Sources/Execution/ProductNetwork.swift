import HybrixCore
import HybrixNumerics

/// A runnable network whose operators' matrix products can each run on their own
/// ``ProductArithmetic`` — what the accuracy of a mapping needs: operator `conv2` is mapped to a
/// PCM tier, so its products go through the PCM model, the rest stay exact.
///
/// Operators are named as in the workload ``Workloads/Graph`` the network was built from, so a
/// ``Mapping`` placement (operator name → tier) applies directly. Conformers: ``Network`` (chain
/// models built from the zoo or a checkpoint) and the ONNX graph executor.
public protocol ProductNetwork: Sendable {
  /// Names of the operators that hold matrix products (conv, linear/matmul), in graph order.
  var productOperatorNames: [String] { get }

  /// Sets the arithmetic of every product of operator `name` (`nil`: exact Float32).
  /// Throws when no product operator has that name.
  mutating func setArithmetic(_ arithmetic: (any ProductArithmetic)?, for name: String) throws(ConfigError)

  /// Replaces each product operator's weights by what its arithmetic's
  /// ``ProductArithmetic/realize(weights:)`` returns (programming the devices, reading them at
  /// the configured time). Call once per Monte-Carlo repeat, after ``setArithmetic(_:for:)``.
  mutating func realizeWeights()

  /// Output logits `[N, classes]` for inputs `x` in inference mode.
  mutating func infer(_ x: Tensor) -> Tensor
}

extension ProductNetwork {
  /// Arg-max class per row of ``infer(_:)``.
  public mutating func predict(_ x: Tensor) -> [Int] {
    infer(x).argmaxLastAxis()
  }

  /// Fraction of `labels` predicted correctly, evaluating `images` in batches of `batchSize`.
  /// `progress` is called with the number of samples done after each batch.
  public mutating func accuracy(
    images: Tensor, labels: [Int], batchSize: Int = 256, progress: ((Int) -> Void)? = nil
  ) -> Double {
    let n = labels.count
    guard n > 0 else { return 0 }
    let sample = images.count / max(1, images.shape[0])
    var correct = 0
    var start = 0
    while start < n {
      let end = min(n, start + max(1, batchSize))
      var shape = images.shape
      shape[0] = end - start
      let batch = Tensor(shape: shape, scalars: Array(images.scalars[(start * sample)..<(end * sample)]))
      for (p, l) in zip(predict(batch), labels[start..<end]) where p == l { correct += 1 }
      start = end
      progress?(end)
    }
    return Double(correct) / Double(n)
  }
}
