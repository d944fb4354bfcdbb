import Foundation
import HybrixCore

/// A read-only view of an ONNX model as its nodes, attributes and initializer values: what an
/// interpreter needs to execute the file with exact ONNX semantics.
///
/// ``ONNXImporter`` turns a file into the cost-model ``Graph``, which keeps only what mapping
/// needs; this view keeps every attribute instead. It is built from the same protobuf decoder,
/// and names nodes as the importer names operators (the node name, else its first output, else
/// `OpType_index`), so a mapping of operator names applies to both.
public struct ONNXProgram: Sendable {
  /// An ONNX tensor: name, shape, `TensorProto.DataType` and its values when Hybrix reads them.
  public struct TensorValue: Sendable {
    /// Values of a tensor in the widths Hybrix computes with.
    public enum Storage: Sendable {
      /// FLOAT and DOUBLE tensors (doubles rounded to Float).
      case floats([Float])
      /// Integer and BOOL tensors, widened to Int64.
      case ints([Int64])
      /// Values Hybrix does not decode: the reason, e.g. `"element type FLOAT16"`.
      case unavailable(String)
    }
    public var name: String
    public var shape: [Int]
    /// `TensorProto.DataType` (1 FLOAT, 7 INT64, 9 BOOL, 10 FLOAT16, 11 DOUBLE, …).
    public var elementType: Int32
    public var storage: Storage
  }

  /// A node attribute, by ONNX attribute type.
  public enum Attribute: Sendable {
    case int(Int64)
    case float(Float)
    case ints([Int64])
    case floats([Float])
    case string(String)
    case strings([String])
    case tensor(TensorValue)
    /// A type Hybrix does not execute (graphs, sparse tensors, type protos), with its label.
    case unsupported(String)
  }

  /// One operator invocation, in file order.
  public struct Node: Sendable {
    /// Position in the file's `graph.node` list.
    public var index: Int
    /// Operator name as ``ONNXImporter`` names it: the node name, else its first output.
    public var name: String
    public var opType: String
    /// Operator domain; `""` is the default ONNX domain.
    public var domain: String
    /// Input value names; `""` marks an omitted optional input.
    public var inputs: [String]
    public var outputs: [String]
    public var attributes: [String: Attribute]
    /// `graph.node[i](name)`, the node's location in error messages.
    public var path: String { "graph.node[\(index)](\(name))" }
  }

  /// A declared graph input or output.
  public struct ValueInfo: Sendable {
    public var name: String
    /// `TensorProto.DataType`, 0 when undeclared or not a tensor.
    public var elementType: Int32
    /// Declared dimensions (`nil` entries are symbolic or unknown); `nil` when no shape is given.
    public var shape: [Int?]?
  }

  /// Where the model came from, for error messages.
  public var fileName: String
  /// Version of the default ONNX operator set (21 when the file imports none).
  public var opset: Int
  public var nodes: [Node]
  public var initializers: [TensorValue]
  /// Graph inputs that are not initializers, in file order.
  public var inputs: [ValueInfo]
  public var outputs: [ValueInfo]

  /// Reads the ONNX model at `path`.
  public static func load(path: String) throws(ConfigError) -> ONNXProgram {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ConfigError(
        file: path, message: "cannot be read", expected: "a readable ONNX model file",
        hint: "check the path and the file's permissions")
    }
    return try load(data: [UInt8](data), fileName: path)
  }

  /// Decodes ONNX model bytes; `fileName` is used in errors only.
  public static func load(data: [UInt8], fileName: String) throws(ConfigError) -> ONNXProgram {
    let model = try ONNXImporter.decode(data, fileName: fileName)
    do {
      return try ONNXProgram(model: model, fileName: fileName)
    } catch {
      throw error.inFile(fileName)
    }
  }

  /// Decodes a serialized `TensorProto`, such as the `input_0.pb` and `output_0.pb` files of
  /// ONNX's node tests.
  public static func decodeTensor(bytes: [UInt8], fileName: String) throws(ConfigError)
    -> TensorValue
  {
    var reader = ProtobufReader(bytes)
    let tensor: ONNXTensor
    do { tensor = try ONNXTensor(&reader) } catch {
      throw ConfigError(
        file: fileName, message: "malformed protobuf at byte \(error.offset): \(error.message)",
        expected: "a serialized ONNX TensorProto")
    }
    do { return try TensorValue(tensor) } catch { throw error.inFile(fileName) }
  }

  /// Reads a serialized `TensorProto` file.
  public static func loadTensor(path: String) throws(ConfigError) -> TensorValue {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ConfigError(file: path, message: "cannot be read", expected: "a TensorProto file")
    }
    return try decodeTensor(bytes: [UInt8](data), fileName: path)
  }

  /// The ONNX name of an element type, e.g. `FLOAT16` for 10.
  public static func elementTypeName(_ type: Int32) -> String {
    let names: [Int32: String] = [
      0: "UNDEFINED", 1: "FLOAT", 2: "UINT8", 3: "INT8", 4: "UINT16", 5: "INT16", 6: "INT32",
      7: "INT64", 8: "STRING", 9: "BOOL", 10: "FLOAT16", 11: "DOUBLE", 12: "UINT32", 13: "UINT64",
      14: "COMPLEX64", 15: "COMPLEX128", 16: "BFLOAT16", 17: "FLOAT8E4M3FN", 18: "FLOAT8E4M3FNUZ",
      19: "FLOAT8E5M2", 20: "FLOAT8E5M2FNUZ", 21: "UINT4", 22: "INT4", 23: "FLOAT4E2M1",
    ]
    return names[type] ?? "type \(type)"
  }

  init(model: ONNXModel, fileName: String) throws(ConfigError) {
    self.fileName = fileName
    opset = Int(clamping: model.defaultOpset ?? Int64(ONNXImporter.defaultOpset))
    let graph = model.graph
    var initializers: [TensorValue] = []
    for (i, t) in graph.initializers.enumerated() {
      do { initializers.append(try TensorValue(t)) } catch {
        throw error.underPath("graph.initializer[\(i)](\(t.name))")
      }
    }
    for (i, t) in graph.sparseInitializers.enumerated() {
      throw ConfigError(
        path: "graph.sparse_initializer[\(i)](\(t.name))", message: "sparse initializer",
        expected: "dense initializers", hint: "convert sparse initializers to dense ones")
    }
    self.initializers = initializers
    let initialized = Set(initializers.map(\.name))
    inputs = graph.inputs.filter { !initialized.contains($0.name) }.map(Self.valueInfo)
    outputs = graph.outputs.map(Self.valueInfo)
    var nodes: [Node] = []
    for (index, node) in graph.nodes.enumerated() {
      let name =
        !node.name.isEmpty ? node.name : node.outputs.first { !$0.isEmpty } ?? "\(node.opType)_\(index)"
      var attributes: [String: Attribute] = [:]
      for a in node.attributes {
        do { attributes[a.name] = try Self.attribute(a) } catch {
          throw error.underPath("graph.node[\(index)](\(name)).attribute.\(a.name)")
        }
      }
      nodes.append(
        Node(
          index: index, name: name, opType: node.opType, domain: node.domain == "ai.onnx" ? "" : node.domain,
          inputs: node.inputs, outputs: node.outputs, attributes: attributes))
    }
    self.nodes = nodes
  }

  private static func valueInfo(_ info: ONNXValueInfo) -> ValueInfo {
    let shape = info.shape.map { dims in
      dims.map { d -> Int? in
        if case .value(let v) = d, v >= 0, v <= Int64(Int32.max) { return Int(v) }
        return nil
      }
    }
    return ValueInfo(name: info.name, elementType: info.typeKind == "tensor" ? info.elemType : 0, shape: shape)
  }

  private static func attribute(_ a: ONNXAttribute) throws(ConfigError) -> Attribute {
    switch a.kind {
    case .int: return .int(a.i)
    case .float: return .float(a.f)
    case .ints: return .ints(a.ints)
    case .floats: return .floats(a.floats)
    case .string: return .string(a.string)
    case .strings: return .strings(a.strings)
    case .tensor:
      guard let t = a.t else { return .unsupported("TENSOR without a value") }
      return .tensor(try TensorValue(t))
    default: return .unsupported(a.kind.label)
    }
  }
}

extension ONNXProgram.TensorValue {
  /// Checks the shape and decodes the values; wrong data sizes are errors.
  init(_ t: ONNXTensor) throws(ConfigError) {
    var shape: [Int] = []
    for (j, d) in t.dims.enumerated() {
      guard d >= 0, d <= Int64(Int32.max) else {
        throw ConfigError(path: "dims[\(j)]", message: "dimension \(d)", expected: "a size in 0...\(Int32.max)")
      }
      shape.append(Int(d))
    }
    let count = try Checked.product(shape, "the element count of tensor '\(t.name)'")
    let type = ONNXProgram.elementTypeName(t.dataType)
    var storage = Storage.unavailable("element type \(type)")
    if t.isExternal {
      storage = .unavailable("values stored in an external file")
    } else if t.dataType == ONNXDataType.float || t.dataType == ONNXDataType.double {
      switch t.floatValues(count: count) {
      case .failure(let e):
        throw ConfigError(path: "data", message: "\(e.found) for shape \(shape)", expected: e.expected)
      case .success(let v): storage = v.map(Storage.floats) ?? .unavailable("no values")
      }
    } else if ONNXDataType.isInteger(t.dataType) {
      switch t.intValues(count: count) {
      case .failure(let e):
        throw ConfigError(path: "data", message: "\(e.found) for shape \(shape)", expected: e.expected)
      case .success(let v):
        if let v {
          storage = .ints(v.map { Int64($0) })
        } else {
          storage = count == 0 ? .ints([]) : .unavailable("no values")
        }
      }
    }
    self.init(name: t.name, shape: shape, elementType: t.dataType, storage: storage)
  }
}
