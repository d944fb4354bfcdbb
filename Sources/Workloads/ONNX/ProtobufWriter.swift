/// An encoder of the protobuf wire format (https://protobuf.dev/programming-guides/encoding/):
/// tags, varints, 32-bit words and length-delimited fields, appended to a byte buffer.
///
/// The inverse of ``ProtobufReader`` for the field types ONNX uses. Repeated scalars are written
/// unpacked, as onnx.proto (proto2 syntax) declares them; readers accept both forms.
struct ProtobufWriter: Sendable {
  private(set) var bytes: [UInt8] = []

  init() {}

  /// A field's key: `field << 3 | wireType`.
  mutating func tag(_ field: Int, _ wire: WireType) {
    precondition(field >= 1, "protobuf field numbers start at 1")
    appendVarint(UInt64(field) << 3 | UInt64(wire.rawValue))
  }

  /// Base-128 little-endian groups, high bit set on all but the last byte.
  mutating func appendVarint(_ value: UInt64) {
    var v = value
    while v >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  /// An unsigned integer field (`uint64`, `bool`).
  mutating func varint(_ field: Int, _ value: UInt64) {
    tag(field, .varint)
    appendVarint(value)
  }

  /// A signed `int64`/`int32` field: two's complement, so negative numbers take ten bytes.
  mutating func int(_ field: Int, _ value: Int64) {
    varint(field, UInt64(bitPattern: value))
  }

  /// A `float` field (32-bit little-endian).
  mutating func float(_ field: Int, _ value: Float) {
    tag(field, .fixed32)
    appendFixed32(value.bitPattern)
  }

  mutating func appendFixed32(_ word: UInt32) {
    for shift in stride(from: 0, to: 32, by: 8) {
      bytes.append(UInt8(truncatingIfNeeded: word >> UInt32(shift)))
    }
  }

  /// A `bytes` field.
  mutating func bytes(_ field: Int, _ value: [UInt8]) {
    tag(field, .lengthDelimited)
    appendVarint(UInt64(value.count))
    bytes.append(contentsOf: value)
  }

  /// A `string` field, UTF-8.
  mutating func string(_ field: Int, _ value: String) {
    bytes(field, Array(value.utf8))
  }

  /// An embedded message field, written by `body` into its own writer.
  mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
    var inner = ProtobufWriter()
    body(&inner)
    bytes(field, inner.bytes)
  }

  /// Little-endian IEEE 754 words of `values`, as ONNX `raw_data` stores floats.
  static func littleEndianBytes(_ values: [Float]) -> [UInt8] {
    var out = [UInt8]()
    out.reserveCapacity(values.count * 4)
    for v in values {
      let word = v.bitPattern
      out.append(UInt8(truncatingIfNeeded: word))
      out.append(UInt8(truncatingIfNeeded: word >> 8))
      out.append(UInt8(truncatingIfNeeded: word >> 16))
      out.append(UInt8(truncatingIfNeeded: word >> 24))
    }
    return out
  }
}
