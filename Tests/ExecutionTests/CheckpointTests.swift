import Foundation
import HybrixCore
import HybrixNumerics
import Testing

@testable import Execution
@testable import Workloads

/// Checkpoints are ONNX files: written by `Network.writeONNX`, read back by the ONNX importer.
@Suite struct CheckpointTests {
  /// A network after a few training steps (so batch-norm statistics are not the defaults).
  static func trained(_ graph: Graph, seed: UInt64) throws -> Network {
    var network = try Network(graph: graph, seed: seed)
    var sgd = SGD(learningRate: 0.05, momentum: 0.9)
    let sample = network.sampleShape
    for step in 0..<3 {
      network.trainStep(
        randomBatch(8, sample, seed: seed &+ UInt64(step)),
        labels: (0..<8).map { $0 % network.classes },
        optimizer: &sgd)
    }
    return network
  }

  /// Export → ONNXImporter → Network gives the same logits bit for bit, for every zoo chain and
  /// for a network with a square linear weight (only Gemm's transB tells its layout).
  @Test(arguments: ["mlp", "lenet5", "small-cnn", "tiny-square"])
  func roundTripGivesIdenticalLogits(model: String) throws {
    let graph =
      model == "tiny-square"
      ? try tinyChainGraph(hidden: 64, convBias: true) : try ModelZoo.model(named: model).graph()
    var original = try Self.trained(graph, seed: 21)
    let path = temporaryPath("\(model).onnx")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try original.writeONNX(to: path, docString: "test")
    var restored = try Network.load(onnx: path, seed: 99)
    #expect(restored.stages == original.stages)
    #expect(restored.parameters == original.parameters)
    let x = randomBatch(5, original.sampleShape, seed: 7)
    #expect(restored.infer(x).scalars == original.infer(x).scalars)
  }

  /// An independent reader agrees: the package's ONNX interpreter runs the checkpoint to the
  /// same logits (up to summation order).
  @Test func theONNXInterpreterComputesTheSameLogits() throws {
    var network = try Self.trained(try ModelZoo.model(named: "small-cnn").graph(), seed: 5)
    let path = temporaryPath("small-cnn.onnx")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try network.writeONNX(to: path)
    var executor = try ONNXExecutor.load(path: path)
    let x = randomBatch(4, [1, 28, 28], seed: 6)
    let expected = network.infer(x)
    let logits = try executor.infer(x)
    #expect(logits.shape == expected.shape)
    for (a, b) in zip(logits.scalars, expected.scalars) {
      #expect(abs(a - b) <= 1e-4 * max(1, abs(b)))
    }
  }

  /// The file is plain ONNX: IR 8, opset 17, producer "hybrix", a symbolic batch "N", the
  /// documented operators with their attributes, and the stage names as node names.
  @Test func theFileIsPlainONNXWithTheDocumentedOperators() throws {
    let network = try Network.zoo("small-cnn", seed: 1)
    let bytes = ONNXWriter.encode(network.onnxModel(docString: "trained by a test"))
    let model = try ONNXModel(bytes: bytes)
    #expect(model.irVersion == 8 && model.defaultOpset == 17 && model.producerName == "hybrix")
    #expect(
      model.graph.nodes.map(\.opType) == [
        "Conv", "BatchNormalization", "Relu", "MaxPool", "Conv", "BatchNormalization", "Relu",
        "MaxPool", "Flatten", "Gemm", "Relu", "Gemm",
      ])
    #expect(model.graph.nodes.map(\.name) == network.stages.map(\.name))
    let conv1 = model.graph.nodes[0]
    #expect(conv1.inputs == ["image", "conv1.weight"])  // no bias: the zoo's conv has none
    #expect(conv1.attribute("pads")?.ints == [1, 1, 1, 1] && conv1.attribute("group")?.i == 1)
    #expect(model.graph.nodes[1].attribute("epsilon")?.f == 1e-5)
    #expect(model.graph.nodes[3].attribute("kernel_shape")?.ints == [2, 2])
    let fc1 = model.graph.nodes[9]
    #expect(fc1.attribute("transB")?.i == 1 && fc1.inputs == ["flatten", "fc1.weight", "fc1.bias"])
    let fc1Weight = try #require(model.graph.initializers.first { $0.name == "fc1.weight" })
    #expect(fc1Weight.dims == [128, 3136] as [Int64] && fc1Weight.dataType == 1)
    #expect(model.graph.initializers.count == 2 * (1 + 4) + 2 * 2)  // conv + bn ×4; gemm w, b
    #expect(model.graph.outputs.map(\.name) == ["logits"])
    #expect(try ONNXImporter.symbolicDimensions(data: bytes, fileName: "x.onnx") == ["N"])
    let imported = try ONNXImporter.load(data: bytes, fileName: "x.onnx", bindings: ["N": 4])
    #expect(imported.warnings.isEmpty)
    #expect(imported.graph.parameterCount == network.parameterCount)
  }

  @Test func aTruncatedCheckpointIsAConfigErrorNamingTheFile() throws {
    let path = temporaryPath("cut.onnx")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let bytes = ONNXWriter.encode(try Network.zoo("mlp").onnxModel())
    try Data(bytes.prefix(bytes.count / 2)).write(to: URL(fileURLWithPath: path))
    let error = #expect(throws: ConfigError.self) { try Network.load(onnx: path) }
    #expect(error?.file == path)
    let missing = #expect(throws: ConfigError.self) { try Network.load(onnx: path + ".none") }
    #expect(missing?.message == "no such file")
  }

  /// A batch-norm scale one element short: the importer accepts the file, the network names the
  /// operator, the tensor and both shapes.
  @Test func aWeightThatDoesNotFitItsOperatorNamesFileOperatorAndShapes() throws {
    var model = try Network.zoo("small-cnn").onnxModel()
    let i = try #require(model.initializers.firstIndex { $0.name == "conv2.bn.weight" })
    model.initializers[i] = ONNXWriter.Initializer(
      name: "conv2.bn.weight", dims: [63], values: [Float](repeating: 1, count: 63))
    let path = temporaryPath("bad-bn.onnx")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try ONNXWriter.write(model, to: path)
    let error = #expect(throws: ConfigError.self) { try Network.load(onnx: path) }
    #expect(error?.file == path && error?.path == "operator conv2.bn")
    #expect(error?.message == "scale 'conv2.bn.weight' has shape [63]" && error?.expected == "[64]")
  }

  @Test func writingToAMissingFolderIsAConfigError() throws {
    let network = try Network.zoo("mlp")
    let error = #expect(throws: ConfigError.self) {
      try network.writeONNX(to: "/nonexistent-hybrix-folder/m.onnx")
    }
    #expect(error?.file == "/nonexistent-hybrix-folder/m.onnx")
  }
}

/// The protobuf encoder against the package's decoder.
@Suite struct ProtobufWriterTests {
  @Test func varintsAndWordsRoundTrip() throws {
    var rng = SplitMix64(seed: 8)
    let specials: [UInt64] = [0, 1, 127, 128, 300, 16_383, 16_384, UInt64(Int64.max), .max]
    let values = specials + (0..<200).map { _ in rng.next() >> (rng.next() % 64) }
    var w = ProtobufWriter()
    for (i, v) in values.enumerated() { w.varint(i % 30 + 1, v) }
    w.float(31, -1.5)
    w.string(32, "héllo")
    w.int(33, -2)
    var r = ProtobufReader(w.bytes)
    for (i, v) in values.enumerated() {
      let (field, wire) = try r.readTag()
      #expect(field == i % 30 + 1 && wire == .varint)
      #expect(try r.readVarint() == v)
    }
    let tag31 = try r.readTag()
    #expect(tag31.field == 31 && tag31.wireType == .fixed32)
    #expect(Float(bitPattern: try r.readFixed32()) == -1.5)
    let tag32 = try r.readTag()
    #expect(tag32.field == 32 && tag32.wireType == .lengthDelimited)
    #expect(try r.readString() == "héllo")
    let tag33 = try r.readTag()
    #expect(tag33.field == 33 && tag33.wireType == .varint)
    #expect(Int64(bitPattern: try r.readVarint()) == -2)
    #expect(r.isAtEnd)
  }

  @Test func floatsAreLittleEndianIEEE754() {
    #expect(ProtobufWriter.littleEndianBytes([1, -2]) == [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0])
  }
}
