import HybrixCore
import HybrixNumerics

/// A runnable network whose operators' matrix products can each run on their own
/// ``ProductArithmetic`` — what the accuracy of a mapping needs: operator `conv2` is mapped to a
/// PCM tier, so its products go through the PCM model, the rest stay exact.
///
/// Operators are named as in the workload ``Workloads/Graph`` the network was built from, so a
/// ``MappingPlan`` placement (operator name → tier) applies directly. Conformers: ``Network`` (chain
/// models built from the zoo or a checkpoint) and the ONNX graph executor.
public protocol ProductNetwork: Sendable {
  /// Names of the operators that hold matrix products (conv, linear/matmul), in graph order.
  var productOperatorNames: [String] { get }

  /// The batch size the network's input is fixed at (an ONNX input declared `[1, 1, 28, 28]`),
  /// or `nil` when it takes any batch.
  var fixedBatchSize: Int? { get }

  /// Sets the arithmetic of every product of operator `name` (`nil`: exact Float32).
  /// Throws when no product operator has that name.
  mutating func setArithmetic(_ arithmetic: (any ProductArithmetic)?, for name: String) throws(ConfigError)

  /// Replaces each product operator's weights by what its arithmetic's
  /// ``ProductArithmetic/realize(weights:)`` returns (programming the devices, reading them at
  /// the configured time). Call once per Monte-Carlo repeat, after ``setArithmetic(_:for:)``.
  mutating func realizeWeights()

  /// Output logits `[N, classes]` for inputs `x` in inference mode; a run that fails (a shape
  /// error inside an ONNX graph) throws, naming the file, the node and the shapes.
  mutating func infer(_ x: Tensor) throws(ConfigError) -> Tensor
}

extension ProductNetwork {
  public var fixedBatchSize: Int? { nil }

  /// The batch size ``accuracy(images:labels:batchSize:progress:)`` runs at when asked for
  /// `requested`: the network's fixed batch if it has one.
  public func effectiveBatchSize(_ requested: Int) -> Int { fixedBatchSize ?? max(1, requested) }

  /// Arg-max class per row of ``infer(_:)``.
  public mutating func predict(_ x: Tensor) throws(ConfigError) -> [Int] {
    try infer(x).argmaxLastAxis()
  }

  /// Fraction of `labels` predicted correctly, evaluating `images` in batches of `batchSize`
  /// (of ``fixedBatchSize`` when the network fixes it; a last, shorter batch is padded with
  /// copies of its last image whose predictions are dropped). `progress` is called with the
  /// number of samples done after each batch.
  ///
  /// A failed inference is an error, never an accuracy: logits that are not `[rows, classes ≥ 1]`
  /// throw, so a model that cannot run cannot score 0 %.
  public mutating func accuracy(
    images: Tensor, labels: [Int], batchSize: Int = 256, progress: ((Int) -> Void)? = nil
  ) throws(ConfigError) -> Double {
    let n = labels.count
    guard n > 0 else { return 0 }
    let sample = images.count / max(1, images.shape[0])
    let size = effectiveBatchSize(batchSize)
    var correct = 0
    var start = 0
    while start < n {
      let end = min(n, start + size)
      var scalars = Array(images.scalars[(start * sample)..<(end * sample)])
      let rows = fixedBatchSize == nil ? end - start : size
      for _ in (end - start)..<rows { scalars += images.scalars[((end - 1) * sample)..<(end * sample)] }
      var shape = images.shape
      shape[0] = rows
      let logits: Tensor
      do throws(ConfigError) {
        logits = try infer(Tensor(shape: shape, scalars: scalars))
      } catch {
        var e = error
        e.message = "inference on images \(start)..<\(end) (input \(shape)) failed: \(error.message)"
        if e.hint == nil, rows > 1 {
          e.hint = "the images ran \(rows) at a time; a model that fixes its batch inside the graph"
            + " (a Reshape to [1, …]) runs only with --batch-size 1"
        }
        throw e
      }
      guard logits.rank == 2, logits.shape[0] == rows, logits.shape[1] >= 1 else {
        throw ConfigError(
          message: "inference on images \(start)..<\(end) (input \(shape)) gave logits of shape \(logits.shape)",
          expected: "logits [\(rows), classes]",
          hint: "the model must map [N, \(shape.dropFirst().map(String.init).joined(separator: ", "))] images to one score per class")
      }
      for (p, l) in zip(logits.argmaxLastAxis().prefix(end - start), labels[start..<end]) where p == l {
        correct += 1
      }
      start = end
      progress?(end)
    }
    return Double(correct) / Double(n)
  }
}
