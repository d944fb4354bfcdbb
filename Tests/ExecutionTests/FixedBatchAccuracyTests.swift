import Foundation
import HybrixCore
import HybrixNumerics
import Testing

@testable import Execution

/// Issue 8 §2: an ONNX model whose batch is fixed at 1 scored 0.00 % with exit 0, because the
/// executor's shape error was stored and never checked. A failed inference is an error; a fixed
/// batch is run image by image. Fixtures from `scripts/make_onnx_fixtures.py --fixed-batch`: the
/// same weights as `residual_28.onnx`, so every accuracy must equal the batched model's.
@Suite struct FixedBatchAccuracyTests {
  static func fixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/onnx/\(name)").path
  }

  /// 37 seeded images (not a multiple of any batch size used) labelled by the batched model, so
  /// its accuracy is 1 and any other run that loses or misplaces an image scores below 1.
  static func labelledImages() throws -> (Tensor, [Int]) {
    var batched = try ONNXExecutor.load(path: fixture("residual_28.onnx"))
    let images = randomBatch(37, [1, 28, 28], seed: 28)
    var labels = try batched.predict(images)
    // Relabel every fourth image, so the reference accuracy is 27/37 and not trivially 1.
    for i in stride(from: 0, to: labels.count, by: 4) { labels[i] = (labels[i] + 1) % 10 }
    return (images, labels)
  }

  @Test(arguments: [1, 10, 100])
  func aFixedBatchRunsImageByImageWithTheBatchedAccuracy(_ batchSize: Int) throws {
    let (images, labels) = try Self.labelledImages()
    var batched = try ONNXExecutor.load(path: Self.fixture("residual_28.onnx"))
    var fixed = try ONNXExecutor.load(path: Self.fixture("residual_28_batch1.onnx"))
    #expect(batched.fixedBatchSize == nil)
    #expect(fixed.fixedBatchSize == 1)
    #expect(fixed.effectiveBatchSize(batchSize) == 1)
    let reference = try batched.accuracy(images: images, labels: labels, batchSize: batchSize)
    #expect(reference == 27.0 / 37.0)
    #expect(try fixed.accuracy(images: images, labels: labels, batchSize: batchSize) == reference)
  }

  /// The first batch fed to a fixed-batch model at its declared size runs; a larger one is the
  /// executor's input error, thrown (it used to be an empty `[N, 0]` tensor and a 0 % accuracy).
  @Test func aWrongBatchIsAnErrorNamingFileAndShapes() throws {
    var fixed = try ONNXExecutor.load(path: Self.fixture("residual_28_batch1.onnx"))
    #expect(try fixed.infer(randomBatch(1, [1, 28, 28], seed: 1)).shape == [1, 10])
    let error = try #require(throws: ConfigError.self) {
      try fixed.infer(randomBatch(4, [1, 28, 28], seed: 1))
    }
    #expect(error.file?.hasSuffix("residual_28_batch1.onnx") == true)
    #expect(error.path == "graph.input[0](image)")
    #expect(error.message.contains("[4, 1, 28, 28]") && error.expected?.contains("[1, 1, 28, 28]") == true)
  }

  /// A model whose input says `N` but whose Reshape fixes the batch at 1 fails inside the graph
  /// at any batch above 1: the accuracy throws, naming the file, the node, the shapes and the
  /// `--batch-size 1` hint; at batch size 1 it equals the batched model's.
  @Test func aBatchFixedInsideTheGraphIsAnErrorWithAHint() throws {
    let (images, labels) = try Self.labelledImages()
    var hidden = try ONNXExecutor.load(path: Self.fixture("residual_28_hidden_batch.onnx"))
    #expect(hidden.fixedBatchSize == nil)
    let error = try #require(throws: ConfigError.self) {
      try hidden.accuracy(images: images, labels: labels, batchSize: 10)
    }
    #expect(error.file?.hasSuffix("residual_28_hidden_batch.onnx") == true)
    #expect(error.path?.contains("(fc)") == true, "\(error)")  // Gemm gets [1, 7840]
    #expect(error.message.contains("images 0..<10") && error.message.contains("[10, 1, 28, 28]"), "\(error)")
    #expect(error.hint?.contains("--batch-size 1") == true, "\(error)")
    #expect(try hidden.accuracy(images: images, labels: labels, batchSize: 1) == 27.0 / 37.0)
  }
}
