import HybrixCore
import Testing

@testable import Workloads

/// A minimal protobuf writer for building test messages and ONNX models.
struct ProtoWriter {
  var bytes: [UInt8] = []

  mutating func varint(_ value: UInt64) {
    var v = value
    while v >= 0x80 {
      bytes.append(UInt8(v & 0x7F) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  mutating func tag(_ field: Int, _ wire: UInt64) { varint(UInt64(field) << 3 | wire) }

  mutating func int(_ field: Int, _ value: Int) {
    tag(field, 0)
    varint(UInt64(bitPattern: Int64(value)))
  }

  mutating func data(_ field: Int, _ payload: [UInt8]) {
    tag(field, 2)
    varint(UInt64(payload.count))
    bytes += payload
  }

  mutating func string(_ field: Int, _ s: String) { data(field, Array(s.utf8)) }
  mutating func message(_ field: Int, _ m: ProtoWriter) { data(field, m.bytes) }

  mutating func fixed32(_ field: Int, _ value: UInt32) {
    tag(field, 5)
    for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(i)))) }
  }

  mutating func fixed64(_ field: Int, _ value: UInt64) {
    tag(field, 1)
    for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
  }

  /// A packed repeated varint field.
  mutating func packed(_ field: Int, _ values: [Int]) {
    var p = ProtoWriter()
    for v in values { p.varint(UInt64(bitPattern: Int64(v))) }
    data(field, p.bytes)
  }
}

@Suite struct ONNXProtobufReaderTests {
  @Test(arguments: [0, 1, 127, 128, 300, 1 << 35, UInt64.max])
  func varintRoundTrip(value: UInt64) throws {
    var w = ProtoWriter()
    w.varint(value)
    var r = ProtobufReader(w.bytes)
    #expect(try r.readVarint() == value)
    #expect(r.isAtEnd)
  }

  @Test func overlongVarintIsAnError() {
    var r = ProtobufReader([UInt8](repeating: 0xFF, count: 10) + [0x01])
    #expect(throws: ProtobufError.self) { _ = try r.readVarint() }
    var r2 = ProtobufReader([0x80, 0x80])
    #expect(throws: ProtobufError("truncated varint", offset: 0)) { _ = try r2.readVarint() }
  }

  @Test func fixedWidthValues() throws {
    var w = ProtoWriter()
    w.fixed32(1, Float(1.5).bitPattern)
    w.fixed64(2, Double(-2.25).bitPattern)
    var r = ProtobufReader(w.bytes)
    #expect(try r.readTag() == (1, .fixed32))
    #expect(Float(bitPattern: try r.readFixed32()) == 1.5)
    #expect(try r.readTag() == (2, .fixed64))
    #expect(Double(bitPattern: try r.readFixed64()) == -2.25)
  }

  /// Packed and one-tag-per-value encodings of a repeated field decode the same.
  @Test func packedAndUnpackedRepeatedFields() throws {
    let values = [3, -1, 1 << 40, 0]
    var packed = ProtoWriter()
    packed.packed(8, values)
    var unpacked = ProtoWriter()
    for v in values { unpacked.int(8, v) }
    for bytes in [packed.bytes, unpacked.bytes] {
      var r = ProtobufReader(bytes)
      var words: [UInt64] = []
      while !r.isAtEnd {
        let (field, wire) = try r.readTag()
        #expect(field == 8)
        try r.readVarints(wire, into: &words)
      }
      #expect(words.map { Int(Int64(bitPattern: $0)) } == values)
    }
  }

  @Test func unknownFieldsOfEveryWireTypeAreSkipped() throws {
    var w = ProtoWriter()
    w.int(99, 5)
    w.fixed32(98, 7)
    w.fixed64(97, 9)
    w.string(96, "skip me")
    w.string(2, "kept")
    var r = ProtobufReader(w.bytes)
    var kept: String? = nil
    while !r.isAtEnd {
      let (field, wire) = try r.readTag()
      if field == 2 { kept = try r.readString() } else { try r.skip(wire) }
    }
    #expect(kept == "kept")
  }

  /// Every cut of a message throws instead of reading past the end.
  @Test func everyTruncationThrows() throws {
    var inner = ProtoWriter()
    inner.packed(1, [1, 2, 300])
    inner.fixed32(2, 42)
    var w = ProtoWriter()
    w.message(7, inner)
    w.fixed64(3, 1)
    for length in 0..<w.bytes.count {
      var r = ProtobufReader(Array(w.bytes[..<length]))
      var threw = false
      do {
        while !r.isAtEnd {
          let (_, wire) = try r.readTag()
          try r.skip(wire)
        }
      } catch { threw = true }
      // Cutting exactly between the two fields leaves a valid, shorter message.
      #expect(threw || length == 0 || length == w.bytes.count - 9)
    }
  }

  @Test func lengthPastTheEndAndGroupsAreErrors() {
    var r = ProtobufReader([0x0A, 0x05, 0x01])  // field 1, length 5, one byte left
    #expect(throws: ProtobufError.self) {
      _ = try r.readTag()
      _ = try r.readLengthDelimited()
    }
    var g = ProtobufReader([0x0B])  // field 1, start group
    #expect(throws: ProtobufError.self) {
      let (_, wire) = try g.readTag()
      try g.skip(wire)
    }
    var bad = ProtobufReader([0x0F])  // wire type 7
    #expect(throws: ProtobufError("invalid wire type 7", offset: 0)) { _ = try bad.readTag() }
  }

  @Test func packedFloatsMustBeWholeWords() {
    var r = ProtobufReader([0x22, 0x03, 0, 0, 0])  // field 4, 3 bytes
    var out: [UInt32] = []
    #expect(throws: ProtobufError.self) {
      let (_, wire) = try r.readTag()
      try r.readFixed32s(wire, into: &out)
    }
  }
}

/// Initializer values in each wire encoding ONNX writers use.
@Suite struct ONNXInitializerEncodingTests {
  typealias M = TestModel

  /// Values stored as packed or unpacked float_data, as raw_data, and int64 shapes in raw_data.
  @Test func initializerEncodings() throws {
    var packed = ProtoWriter()
    packed.packed(1, [3])
    packed.int(2, 1)
    var words = ProtoWriter()
    for f: Float in [1, 2, 3] {
      words.bytes += (0..<4).map { UInt8(truncatingIfNeeded: f.bitPattern >> (8 * UInt32($0))) }
    }
    packed.data(4, words.bytes)
    packed.string(8, "a")
    var unpacked = ProtoWriter()
    unpacked.packed(1, [3])
    unpacked.int(2, 1)
    for f: Float in [4, 5, 6] { unpacked.fixed32(4, f.bitPattern) }
    unpacked.string(8, "b")
    var shape = ProtoWriter()
    shape.packed(1, [2])
    shape.int(2, 7)
    shape.string(8, "shape")
    shape.data(9, [3, 0, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 0xFF, count: 8))  // [3, -1]
    let bytes = M.model(
      [
        M.node("Add", ["x", "a"], ["s"]), M.node("Mul", ["s", "b"], ["p"]),
        M.node("Reshape", ["p", "shape"], ["y"]),
      ],
      inputs: [M.value("x", [2, 3])], outputs: [M.value("y", nil)], initializers: [packed, unpacked, shape])
    let g = try M.load(bytes).graph
    let value = { (name: String) in
      g.tensors.firstIndex { $0.name == name }.flatMap { g.weightValues[TensorID($0)] }
    }
    #expect(value("a") == [1, 2, 3])
    #expect(value("b") == [4, 5, 6])
    #expect(g.outputs.map { g[$0].shape.dims } == [[3, 2]])
  }

  @Test func wrongSizedDataIsAnError() throws {
    var t = ProtoWriter()
    t.packed(1, [4])
    t.int(2, 1)
    t.string(8, "w")
    t.data(9, [0, 0, 0, 0, 0, 0])
    let bytes = M.model(
      [M.node("Add", ["x", "w"], ["y"])], inputs: [M.value("x", [4])], outputs: [M.value("y", nil)],
      initializers: [t])
    #expect(
      throws: ConfigError(
        file: "test.onnx", path: "graph.initializer[0](w).data", message: "6 bytes of raw_data for shape [4]",
        expected: "4 × 4 bytes")
    ) { _ = try M.load(bytes) }
  }
}
