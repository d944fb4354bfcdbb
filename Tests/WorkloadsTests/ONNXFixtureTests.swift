import Foundation
import HybrixCore
import Testing

@testable import Workloads

/// The committed fixtures of `Tests/Fixtures/onnx`, written by `scripts/make_onnx_fixtures.py`.
enum ONNXFixture {
  static func path(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/onnx/\(name)").path
  }

  static func bytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(name))))
  }

  static func load(_ name: String, _ bindings: [String: Int] = [:]) throws(ConfigError) -> ONNXImport {
    try ONNXImporter.load(path: path(name), bindings: bindings)
  }
}

/// The numbers checked here are the ones the fixture script records in its header (and asserts
/// from numpy when it writes the files).
@Suite struct ONNXFixtureTests {
  @Test func smallCNNHasTheExportedOperatorsInOrder() throws {
    let result = try ONNXFixture.load("small_cnn.onnx", ["N": 1])
    let g = result.graph
    #expect(result.warnings.isEmpty, "\(result.warnings)")
    #expect(
      g.operators.map(\.kind) == [
        .conv, .normalization, .elementwise, .pooling, .conv, .elementwise, .pooling, .layout, .matmul,
      ])
    #expect(
      g.operators.map(\.label) == [
        "conv2d", "batchnorm", "relu", "maxpool", "conv2d", "relu", "avgpool", "flatten", "matmul",
      ])
    #expect(
      g.operators.map(\.name) == [
        "conv1", "bn", "relu1", "pool1", "conv2", "relu2", "gap", "flatten", "fc",
      ])
    #expect(g.parameterCount == 1578)
    #expect(g.macs == 516_256)
    #expect(g.inputs.map { g[$0].shape.dims } == [[1, 3, 32, 32]])
    #expect(g.outputs.map { g[$0].shape.dims } == [[1, 10]])
    // Batch-norm running statistics are constants, its scale and shift are parameters.
    let roles = Dictionary(uniqueKeysWithValues: g.tensors.map { ($0.name, $0.role) })
    #expect(roles["bn.running_mean"] == .constant)
    #expect(roles["bn.running_var"] == .constant)
    #expect(roles["bn.weight"] == .weight)
    #expect(roles["conv1.weight"] == .weight)
    #expect(g.operators[8].secondOperand == .staticWeight)
  }

  @Test func weightValuesAreLoaded() throws {
    let g = try ONNXFixture.load("small_cnn.onnx", ["N": 1]).graph
    let id = try #require(g.tensors.firstIndex { $0.name == "conv1.weight" }).advanced(by: 0)
    let values = try #require(g.weightValues[TensorID(id)])
    #expect(values.count == 216)
    let sum = values.reduce(0.0) { $0 + Double($1) }
    #expect(abs(sum - -0.6817336) < 1e-5)
    #expect(abs(Double(values[0]) - -0.0211189) < 1e-6)
    // Every float initializer carried its values.
    let initializers = g.tensors.indices.filter {
      g.tensors[$0].role != .activation && g.tensors[$0].role != .input
    }
    #expect(initializers.allSatisfy { g.weightValues[TensorID($0)] != nil })
  }

  @Test(arguments: [1, 4, 7])
  func batchBindingScalesShapesAndMACs(batch: Int) throws {
    let g = try ONNXFixture.load("small_cnn.onnx", ["N": batch]).graph
    #expect(g.inputs.map { g[$0].shape.dims } == [[batch, 3, 32, 32]])
    #expect(g.outputs.map { g[$0].shape.dims } == [[batch, 10]])
    #expect(g.macs == 516_256 * batch)
    #expect(g.parameterCount == 1578)
  }

  @Test func mlpWithSymbolicBatch() throws {
    let result = try ONNXFixture.load("mlp.onnx", ["batch": 3])
    let g = result.graph
    #expect(result.warnings.isEmpty, "\(result.warnings)")
    #expect(g.operators.map(\.kind) == [.matmul, .elementwise, .matmul])
    #expect(g.parameterCount == 2410)
    #expect(g.macs == 2368 * 3)
    // transB = 1 reads W[32, 64] as 64 × 32.
    #expect(g.operators[0].matmul == MatMulShape(batch: 1, m: 3, k: 64, n: 32))
    #expect(g.operators[2].matmul == MatMulShape(batch: 1, m: 3, k: 32, n: 10))
    #expect(g.outputs.map { g[$0].shape.dims } == [[3, 10]])
  }

  @Test func transformerBlockResolvesReshapesAndAttention() throws {
    let result = try ONNXFixture.load("transformer_block.onnx", ["batch": 2, "seq": 8])
    let g = result.graph
    #expect(result.warnings.isEmpty, "\(result.warnings)")
    #expect(g.operators.filter { $0.kind == .attentionScores }.map(\.name) == ["qk"])
    #expect(g.operators.filter { $0.kind == .attentionValues }.map(\.name) == ["av"])
    #expect(g.parameterCount == 3024)
    #expect(g.macs == 2048 * 2 * 8 + 32 * 2 * 8 * 8)
    #expect(g.operators.first { $0.name == "embed" }?.kind == .embedding)
    let shapes = Dictionary(uniqueKeysWithValues: g.operators.map { ($0.name, g[$0.outputs[0]].shape.dims) })
    #expect(shapes["q_reshape"] == [2, 8, 2, 8])
    #expect(shapes["k_transpose"] == [2, 2, 8, 8])
    #expect(shapes["qk"] == [2, 2, 8, 8])
    #expect(shapes["merge_reshape"] == [2, 8, 16])
    #expect(g.outputs.map { g[$0].shape.dims } == [[2, 8, 16]])
    // The shape computation was folded: no Shape, Gather on shapes, Unsqueeze or Concat operators.
    #expect(!g.operators.contains { ["shape", "get_b", "unsq_b", "split_shape"].contains($0.name) })
    // Attention products have two dynamic operands, projections a static weight.
    #expect(g.operators.first { $0.name == "qk" }?.secondOperand == .dynamic)
    #expect(g.operators.first { $0.name == "q_proj" }?.secondOperand == .staticWeight)
  }

  @Test func transformerSequenceScalesQuadratically() throws {
    for (b, s) in [(1, 4), (3, 16)] {
      let g = try ONNXFixture.load("transformer_block.onnx", ["batch": b, "seq": s]).graph
      #expect(g.macs == 2048 * b * s + 32 * b * s * s)
    }
  }

  @Test func unsupportedOperatorsAreKeptAndListed() throws {
    let result = try ONNXFixture.load("unsupported_op.onnx")
    #expect(result.warnings == ["unsupported operators kept as 'other': LSTM ×2, Resize ×1"])
    let g = result.graph
    #expect(g.unsupportedOperatorTypes == ["LSTM": 2, "Resize": 1])
    let resize = try #require(g.operators.first { $0.name == "upsample" })
    #expect(resize.kind == .other)
    #expect(g[resize.outputs[0]].shape.dims == [1, 4, 16, 16])
    let lstm = try #require(g.operators.first { $0.name == "lstm1" })
    #expect(g[lstm.outputs[0]].shape.dims == [7, 1, 1, 6])
    #expect(g.operators.first { $0.name == "conv" }?.kind == .conv)
  }

  @Test func unusedBindingIsAWarning() throws {
    let result = try ONNXFixture.load("mlp.onnx", ["batch": 2, "seq": 5])
    #expect(result.warnings == ["--dim seq matches no symbolic dimension of the graph inputs"])
  }

  @Test func symbolicDimensionsAreListed() throws {
    let names = try ONNXImporter.symbolicDimensions(
      data: try ONNXFixture.bytes("transformer_block.onnx"), fileName: "t.onnx")
    #expect(names == ["batch", "seq"])
  }
}
