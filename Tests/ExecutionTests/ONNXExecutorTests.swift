import Foundation
import HybrixCore
import HybrixNumerics
import Testing
import Workloads

@testable import Execution

/// Products through GEMM that count their calls and scale the weights they realize.
private struct ScalingArithmetic: ProductArithmetic {
  var calls = 0
  var realizeScale: Float = 1
  var name: String { "scaling" }
  mutating func multiply(_ a: HybrixNumerics.Tensor, _ b: HybrixNumerics.Tensor, role: ProductRole) -> HybrixNumerics.Tensor {
    calls += 1
    return GEMM.multiply(a, b)
  }
  mutating func realize(weights: HybrixNumerics.Tensor) -> HybrixNumerics.Tensor { weights.map { $0 * realizeScale } }
}

/// The ONNX executor on the committed fixtures (`Tests/Fixtures/onnx`, written by
/// `scripts/make_onnx_fixtures.py` with numpy reference outputs) and on bad input.
@Suite struct ONNXExecutorTests {
  static func fixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/onnx/\(name)").path
  }

  /// The executor for fixture `name` and its reference input and output.
  static func load(_ name: String) throws -> (ONNXExecutor, ONNXReferenceCase) {
    let executor = try ONNXExecutor.load(path: fixture("\(name).onnx"))
    let reference = try ONNXReferenceCase(
      program: executor.program, inputFiles: [fixture("\(name).input_0.pb")],
      outputFiles: [fixture("\(name).output_0.pb")])
    return (executor, reference)
  }

  @Test(arguments: ["small_cnn", "mlp", "transformer_block"])
  func fixtureMatchesTheNumpyReference(_ name: String) throws {
    var (executor, reference) = try Self.load(name)
    #expect(try reference.check(&executor) == [])
  }

  @Test func productOperatorsAreTheImportedGraphsMatrixProducts() throws {
    let expected = [
      "small_cnn": ["conv1", "conv2", "fc"], "mlp": ["fc1", "fc2"],
      "transformer_block": ["q_proj", "k_proj", "v_proj", "o_proj", "fc1", "fc2"],
    ]
    for (name, products) in expected {
      let executor = try ONNXExecutor.load(path: Self.fixture("\(name).onnx"))
      #expect(executor.productOperatorNames == products, "\(name)")
      let graph = try ONNXImporter.load(path: Self.fixture("\(name).onnx"), bindings: ["N": 2, "batch": 2, "seq": 8])
        .graph
      let matrixProducts = Set(graph.operators.filter { $0.kind.isMatrixProduct }.map(\.name))
      // The attention products QKᵀ and AV multiply two activations: not product operators.
      #expect(Set(products).isSubset(of: matrixProducts), "\(name): \(matrixProducts)")
    }
  }

  @Test func arithmeticRunsTheProductsOfItsOperatorOnly() throws {
    var (executor, reference) = try Self.load("small_cnn")
    let exact = try executor.run(reference.inputs)
    // Exact arithmetic through the patch-matrix path gives the fast path's output.
    try executor.setArithmetic(ExactArithmetic(), for: "conv1")
    try executor.setArithmetic(ExactArithmetic(), for: "fc")
    let viaArithmetic = try executor.run(reference.inputs)
    for (name, value) in exact {
      #expect(ONNXReferenceCase.difference(viaArithmetic[name], value) == nil)
    }
    // Realized weights of zero leave only the fc bias.
    var zeroing = ScalingArithmetic()
    zeroing.realizeScale = 0
    try executor.setArithmetic(zeroing, for: "fc")
    executor.realizeWeights()
    let y = try #require(try executor.run(reference.inputs)["y"]?.floatTensor)
    let bias = try #require(executor.program.initializers.first { $0.name == "fc.bias" })
    guard case .floats(let b) = bias.storage else {
      Issue.record("fc.bias is not float")
      return
    }
    #expect(y.shape == [2, 10])
    #expect(y.scalars == b + b)
    // Clearing the arithmetic restores the stored weights.
    try executor.setArithmetic(nil, for: "fc")
    try executor.setArithmetic(nil, for: "conv1")
    #expect(try reference.check(&executor) == [])
  }

  @Test func inferRunsTheFirstInputAndReportsErrors() throws {
    var (executor, reference) = try Self.load("mlp")
    try executor.setArithmetic(ScalingArithmetic(), for: "fc2")
    let x = try #require(reference.inputs["x"]?.floatTensor)
    #expect(try executor.infer(x).shape == [4, 10])
    #expect(try executor.predict(x).count == 4)
    #expect(executor.fixedBatchSize == nil)
    let wrong = HybrixNumerics.Tensor(repeating: 0, shape: [4, 63])
    let error = try #require(throws: ConfigError.self) { try executor.infer(wrong) }
    #expect(error.file?.hasSuffix("mlp.onnx") == true)
    #expect(error.path == "graph.input[0](x)")
    #expect(error.message == "input of shape [4, 63]")
  }

  @Test func unknownProductOperatorNamesAreErrors() throws {
    var (executor, _) = try Self.load("small_cnn")
    #expect {
      try executor.setArithmetic(ExactArithmetic(), for: "conv_1")
    } throws: { error in
      let e = error as? ConfigError
      return e?.message == "no product operator named 'conv_1'" && e?.hint == "did you mean 'conv1'?"
    }
    // Non-product operators are not mappable either.
    #expect(throws: ConfigError.self) { try executor.setArithmetic(nil, for: "relu1") }
  }

  @Test func unsupportedOperatorsAreNamedWithTheSupportedList() throws {
    #expect {
      _ = try ONNXExecutor.load(path: Self.fixture("unsupported_op.onnx"))
    } throws: { error in
      guard let e = error as? ConfigError else { return false }
      return e.path == "graph.node[1](upsample)" && e.message.contains("Resize")
        && e.hint?.hasPrefix("supported: ") == true && e.hint?.contains("Conv") == true
        && e.file?.hasSuffix("unsupported_op.onnx") == true
    }
  }

  @Test(arguments: [("cycle.onnx", "cycle"), ("unknown_tensor.onnx", "'does_not_exist' is not defined")])
  func malformedGraphsAreConfigErrors(_ file: String, _ message: String) throws {
    #expect {
      _ = try ONNXExecutor.load(path: Self.fixture(file))
    } throws: { error in
      (error as? ConfigError)?.message.contains(message) == true
    }
  }

  @Test func weightShapeMismatchNamesTheNode() throws {
    // Gemm whose stored B is [5] instead of a matrix.
    var program = try ONNXProgram.load(path: Self.fixture("mlp.onnx"))
    let i = try #require(program.initializers.firstIndex { $0.name == "fc1.weight" })
    program.initializers[i].shape = [2048]
    #expect {
      _ = try ONNXExecutor(program: program)
    } throws: { error in
      guard let e = error as? ConfigError else { return false }
      return e.path == "graph.node[0](fc1).input[1]" && e.message == "Gemm B of shape [2048]"
        && e.expected == "a rank-2 matrix" && e.file?.hasSuffix("mlp.onnx") == true
    }
  }

  /// Truncated and byte-flipped models load, run or fail with a ConfigError; never a trap.
  @Test func truncatedAndCorruptedModelsNeverCrash() throws {
    let path = Self.fixture("small_cnn.onnx")
    let bytes = try #require(FileManager.default.contents(atPath: path).map { [UInt8]($0) })
    let (_, reference) = try Self.load("small_cnn")
    var rng = SplitMix64(seed: 11)
    var (ran, rejected) = (0, 0)
    for trial in 0..<200 {
      var data = bytes
      if trial < 50 {
        data = Array(bytes.prefix(bytes.count * trial / 50))
      } else {
        for _ in 0..<4 { data[Int(rng.next() % UInt64(data.count))] = UInt8(truncatingIfNeeded: rng.next()) }
      }
      do throws(ConfigError) {
        var executor = try ONNXExecutor(program: try ONNXProgram.load(data: data, fileName: "fuzz.onnx"))
        executor.maxElements = 1 << 20
        _ = try executor.run(reference.inputs)
        ran += 1
      } catch {
        #expect(error.file == "fuzz.onnx")
        rejected += 1
      }
    }
    #expect(ran + rejected == 200)
    #expect(rejected >= 50)
  }
}
