/// The subset of an ONNX `ModelProto` Hybrix reads, decoded from the protobuf wire format.
///
/// Field numbers follow onnx.proto (onnx 1.23). Unknown fields are skipped; known fields with the
/// wrong wire type are errors. Subgraphs (If/Loop/Scan bodies) and training information are not
/// decoded: nodes that hold them are kept as operators Hybrix does not model.
struct ONNXModel: Sendable {
  var irVersion: Int64 = 0
  var producerName = ""
  /// Operator set version per domain (`""` is the default ONNX domain).
  var opsets: [String: Int64] = [:]
  var graph = ONNXGraph()
  /// Whether the file had a graph field at all (a file without one is not an ONNX model).
  var hasGraph = false

  init() {}

  init(bytes: [UInt8]) throws(ProtobufError) {
    var r = ProtobufReader(bytes)
    var opsetIndex = 0
    while !r.isAtEnd {
      let (field, wire) = try r.readTag()
      switch field {
      case 1:
        try r.expect(wire, .varint, field: field)
        irVersion = Int64(bitPattern: try r.readVarint())
      case 2:
        try r.expect(wire, .lengthDelimited, field: field)
        producerName = try r.readString()
      case 7:
        try r.expect(wire, .lengthDelimited, field: field)
        graph = try r.readMessage("graph") { (s) throws(ProtobufError) in try ONNXGraph(&s) }
        hasGraph = true
      case 8:
        try r.expect(wire, .lengthDelimited, field: field)
        let (domain, version) = try r.readMessage("opset_import[\(opsetIndex)]") {
          (s) throws(ProtobufError) in try Self.decodeOpset(&s)
        }
        opsets[domain] = version
        opsetIndex += 1
      default: try r.skip(wire)
      }
    }
  }

  /// `OperatorSetIdProto`: domain = 1, version = 2.
  private static func decodeOpset(_ r: inout ProtobufReader) throws(ProtobufError) -> (String, Int64) {
    var domain = ""
    var version: Int64 = 0
    while !r.isAtEnd {
      let (field, wire) = try r.readTag()
      switch field {
      case 1:
        try r.expect(wire, .lengthDelimited, field: field)
        domain = try r.readString()
      case 2:
        try r.expect(wire, .varint, field: field)
        version = Int64(bitPattern: try r.readVarint())
      default: try r.skip(wire)
      }
    }
    return (domain, version)
  }

  /// The version of the default ONNX operator set (domain `""` or `ai.onnx`), or `nil` if the
  /// file does not import it.
  var defaultOpset: Int64? { opsets[""] ?? opsets["ai.onnx"] }
}

/// `GraphProto`: nodes, initializers, inputs, outputs and value_info.
struct ONNXGraph: Sendable {
  var name = ""
  var nodes: [ONNXNode] = []
  var initializers: [ONNXTensor] = []
  /// Sparse initializers (`sparse_initializer`): only their dense shapes are used.
  var sparseInitializers: [ONNXTensor] = []
  var inputs: [ONNXValueInfo] = []
  var outputs: [ONNXValueInfo] = []
  var valueInfo: [ONNXValueInfo] = []

  init() {}

  init(_ r: inout ProtobufReader) throws(ProtobufError) {
    while !r.isAtEnd {
      let (field, wire) = try r.readTag()
      switch field {
      case 1, 2, 5, 11, 12, 13, 15: try r.expect(wire, .lengthDelimited, field: field)
      default: break
      }
      switch field {
      case 1:
        nodes.append(
          try r.readMessage("node[\(nodes.count)]") { (s) throws(ProtobufError) in try ONNXNode(&s) })
      case 2: name = try r.readString()
      case 5:
        initializers.append(
          try r.readMessage("initializer[\(initializers.count)]") {
            (s) throws(ProtobufError) in try ONNXTensor(&s)
          })
      case 11:
        inputs.append(
          try r.readMessage("input[\(inputs.count)]") {
            (s) throws(ProtobufError) in try ONNXValueInfo(&s)
          })
      case 12:
        outputs.append(
          try r.readMessage("output[\(outputs.count)]") {
            (s) throws(ProtobufError) in try ONNXValueInfo(&s)
          })
      case 13:
        valueInfo.append(
          try r.readMessage("value_info[\(valueInfo.count)]") {
            (s) throws(ProtobufError) in try ONNXValueInfo(&s)
          })
      case 15:
        sparseInitializers.append(
          try r.readMessage("sparse_initializer[\(sparseInitializers.count)]") {
            (s) throws(ProtobufError) in try ONNXTensor(sparse: &s)
          })
      default: try r.skip(wire)
      }
    }
  }
}

/// `NodeProto`: one operator invocation.
struct ONNXNode: Sendable {
  var inputs: [String] = []
  var outputs: [String] = []
  var name = ""
  var opType = ""
  var domain = ""
  var attributes: [ONNXAttribute] = []

  init(opType: String = "") { self.opType = opType }

  init(_ r: inout ProtobufReader) throws(ProtobufError) {
    while !r.isAtEnd {
      let (field, wire) = try r.readTag()
      switch field {
      case 1, 2, 3, 4, 5, 7: try r.expect(wire, .lengthDelimited, field: field)
      default: break
      }
      switch field {
      case 1: inputs.append(try r.readString())
      case 2: outputs.append(try r.readString())
      case 3: name = try r.readString()
      case 4: opType = try r.readString()
      case 5:
        attributes.append(
          try r.readMessage("attribute[\(attributes.count)]") {
            (s) throws(ProtobufError) in try ONNXAttribute(&s)
          })
      case 7: domain = try r.readString()
      default: try r.skip(wire)
      }
    }
  }

  /// The first attribute named `name`.
  func attribute(_ name: String) -> ONNXAttribute? { attributes.first { $0.name == name } }

  /// Whether the node belongs to the default ONNX domain.
  var isDefaultDomain: Bool { domain.isEmpty || domain == "ai.onnx" }
}

/// A dimension of a declared shape.
enum ONNXDimension: Hashable, Sendable {
  case value(Int64)
  /// A symbolic size (`dim_param`), bound by the user.
  case param(String)
  /// Neither a size nor a name.
  case unknown
}

/// `ValueInfoProto` with its `TypeProto`: the element type and shape of a tensor, when it is one.
struct ONNXValueInfo: Sendable {
  var name = ""
  /// `TypeProto` kind: `tensor`, `sequence`, `map`, `optional`, `sparse_tensor`, or `none`.
  var typeKind = "none"
  /// ONNX element type (`TensorProto.DataType`), 0 when not given.
  var elemType: Int32 = 0
  /// Declared dimensions, `nil` when the tensor type has no shape (rank unknown).
  var shape: [ONNXDimension]? = nil

  init(_ r: inout ProtobufReader) throws(ProtobufError) {
    while !r.isAtEnd {
      let (field, wire) = try r.readTag()
      switch field {
      case 1:
        try r.expect(wire, .lengthDelimited, field: field)
        name = try r.readString()
      case 2:
        try r.expect(wire, .lengthDelimited, field: field)
        try r.readMessage("type") { (s) throws(ProtobufError) in try decodeType(&s) }
      default: try r.skip(wire)
      }
    }
  }

  /// `TypeProto`: tensor_type = 1, sequence_type = 4, map_type = 5, sparse_tensor_type = 8,
  /// optional_type = 9.
  private mutating func decodeType(_ r: inout ProtobufReader) throws(ProtobufError) {
    while !r.isAtEnd {
      let (field, wire) = try r.readTag()
      switch field {
      case 1, 8:
        try r.expect(wire, .lengthDelimited, field: field)
        typeKind = field == 1 ? "tensor" : "sparse_tensor"
        try r.readMessage("tensor_type") { (s) throws(ProtobufError) in try decodeTensorType(&s) }
      case 4, 5, 9:
        typeKind = field == 4 ? "sequence" : field == 5 ? "map" : "optional"
        try r.skip(wire)
      default: try r.skip(wire)
      }
    }
  }

  /// `TypeProto.Tensor`: elem_type = 1, shape = 2 (`TensorShapeProto`, dim = 1).
  private mutating func decodeTensorType(_ r: inout ProtobufReader) throws(ProtobufError) {
    while !r.isAtEnd {
      let (field, wire) = try r.readTag()
      switch field {
      case 1:
        try r.expect(wire, .varint, field: field)
        elemType = Int32(truncatingIfNeeded: try r.readVarint())
      case 2:
        try r.expect(wire, .lengthDelimited, field: field)
        var dims: [ONNXDimension] = []
        var s = try r.readLengthDelimited()
        while !s.isAtEnd {
          let (f, w) = try s.readTag()
          guard f == 1 else {
            try s.skip(w)
            continue
          }
          try s.expect(w, .lengthDelimited, field: f)
          dims.append(
            try s.readMessage("shape.dim[\(dims.count)]") {
              (d) throws(ProtobufError) in try Self.decodeDimension(&d)
            })
        }
        shape = dims
      default: try r.skip(wire)
      }
    }
  }

  /// `TensorShapeProto.Dimension`: dim_value = 1, dim_param = 2.
  private static func decodeDimension(_ r: inout ProtobufReader) throws(ProtobufError)
    -> ONNXDimension
  {
    var dim = ONNXDimension.unknown
    while !r.isAtEnd {
      let (field, wire) = try r.readTag()
      switch field {
      case 1:
        try r.expect(wire, .varint, field: field)
        dim = .value(Int64(bitPattern: try r.readVarint()))
      case 2:
        try r.expect(wire, .lengthDelimited, field: field)
        let name = try r.readString()
        dim = name.isEmpty ? .unknown : .param(name)
      default: try r.skip(wire)
      }
    }
    return dim
  }
}
