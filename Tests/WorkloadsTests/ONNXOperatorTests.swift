import HybrixCore
import Testing

@testable import Workloads

/// Builds small ONNX models in memory for operator and opset tests.
enum TestModel {
  /// A dimension: a size or a symbolic name.
  enum Dim: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    case size(Int)
    case name(String)
    init(integerLiteral value: Int) { self = .size(value) }
    init(stringLiteral value: String) { self = .name(value) }
  }

  static func value(_ name: String, _ dims: [Dim]?, elemType: Int = 1) -> ProtoWriter {
    var tensorType = ProtoWriter()
    tensorType.int(1, elemType)
    if let dims {
      var shape = ProtoWriter()
      for d in dims {
        var dim = ProtoWriter()
        switch d {
        case .size(let v): dim.int(1, v)
        case .name(let p): dim.string(2, p)
        }
        shape.message(1, dim)
      }
      tensorType.message(2, shape)
    }
    var type = ProtoWriter()
    type.message(1, tensorType)
    var info = ProtoWriter()
    info.string(1, name)
    info.message(2, type)
    return info
  }

  static func ints(_ name: String, _ values: [Int]) -> ProtoWriter {
    var a = ProtoWriter()
    a.string(1, name)
    for v in values { a.int(8, v) }  // unpacked, as old exporters wrote
    a.int(20, 7)
    return a
  }

  static func int(_ name: String, _ value: Int) -> ProtoWriter {
    var a = ProtoWriter()
    a.string(1, name)
    a.int(3, value)
    a.int(20, 2)
    return a
  }

  static func string(_ name: String, _ value: String) -> ProtoWriter {
    var a = ProtoWriter()
    a.string(1, name)
    a.string(4, value)
    a.int(20, 3)
    return a
  }

  static func node(
    _ op: String, _ inputs: [String], _ outputs: [String], name: String = "",
    domain: String = "", _ attributes: [ProtoWriter] = []
  ) -> ProtoWriter {
    var n = ProtoWriter()
    for i in inputs { n.string(1, i) }
    for o in outputs { n.string(2, o) }
    if !name.isEmpty { n.string(3, name) }
    n.string(4, op)
    for a in attributes { n.message(5, a) }
    if !domain.isEmpty { n.string(7, domain) }
    return n
  }

  /// An int64 initializer (packed int64_data).
  static func int64s(_ name: String, _ dims: [Int], _ values: [Int]) -> ProtoWriter {
    var t = ProtoWriter()
    t.packed(1, dims)
    t.int(2, 7)
    t.packed(7, values)
    t.string(8, name)
    return t
  }

  /// A float initializer of `count` elements in raw_data.
  static func floats(_ name: String, _ dims: [Int]) -> ProtoWriter {
    var t = ProtoWriter()
    t.packed(1, dims)
    t.int(2, 1)
    t.string(8, name)
    t.data(9, [UInt8](repeating: 0, count: 4 * dims.reduce(1, *)))
    return t
  }

  static func model(
    _ nodes: [ProtoWriter], inputs: [ProtoWriter], outputs: [ProtoWriter],
    initializers: [ProtoWriter] = [], valueInfo: [ProtoWriter] = [], opset: Int = 17
  ) -> [UInt8] {
    var g = ProtoWriter()
    for n in nodes { g.message(1, n) }
    g.string(2, "test")
    for i in initializers { g.message(5, i) }
    for i in inputs { g.message(11, i) }
    for o in outputs { g.message(12, o) }
    for v in valueInfo { g.message(13, v) }
    var opsetID = ProtoWriter()
    opsetID.string(1, "")
    opsetID.int(2, opset)
    var m = ProtoWriter()
    m.int(1, 10)
    m.message(7, g)
    m.message(8, opsetID)
    return m.bytes
  }

  static func load(_ bytes: [UInt8], _ bindings: [String: Int] = [:]) throws(ConfigError) -> ONNXImport {
    try ONNXImporter.load(data: bytes, fileName: "test.onnx", bindings: bindings)
  }

  /// Output shapes of the graph after loading.
  static func outputShapes(_ bytes: [UInt8]) throws -> [[Int]] {
    let g = try load(bytes).graph
    return g.outputs.map { g[$0].shape.dims }
  }
}

@Suite struct ONNXOperatorTests {
  typealias M = TestModel

  /// QKᵀ feeding a Softmax through a scale and a mask is attention scores; the product of the
  /// Softmax output is attention values; other products of two activations stay plain.
  @Test func matmulClassification() throws {
    let bytes = M.model(
      [
        M.node("MatMul", ["q", "k"], ["s"], name: "qk"),
        M.node("Mul", ["s", "scale"], ["s2"], name: "scale"),
        M.node("Add", ["s2", "mask"], ["s3"], name: "mask"),
        M.node("Softmax", ["s3"], ["p"], name: "softmax", [M.int("axis", -1)]),
        M.node("MatMul", ["p", "v"], ["o"], name: "av"),
        M.node("MatMul", ["o", "w"], ["y"], name: "proj"),
        M.node("MatMul", ["q", "k"], ["z"], name: "plain"),
      ],
      inputs: [
        M.value("q", [2, 4, 8]), M.value("k", [2, 8, 4]), M.value("v", [2, 4, 8]), M.value("mask", [4, 4]),
      ],
      outputs: [M.value("y", nil), M.value("z", nil)],
      initializers: [M.floats("scale", []), M.floats("w", [8, 8])])
    let g = try M.load(bytes).graph
    let kinds = Dictionary(uniqueKeysWithValues: g.operators.map { ($0.name, $0.kind) })
    #expect(kinds["qk"] == .attentionScores)
    #expect(kinds["av"] == .attentionValues)
    #expect(kinds["proj"] == .matmul)
    #expect(kinds["plain"] == .matmul)
  }

  @Test func gatherOnAWeightIsAnEmbeddingOtherwiseAMove() throws {
    let bytes = M.model(
      [
        M.node("Gather", ["table", "ids"], ["e"], name: "embed"),
        M.node("Gather", ["e", "pick"], ["y"], name: "pick", [M.int("axis", 1)]),
      ],
      inputs: [M.value("ids", [2, 5], elemType: 7)], outputs: [M.value("y", nil)],
      initializers: [M.floats("table", [10, 4]), M.int64s("pick", [], [0])])
    let g = try M.load(bytes).graph
    #expect(g.operators.map(\.kind) == [.embedding, .layout])
    #expect(g.outputs.map { g[$0].shape.dims } == [[2, 4]])
    #expect(g.parameterCount == 40)
  }

  @Test func constantsAreNotParameters() throws {
    var value = ProtoWriter()
    value.string(1, "value")
    value.int(20, 4)
    value.message(5, M.floats("c", [3]))
    let bytes = M.model(
      [M.node("Constant", [], ["c"], name: "const", [value]), M.node("Mul", ["x", "c"], ["y"])],
      inputs: [M.value("x", [2, 3])], outputs: [M.value("y", nil)])
    let g = try M.load(bytes).graph
    #expect(g.parameterCount == 0)
    let c = try #require(g.tensors.firstIndex { $0.name == "c" })
    #expect(g.tensors[c].role == .constant)
    #expect(g.weightValues[TensorID(c)] == [0, 0, 0])
  }

  @Test func otherDomainsAreUnsupported() throws {
    let bytes = M.model(
      [M.node("FusedGemm", ["x"], ["y"], domain: "com.microsoft"), M.node("Relu", ["y"], ["z"])],
      inputs: [M.value("x", [2, 3])], outputs: [M.value("z", [2, 3])],
      valueInfo: [M.value("y", [2, 3])])
    let result = try M.load(bytes)
    #expect(result.warnings == ["unsupported operators kept as 'other': com.microsoft.FusedGemm ×1"])
    #expect(result.graph.operators.map(\.kind) == [.other, .elementwise])
  }

  /// A declared shape that disagrees with the inferred one is reported, not trusted.
  @Test func declaredShapeMismatchIsAWarning() throws {
    let bytes = M.model(
      [M.node("Relu", ["x"], ["y"], name: "relu")], inputs: [M.value("x", [2, 3])],
      outputs: [M.value("y", [3, 2])])
    let result = try M.load(bytes)
    #expect(
      result.warnings == [
        "inferred shapes differ from the shapes the file declares: graph.node[0](relu): inferred shape [2, 3] for 'y', the file declares [3, 2]"
      ])
  }

  @Test func attributeErrorsNameTheAttribute() throws {
    let wrongType = M.model(
      [M.node("Conv", ["x", "w"], ["y"], name: "conv1", [M.int("kernel_shape", 3)])],
      inputs: [M.value("x", [1, 1, 8, 8])], outputs: [M.value("y", nil)],
      initializers: [M.floats("w", [1, 1, 3, 3])])
    #expect(
      throws: ConfigError(
        file: "test.onnx", path: "graph.node[0](conv1).attribute.kernel_shape",
        message: "attribute of type INT",
        expected: "INTS")
    ) { _ = try M.load(wrongType) }
    let mismatch = M.model(
      [M.node("Conv", ["x", "w"], ["y"], name: "conv1", [M.ints("kernel_shape", [5, 5])])],
      inputs: [M.value("x", [1, 1, 8, 8])], outputs: [M.value("y", nil)],
      initializers: [M.floats("w", [1, 1, 3, 3])])
    do {
      _ = try M.load(mismatch)
      Issue.record("mismatched kernel_shape accepted")
    } catch {
      #expect(error.path == "graph.node[0](conv1).attribute.kernel_shape")
    }
  }

  /// Builder errors (here a kernel larger than the image) are placed under the node's path.
  @Test func builderErrorsCarryTheNodePath() throws {
    let bytes = M.model(
      [M.node("Conv", ["x", "w"], ["y"], name: "conv1")],
      inputs: [M.value("x", [1, 1, 2, 2])], outputs: [M.value("y", nil)],
      initializers: [M.floats("w", [1, 1, 3, 3])])
    do {
      _ = try M.load(bytes)
      Issue.record("kernel larger than the input accepted")
    } catch {
      #expect(error.path == "graph.node[0](conv1)")
      #expect(error.file == "test.onnx")
    }
  }

  /// Nodes listed out of order are sorted; an unnamed node is named after its output.
  @Test func nodesAreSortedTopologically() throws {
    let bytes = M.model(
      [M.node("Relu", ["h"], ["y"], name: "second"), M.node("Sigmoid", ["x"], ["h"])],
      inputs: [M.value("x", [4])], outputs: [M.value("y", nil)])
    let g = try M.load(bytes).graph
    #expect(g.operators.map(\.name) == ["h", "second"])
  }

  /// A Shape → Gather → Concat chain on a symbolic input folds into the Reshape target.
  @Test func shapeChainsFoldWithBindings() throws {
    let bytes = M.model(
      [
        M.node("Shape", ["x"], ["s"]), M.node("Gather", ["s", "zero"], ["b"]),
        M.node("Unsqueeze", ["b", "axes"], ["b1"]),
        M.node("Concat", ["b1", "rest"], ["target"], [M.int("axis", 0)]),
        M.node("Reshape", ["x", "target"], ["y"], name: "reshape"),
      ],
      inputs: [M.value("x", ["n", 4, 6])], outputs: [M.value("y", nil)],
      initializers: [M.int64s("zero", [], [0]), M.int64s("axes", [1], [0]), M.int64s("rest", [2], [-1, 3])])
    let g = try M.load(bytes, ["n": 5]).graph
    #expect(g.operators.map(\.name) == ["reshape"])
    #expect(g.outputs.map { g[$0].shape.dims } == [[5, 8, 3]])
  }
}
