/// A malformed protobuf message: where it went wrong (byte offset in the file and the field path
/// the decoder was in) and why.
struct ProtobufError: Error, Hashable, Sendable {
  /// Fields from the top message down to the one being read, e.g. `graph.node[3].attribute[0]`.
  var path: [String]
  var message: String
  /// Byte offset in the whole buffer where the bad read started.
  var offset: Int

  init(_ message: String, offset: Int) {
    self.path = []
    self.message = message
    self.offset = offset
  }

  /// The same error one message level up (`component` is the field that held the message).
  func under(_ component: String) -> ProtobufError {
    var copy = self
    copy.path.insert(component, at: 0)
    return copy
  }

  /// `graph.node[3].attribute[0]`, with indices attached to their field names.
  var joinedPath: String {
    path.reduce("") { result, part in
      result.isEmpty || part.hasPrefix("[") ? result + part : result + "." + part
    }
  }
}

/// The wire type in the low three bits of a protobuf tag.
enum WireType: UInt8, Sendable {
  case varint = 0
  case fixed64 = 1
  case lengthDelimited = 2
  case startGroup = 3
  case endGroup = 4
  case fixed32 = 5

  var label: String {
    switch self {
    case .varint: "varint"
    case .fixed64: "64-bit"
    case .lengthDelimited: "length-delimited"
    case .startGroup: "start-group"
    case .endGroup: "end-group"
    case .fixed32: "32-bit"
    }
  }
}

/// A bounds-checked reader of the protobuf wire format over a byte buffer.
///
/// Every read checks the remaining length first and throws ``ProtobufError`` on truncation or
/// malformed data, so no input can make it trap. Nested messages are read by sub-readers that share
/// the buffer (no copy) and are limited to the message's own bytes.
struct ProtobufReader: Sendable {
  let bytes: [UInt8]
  /// Next byte to read.
  private(set) var position: Int
  /// One past the last byte of this message.
  let end: Int

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
    self.position = 0
    self.end = bytes.count
  }

  private init(bytes: [UInt8], start: Int, end: Int) {
    self.bytes = bytes
    self.position = start
    self.end = end
  }

  var isAtEnd: Bool { position >= end }
  var remaining: Int { end - position }

  /// A field tag: its number (≥ 1) and wire type.
  mutating func readTag() throws(ProtobufError) -> (field: Int, wireType: WireType) {
    let start = position
    let key = try readVarint()
    guard let wire = WireType(rawValue: UInt8(key & 7)) else {
      throw ProtobufError("invalid wire type \(key & 7)", offset: start)
    }
    let field = key >> 3
    guard field >= 1, field <= 0x1FFF_FFFF else {
      throw ProtobufError("invalid field number \(field)", offset: start)
    }
    return (Int(field), wire)
  }

  /// A base-128 varint of at most 10 bytes.
  mutating func readVarint() throws(ProtobufError) -> UInt64 {
    let start = position
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      guard position < end else {
        throw ProtobufError("truncated varint", offset: start)
      }
      let byte = bytes[position]
      position += 1
      if shift == 63, byte > 1 {
        throw ProtobufError("varint longer than 64 bits", offset: start)
      }
      result |= UInt64(byte & 0x7F) << shift
      if byte & 0x80 == 0 { return result }
      shift += 7
    }
  }

  /// A little-endian 32-bit word.
  mutating func readFixed32() throws(ProtobufError) -> UInt32 {
    try require(4, "32-bit value")
    var v: UInt32 = 0
    for i in 0..<4 { v |= UInt32(bytes[position + i]) << (8 * UInt32(i)) }
    position += 4
    return v
  }

  /// A little-endian 64-bit word.
  mutating func readFixed64() throws(ProtobufError) -> UInt64 {
    try require(8, "64-bit value")
    var v: UInt64 = 0
    for i in 0..<8 { v |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
    position += 8
    return v
  }

  /// The payload of a length-delimited field, as a reader limited to it.
  mutating func readLengthDelimited() throws(ProtobufError) -> ProtobufReader {
    let start = position
    let length = try readVarint()
    guard length <= UInt64(remaining) else {
      throw ProtobufError(
        "length \(length) runs past the end of the message (\(remaining) bytes left)", offset: start)
    }
    let sub = ProtobufReader(bytes: bytes, start: position, end: position + Int(length))
    position += Int(length)
    return sub
  }

  /// The payload of a length-delimited field as bytes (shares storage with the buffer).
  mutating func readBytes() throws(ProtobufError) -> ArraySlice<UInt8> {
    let sub = try readLengthDelimited()
    return bytes[sub.position..<sub.end]
  }

  /// A string field; invalid UTF-8 is replaced rather than rejected.
  mutating func readString() throws(ProtobufError) -> String {
    String(decoding: try readBytes(), as: UTF8.self)
  }

  /// Skips a field of an unknown number. Groups (deprecated, unused by ONNX) are rejected.
  mutating func skip(_ wire: WireType) throws(ProtobufError) {
    switch wire {
    case .varint: _ = try readVarint()
    case .fixed64:
      try require(8, "64-bit value")
      position += 8
    case .fixed32:
      try require(4, "32-bit value")
      position += 4
    case .lengthDelimited: _ = try readLengthDelimited()
    case .startGroup, .endGroup:
      throw ProtobufError("unexpected group wire type", offset: position)
    }
  }

  /// Checks that a known field has the wire type its schema gives.
  func expect(_ wire: WireType, _ wanted: WireType, field: Int) throws(ProtobufError) {
    guard wire == wanted else {
      throw ProtobufError(
        "field \(field) has wire type \(wire.label), expected \(wanted.label)", offset: position)
    }
  }

  private func require(_ count: Int, _ what: String) throws(ProtobufError) {
    guard remaining >= count else {
      throw ProtobufError(
        "truncated \(what): \(count) bytes needed, \(remaining) left", offset: position)
    }
  }

  // MARK: repeated scalars, packed (length-delimited) or one value per tag

  /// Appends one or more varints (int32, int64, enum, bool) to `values`.
  mutating func readVarints(_ wire: WireType, into values: inout [UInt64]) throws(ProtobufError) {
    switch wire {
    case .varint: values.append(try readVarint())
    case .lengthDelimited:
      var sub = try readLengthDelimited()
      while !sub.isAtEnd { values.append(try sub.readVarint()) }
    default:
      throw ProtobufError("repeated varint field has wire type \(wire.label)", offset: position)
    }
  }

  /// Appends one or more 32-bit words (float, fixed32) to `values`.
  mutating func readFixed32s(_ wire: WireType, into values: inout [UInt32]) throws(ProtobufError) {
    switch wire {
    case .fixed32: values.append(try readFixed32())
    case .lengthDelimited:
      var sub = try readLengthDelimited()
      guard sub.remaining % 4 == 0 else {
        throw ProtobufError(
          "packed 32-bit field of \(sub.remaining) bytes, not a multiple of 4", offset: sub.position)
      }
      values.reserveCapacity(values.count + sub.remaining / 4)
      while !sub.isAtEnd { values.append(try sub.readFixed32()) }
    default:
      throw ProtobufError("repeated 32-bit field has wire type \(wire.label)", offset: position)
    }
  }

  /// Appends one or more 64-bit words (double, fixed64) to `values`.
  mutating func readFixed64s(_ wire: WireType, into values: inout [UInt64]) throws(ProtobufError) {
    switch wire {
    case .fixed64: values.append(try readFixed64())
    case .lengthDelimited:
      var sub = try readLengthDelimited()
      guard sub.remaining % 8 == 0 else {
        throw ProtobufError(
          "packed 64-bit field of \(sub.remaining) bytes, not a multiple of 8", offset: sub.position)
      }
      values.reserveCapacity(values.count + sub.remaining / 8)
      while !sub.isAtEnd { values.append(try sub.readFixed64()) }
    default:
      throw ProtobufError("repeated 64-bit field has wire type \(wire.label)", offset: position)
    }
  }

  /// A message field decoded by `decode`, with errors placed under `component`.
  mutating func readMessage<T>(
    _ component: @autoclosure () -> String,
    _ decode: (inout ProtobufReader) throws(ProtobufError) -> T
  ) throws(ProtobufError) -> T {
    do {
      var sub = try readLengthDelimited()
      return try decode(&sub)
    } catch { throw error.under(component()) }
  }
}
