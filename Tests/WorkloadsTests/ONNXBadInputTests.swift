import Foundation
import HybrixCore
import Testing

@testable import Workloads

/// Bad ONNX input gives a ``ConfigError`` naming the file and the place inside it; no input,
/// however damaged, may crash the importer.
@Suite struct ONNXBadInputTests {
  /// Loads `name` from the fixtures and returns the error it must throw.
  func error(_ name: String, _ bindings: [String: Int] = [:]) -> ConfigError? {
    do {
      _ = try ONNXFixture.load(name, bindings)
      Issue.record("\(name) loaded")
      return nil
    } catch {
      #expect(error.file == ONNXFixture.path(name))
      return error
    }
  }

  @Test func missingFile() {
    let path = "/nonexistent/model.onnx"
    #expect(
      throws: ConfigError(
        file: path, message: "no such file", expected: "an ONNX model file",
        hint: "check the path; models from the zoo are named without .onnx")
    ) {
      _ = try ONNXImporter.load(path: path)
    }
  }

  @Test(arguments: [
    "hello world\n", "{\"model\": \"resnet50\", \"layers\": [1, 2, 3]}\n",
    "// swift-tools-version: 6.1\nimport PackageDescription\n", "\u{0}\u{0}\u{0}",
  ])
  func textIsNotONNX(text: String) throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hybrix-\(UUID()).onnx")
    try Data(text.utf8).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    do {
      _ = try ONNXImporter.load(path: url.path)
      Issue.record("text accepted as ONNX")
    } catch {
      #expect(error.file == url.path)
      #expect(error.expected == "an ONNX model (a protobuf ModelProto)")
      #expect(error.message.hasPrefix("malformed protobuf") || error.message.hasPrefix("not an ONNX model"))
    }
  }

  @Test func emptyFile() {
    #expect(throws: ConfigError.self) { _ = try ONNXImporter.load(data: [], fileName: "empty.onnx") }
  }

  /// Every prefix of a small model either loads or throws; most must throw.
  @Test func everyTruncationThrowsOrLoads() throws {
    let bytes = try ONNXFixture.bytes("small_cnn.onnx")
    var thrown = 0
    for length in 0..<bytes.count {
      do {
        _ = try ONNXImporter.load(data: Array(bytes[..<length]), fileName: "cut.onnx", bindings: ["N": 2])
      } catch {
        #expect(error.file == "cut.onnx")
        thrown += 1
      }
    }
    // Only a cut right after the graph (dropping the trailing opset_import) is a valid model.
    #expect(thrown >= bytes.count - 2)
  }

  /// Seeded random byte mutations of small models never crash the importer: every mutant
  /// either loads into a graph with operators, or throws one ConfigError that names the file and
  /// says what was found and what was expected. Both outcomes must occur, so a fuzzer whose
  /// mutations never bite (or an importer that refuses everything) fails.
  @Test(arguments: ["small_cnn.onnx", "transformer_block.onnx"])
  func randomMutationsLoadOrThrowAClearError(name: String) throws {
    let original = try ONNXFixture.bytes(name)
    let seed = 0x0DD5_EED + UInt64(original.count)
    var rng = SplitMix64(seed: seed)
    var (loaded, refused) = (0, 0)
    for trial in 0..<1000 {
      var bytes = original
      for _ in 0...Int(rng.next() % 4) {
        let i = Int(rng.next() % UInt64(bytes.count))
        bytes[i] =
          rng.next() % 3 == 0
          ? bytes[i] ^ (1 << UInt8(rng.next() % 8)) : UInt8(truncatingIfNeeded: rng.next())
      }
      do throws(ConfigError) {
        let result = try ONNXImporter.load(
          data: bytes, fileName: "mutant.onnx", bindings: ["N": 2, "batch": 2, "seq": 3])
        #expect(!result.graph.operators.isEmpty, "seed \(seed), trial \(trial): loaded an empty graph")
        loaded += 1
      } catch {
        #expect(error.file == "mutant.onnx", "seed \(seed), trial \(trial): \(error)")
        #expect(!error.message.isEmpty, "seed \(seed), trial \(trial)")
        #expect(error.path?.isEmpty != true, "seed \(seed), trial \(trial): empty path in \(error)")
        #expect(error.expected?.isEmpty == false || error.hint?.isEmpty == false, "seed \(seed), trial \(trial): \(error)")
        refused += 1
      }
    }
    #expect(loaded >= 1, "no mutant of \(name) loaded: the mutations destroy every file")
    #expect(refused >= 1, "every mutant of \(name) loaded: the mutations never reach the importer's checks")
    #expect(loaded + refused == 1000)
  }

  @Test func cycleIsNamed() throws {
    let e = try #require(error("cycle.onnx"))
    #expect(e.message.contains("cycle"))
    #expect(e.message.contains("add") && e.message.contains("relu"))
    #expect(e.path?.hasPrefix("graph.node[") == true)
  }

  @Test func unknownTensorIsNamed() throws {
    let e = try #require(error("unknown_tensor.onnx"))
    #expect(e.path == "graph.node[1](add).input[1]")
    #expect(e.message == "input 'does_not_exist' is not a graph input, an initializer or a node output")
  }

  @Test func zeroDimension() throws {
    let e = try #require(error("zero_dim.onnx"))
    #expect(e.path == "graph.input[0](x).shape[1]")
    #expect(e.message == "dimension 0")
    #expect(e.expected == "a positive size")
  }

  @Test func negativeDimension() throws {
    let e = try #require(error("negative_dim.onnx"))
    #expect(e.path == "graph.input[0](x).shape[0]")
    #expect(e.message == "dimension -3")
  }

  @Test func unboundSymbolicDimension() throws {
    let e = try #require(error("small_cnn.onnx"))
    #expect(e.path == "graph.input[0](x).shape[0]")
    #expect(e.message == "symbolic dimension 'N' has no value")
    #expect(e.hint == "pass --dim N=VALUE")
  }

  /// A binding below 1 is an error of the `--dim` flag, not of the file.
  @Test(arguments: [0, -4])
  func nonPositiveBinding(value: Int) throws {
    #expect(
      throws: ConfigError(
        path: "--dim N", message: "dimension N bound to \(value)", expected: "a size ≥ 1",
        hint: "pass --dim N=VALUE with a positive VALUE")
    ) {
      _ = try ONNXFixture.load("small_cnn.onnx", ["N": value])
    }
  }

  /// MAC counts past 2⁶³ are an error located at the operator.
  @Test func macOverflowNamesTheNode() throws {
    let big = 1 << 22
    let e = try #require(error("matmul_dims.onnx", ["M": big, "K": big, "N": big]))
    #expect(e.path == "graph.node[0](mm)")
    #expect(e.description.contains("64-bit"))
  }

  /// An input too large to count its bytes is rejected at the input.
  @Test func hugeInputIsRejected() throws {
    let e = try #require(error("matmul_dims.onnx", ["M": 1 << 40, "K": 1 << 40, "N": 1]))
    #expect(e.path == "graph.input[0](a).shape")
  }
}
