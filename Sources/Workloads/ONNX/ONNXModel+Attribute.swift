/// `AttributeProto`: a named node parameter of one of the ONNX attribute types.
///
/// Fields: name = 1, f = 2, i = 3, s = 4, t = 5, g = 6, floats = 7, ints = 8, strings = 9,
/// tensors = 10, graphs = 11, type = 20, sparse_tensor = 22. Graph values are only noted.
struct ONNXAttribute: Sendable {
  /// `AttributeProto.AttributeType`.
  enum Kind: Int32, Sendable {
    case undefined = 0
    case float = 1
    case int = 2
    case string = 3
    case tensor = 4
    case graph = 5
    case floats = 6
    case ints = 7
    case strings = 8
    case tensors = 9
    case graphs = 10
    case sparseTensor = 11
    case sparseTensors = 12
    case typeProto = 13
    case typeProtos = 14

    var label: String {
      switch self {
      case .undefined: "undefined"
      case .float: "FLOAT"
      case .int: "INT"
      case .string: "STRING"
      case .tensor: "TENSOR"
      case .graph: "GRAPH"
      case .floats: "FLOATS"
      case .ints: "INTS"
      case .strings: "STRINGS"
      case .tensors: "TENSORS"
      case .graphs: "GRAPHS"
      case .sparseTensor: "SPARSE_TENSOR"
      case .sparseTensors: "SPARSE_TENSORS"
      case .typeProto: "TYPE_PROTO"
      case .typeProtos: "TYPE_PROTOS"
      }
    }
  }

  var name = ""
  /// The declared type; when a file omits it (IR < 2), inferred from the field that was set.
  var kind = Kind.undefined
  var f: Float = 0
  var i: Int64 = 0
  var s: [UInt8] = []
  var t: ONNXTensor? = nil
  var floats: [Float] = []
  var ints: [Int64] = []
  var strings: [String] = []
  var tensors: [ONNXTensor] = []

  init(_ r: inout ProtobufReader) throws(ProtobufError) {
    var declared: Int32? = nil
    var seen = Kind.undefined
    var floatWords: [UInt32] = []
    var intWords: [UInt64] = []
    while !r.isAtEnd {
      let (field, wire) = try r.readTag()
      switch field {
      case 1:
        try r.expect(wire, .lengthDelimited, field: field)
        name = try r.readString()
      case 2:
        try r.expect(wire, .fixed32, field: field)
        f = Float(bitPattern: try r.readFixed32())
        seen = .float
      case 3:
        try r.expect(wire, .varint, field: field)
        i = Int64(bitPattern: try r.readVarint())
        seen = .int
      case 4:
        try r.expect(wire, .lengthDelimited, field: field)
        s = Array(try r.readBytes())
        seen = .string
      case 5:
        try r.expect(wire, .lengthDelimited, field: field)
        t = try r.readMessage("t") { (m) throws(ProtobufError) in try ONNXTensor(&m) }
        seen = .tensor
      case 6, 11:
        seen = field == 6 ? .graph : .graphs
        try r.skip(wire)
      case 7:
        try r.readFixed32s(wire, into: &floatWords)
        seen = .floats
      case 8:
        try r.readVarints(wire, into: &intWords)
        seen = .ints
      case 9:
        try r.expect(wire, .lengthDelimited, field: field)
        strings.append(try r.readString())
        seen = .strings
      case 10:
        try r.expect(wire, .lengthDelimited, field: field)
        tensors.append(
          try r.readMessage("tensors[\(tensors.count)]") { (m) throws(ProtobufError) in try ONNXTensor(&m) })
        seen = .tensors
      case 20:
        try r.expect(wire, .varint, field: field)
        declared = Int32(truncatingIfNeeded: try r.readVarint())
      case 22:
        try r.expect(wire, .lengthDelimited, field: field)
        t = try r.readMessage("sparse_tensor") {
          (m) throws(ProtobufError) in try ONNXTensor(sparse: &m)
        }
        seen = .sparseTensor
      default: try r.skip(wire)
      }
    }
    floats = floatWords.map(Float.init(bitPattern:))
    ints = intWords.map { Int64(bitPattern: $0) }
    if let declared {
      kind = Kind(rawValue: declared) ?? .undefined
    } else {
      kind = seen
    }
  }

  /// The string value, decoded as UTF-8.
  var string: String { String(decoding: s, as: UTF8.self) }
}
