import Foundation
import HybrixCore

/// Writes ONNX models (`ModelProto`, onnx.proto of onnx 1.14+) from a plain description: nodes,
/// float initializers, graph inputs and outputs. No dependency: the bytes come from
/// ``ProtobufWriter``.
///
/// The default header is IR version 8 with the default-domain operator set 17 (onnxruntime ≥ 1.14
/// and Netron open it); initializers store their floats as little-endian `raw_data`.
public enum ONNXWriter {
  /// A node attribute (`AttributeProto`).
  public enum AttributeValue: Hashable, Sendable {
    case int(Int)
    case ints([Int])
    case float(Float)
    case string(String)
  }

  /// A named attribute of a node.
  public struct Attribute: Hashable, Sendable {
    public var name: String
    public var value: AttributeValue
    public init(_ name: String, _ value: AttributeValue) {
      self.name = name
      self.value = value
    }
  }

  /// One operator invocation (`NodeProto`).
  public struct Node: Hashable, Sendable {
    public var name: String
    public var opType: String
    public var inputs: [String]
    public var outputs: [String]
    /// Attributes in the order they are written.
    public var attributes: [Attribute]

    public init(
      name: String, opType: String, inputs: [String], outputs: [String],
      attributes: [Attribute] = []
    ) {
      self.name = name
      self.opType = opType
      self.inputs = inputs
      self.outputs = outputs
      self.attributes = attributes
    }
  }

  /// A float32 constant of the graph (`TensorProto` in `graph.initializer`).
  public struct Initializer: Hashable, Sendable {
    public var name: String
    public var dims: [Int]
    /// Row-major values; `values.count` is the product of `dims`.
    public var values: [Float]
    /// Stored as INT64 (a Reshape's shape) instead of FLOAT; the values must be whole numbers.
    public var isInt64 = false
    public init(name: String, dims: [Int], values: [Float]) {
      precondition(dims.reduce(1, *) == values.count, "\(name): \(values.count) values for \(dims)")
      self.name = name
      self.dims = dims
      self.values = values
    }

    /// A 1-D INT64 tensor (the `shape` input of Reshape).
    public static func int64(name: String, _ values: [Int]) -> Initializer {
      var t = Initializer(name: name, dims: [values.count], values: values.map { Float($0) })
      t.isInt64 = true
      return t
    }
  }

  /// A dimension of a declared input or output shape.
  public enum Dimension: Hashable, Sendable {
    case value(Int)
    /// A symbolic size (`dim_param`), such as the batch `N`.
    case symbol(String)
  }

  /// A float32 graph input or output with its declared shape (`ValueInfoProto`).
  public struct Value: Hashable, Sendable {
    public var name: String
    public var dims: [Dimension]
    public init(name: String, dims: [Dimension]) {
      self.name = name
      self.dims = dims
    }
  }

  /// A whole model.
  public struct Model: Hashable, Sendable {
    public var graphName: String
    public var nodes: [Node]
    public var initializers: [Initializer]
    public var inputs: [Value]
    public var outputs: [Value]
    public var irVersion = 8
    public var opsetVersion = 17
    public var producerName = "hybrix"
    public var producerVersion = ""
    /// Free text stored in `ModelProto.doc_string` (how the model was trained).
    public var docString = ""

    public init(
      graphName: String, nodes: [Node], initializers: [Initializer], inputs: [Value],
      outputs: [Value]
    ) {
      self.graphName = graphName
      self.nodes = nodes
      self.initializers = initializers
      self.inputs = inputs
      self.outputs = outputs
    }
  }

  /// The serialized `ModelProto`.
  public static func encode(_ model: Model) -> [UInt8] {
    var w = ProtobufWriter()
    w.int(1, Int64(model.irVersion))  // ir_version
    w.string(2, model.producerName)  // producer_name
    if !model.producerVersion.isEmpty { w.string(3, model.producerVersion) }
    if !model.docString.isEmpty { w.string(6, model.docString) }
    w.message(7) { g in encodeGraph(model, into: &g) }  // graph
    w.message(8) { o in  // opset_import: domain "" (field 1) omitted, version = 2
      o.int(2, Int64(model.opsetVersion))
    }
    return w.bytes
  }

  /// Writes `model` to `path`.
  ///
  /// - Throws: ``ConfigError`` naming the file when it cannot be written.
  public static func write(_ model: Model, to path: String) throws(ConfigError) {
    let data = Data(encode(model))
    do {
      try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw ConfigError(
        file: path, message: "cannot write the ONNX file: \(error.localizedDescription)",
        hint: "check that the folder exists and is writable")
    }
  }

  /// `GraphProto`: node = 1, name = 2, initializer = 5, input = 11, output = 12.
  private static func encodeGraph(_ model: Model, into g: inout ProtobufWriter) {
    for node in model.nodes { g.message(1) { encodeNode(node, into: &$0) } }
    g.string(2, model.graphName)
    for t in model.initializers { g.message(5) { encodeTensor(t, into: &$0) } }
    for v in model.inputs { g.message(11) { encodeValue(v, into: &$0) } }
    for v in model.outputs { g.message(12) { encodeValue(v, into: &$0) } }
  }

  /// `NodeProto`: input = 1, output = 2, name = 3, op_type = 4, attribute = 5.
  private static func encodeNode(_ node: Node, into n: inout ProtobufWriter) {
    for i in node.inputs { n.string(1, i) }
    for o in node.outputs { n.string(2, o) }
    n.string(3, node.name)
    n.string(4, node.opType)
    for attribute in node.attributes {
      // AttributeProto: name = 1, f = 2, i = 3, s = 4, ints = 8, type = 20.
      n.message(5) { a in
        a.string(1, attribute.name)
        switch attribute.value {
        case .float(let f):
          a.float(2, f)
          a.int(20, 1)
        case .int(let i):
          a.int(3, Int64(i))
          a.int(20, 2)
        case .string(let s):
          a.string(4, s)
          a.int(20, 3)
        case .ints(let list):
          for i in list { a.int(8, Int64(i)) }
          a.int(20, 7)
        }
      }
    }
  }

  /// `TensorProto`: dims = 1, data_type = 2 (FLOAT = 1), name = 8, raw_data = 9.
  private static func encodeTensor(_ t: Initializer, into w: inout ProtobufWriter) {
    for d in t.dims { w.int(1, Int64(d)) }
    w.int(2, t.isInt64 ? 7 : 1)
    w.string(8, t.name)
    if t.isInt64 {
      var bytes: [UInt8] = []
      for v in t.values {
        let bits = UInt64(bitPattern: Int64(v))
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i)))) }
      }
      w.bytes(9, bytes)
    } else {
      w.bytes(9, ProtobufWriter.littleEndianBytes(t.values))
    }
  }

  /// `ValueInfoProto` (name = 1, type = 2) → `TypeProto.tensor_type` = 1 → elem_type = 1
  /// (FLOAT), shape = 2 → `dim` = 1 → dim_value = 1 or dim_param = 2.
  private static func encodeValue(_ v: Value, into w: inout ProtobufWriter) {
    w.string(1, v.name)
    w.message(2) { type in
      type.message(1) { tensor in
        tensor.int(1, 1)
        tensor.message(2) { shape in
          for d in v.dims {
            shape.message(1) { dim in
              switch d {
              case .value(let size): dim.int(1, Int64(size))
              case .symbol(let name): dim.string(2, name)
              }
            }
          }
        }
      }
    }
  }
}
