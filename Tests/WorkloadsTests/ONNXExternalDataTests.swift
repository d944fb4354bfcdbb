import Foundation
import HybrixCore
import Testing

@testable import Workloads

/// Issue 8 §2: weights in an external `.onnx.data` file (what current PyTorch exporters write)
/// were refused with a hint about element types. They load now, from beside the model only.
/// Fixtures: `scripts/make_onnx_fixtures.py --external` (`Tests/Fixtures/onnx/external/`).
@Suite struct ONNXExternalDataTests {
  static func external(_ name: String) -> String { ONNXFixture.path("external/\(name)") }

  /// Every initializer of mlp_external.onnx lives in mlp_external.onnx.data; the values read
  /// are those mlp.onnx stores inline, bit for bit, and the graph is the same.
  @Test func externalWeightsEqualTheInlineOnes() throws {
    let inline = try ONNXProgram.load(path: ONNXFixture.path("mlp.onnx"))
    let external = try ONNXProgram.load(path: Self.external("mlp_external.onnx"))
    #expect(external.initializers.map(\.name) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
    for (t, u) in zip(external.initializers, inline.initializers) {
      guard case .floats(let v) = t.storage, case .floats(let w) = u.storage else {
        Issue.record("\(t.name): \(t.storage)")
        continue
      }
      #expect(t.name == u.name && t.shape == u.shape && t.elementType == u.elementType)
      #expect(v.map(\.bitPattern) == w.map(\.bitPattern))
      #expect(v.count == t.shape.reduce(1, *) && v.contains { $0 != 0 })
    }
    let a = try ONNXFixture.load("mlp.onnx", ["batch": 1])
    let b = try ONNXImporter.load(path: Self.external("mlp_external.onnx"), bindings: ["batch": 1])
    #expect(b.warnings.isEmpty, "\(b.warnings)")
    #expect(b.graph.parameterCount == a.graph.parameterCount)
    #expect(b.graph.parameterCount == 2410)
  }

  /// Each broken copy is one ConfigError naming the model file, the tensor and the data file.
  @Test(arguments: [
    ("missing_data.onnx", "graph.initializer[0](fc1.weight).external_data.location",
     ["absent.onnx.data", "does not exist", "fc1.weight"]),
    ("beyond_end.onnx", "graph.initializer[0](fc1.weight).external_data.length",
     ["8192 bytes at offset 9624", "holds 9640 bytes", "mlp_external.onnx.data"]),
    ("escaping.onnx", "graph.initializer[0](fc1.weight).external_data.location",
     ["'../mlp.onnx'", "outside the model's folder"]),
  ])
  func brokenExternalDataIsAClearError(_ name: String, _ path: String, _ needles: [String]) throws {
    let path_ = Self.external(name)
    let errors = [
      try #require(throws: ConfigError.self) { _ = try ONNXImporter.load(path: path_) },
      try #require(throws: ConfigError.self) { _ = try ONNXProgram.load(path: path_) },
    ]
    for error in errors {
      #expect(error.file == Self.external(name))
      #expect(error.path == path)
      for needle in needles { #expect(error.message.contains(needle), "\(needle): \(error)") }
      #expect(error.expected != nil && error.hint != nil, "\(error)")
      #expect(!error.description.contains("element type"))
    }
  }

  /// Locations that leave the model's folder are refused whether or not the file exists;
  /// plain names and subfolders are allowed.
  @Test(arguments: [
    ("/etc/hostname", false), ("../mlp.onnx", false), ("sub/../../x.data", false),
    ("./../external/mlp_external.onnx.data", false), ("", false), (".", false),
    ("~/x.data", false), ("mlp_external.onnx.data", true), ("./mlp_external.onnx.data", true),
    ("sub/w.data", true),
  ])
  func locationsStayInTheModelsFolder(_ location: String, _ allowed: Bool) {
    let folder = URL(fileURLWithPath: Self.external(""))
    do {
      let url = try ExternalTensorData.resolve(location, folder: folder, tensor: "w")
      #expect(allowed && url.path.hasPrefix(folder.standardizedFileURL.path), "\(url)")
    } catch {
      #expect(!allowed && error.message.contains("outside the model's folder"), "\(error)")
    }
  }

  /// A byte range that does not match the shape and type, and a malformed offset, are errors.
  @Test func lengthMustMatchTheShapeAndOffsetsMustBeNumbers() throws {
    let folder = URL(fileURLWithPath: Self.external("")).standardizedFileURL
    var t = ONNXTensor()
    t.name = "w"
    t.dims = [3]
    t.dataType = 1
    t.isExternal = true
    t.externalData = [("location", "mlp_external.onnx.data"), ("offset", "0"), ("length", "8")]
    var handles: [String: FileHandle] = [:]
    let short = try #require(throws: ConfigError.self) {
      _ = try ExternalTensorData.read(t, folder: folder, handles: &handles)
    }
    #expect(short.path == "length" && short.expected == "3 × 4 bytes of FLOAT", "\(short)")
    t.externalData = [("location", "mlp_external.onnx.data"), ("offset", "-4")]
    let negative = try #require(throws: ConfigError.self) {
      _ = try ExternalTensorData.read(t, folder: folder, handles: &handles)
    }
    #expect(negative.path == "offset" && negative.message.contains("'-4'"), "\(negative)")
    t.externalData = [("location", "mlp_external.onnx.data"), ("offset", "4"), ("length", "12")]
    let bytes = try ExternalTensorData.read(t, folder: folder, handles: &handles)
    #expect(bytes.count == 12)
    for h in handles.values { try h.close() }
  }
}
