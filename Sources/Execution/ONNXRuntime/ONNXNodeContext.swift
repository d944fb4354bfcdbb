import HybrixCore
import HybrixNumerics
import struct Workloads.ONNXProgram

/// One node being executed: its attributes, its input values and the model's operator set.
///
/// Accessors throw ``ConfigError``s with paths relative to the node (`attribute.axis`,
/// `input[1]`); the executor puts them under `graph.node[i](name)` and the file.
struct ONNXNodeContext {
  let node: ONNXProgram.Node
  let opset: Int
  /// One entry per declared input; `nil` where the input is omitted (`""`).
  let inputs: [ONNXValue?]
  /// The largest tensor a kernel may create (``ONNXExecutor/maxElements``).
  var maxElements = 1 << 28

  var opType: String { node.opType }
  var name: String { node.name }

  /// Element count of `shape`, or an error when it exceeds ``maxElements`` or overflows.
  func elementCount(_ shape: [Int], _ what: @autoclosure () -> String) throws(ConfigError) -> Int {
    try ONNXValue.elementCount(shape, what(), limit: maxElements)
  }

  // MARK: inputs

  /// Input `i` if present.
  func optional(_ i: Int) -> ONNXValue? { i < inputs.count ? inputs[i] : nil }

  /// Required input `i`.
  func value(_ i: Int, _ role: String) throws(ConfigError) -> ONNXValue {
    guard let v = optional(i) else {
      throw ConfigError(path: "input[\(i)]", message: "\(opType) is missing its input \(role)", expected: "a tensor")
    }
    return v
  }

  /// Required float input `i`.
  func float(_ i: Int, _ role: String) throws(ConfigError) -> Tensor {
    switch try value(i, role) {
    case .float(let t): return t
    case .int:
      throw ConfigError(
        path: "input[\(i)]", message: "\(opType) input \(role) '\(node.inputs[i])' is an integer tensor",
        expected: "a FLOAT tensor", hint: "supported: float data, integer data for shapes and indices")
    }
  }

  /// Optional float input `i`.
  func optionalFloat(_ i: Int, _ role: String) throws(ConfigError) -> Tensor? {
    optional(i) == nil ? nil : try float(i, role)
  }

  /// Required integer input `i` (shapes, axes, indices).
  func ints(_ i: Int, _ role: String) throws(ConfigError) -> (shape: [Int], values: [Int64]) {
    switch try value(i, role) {
    case .int(let shape, let values): return (shape, values)
    case .float:
      throw ConfigError(
        path: "input[\(i)]", message: "\(opType) input \(role) '\(node.inputs[i])' is a float tensor",
        expected: "an INT64 (or other integer) tensor")
    }
  }

  /// Optional integer input `i` as a list.
  func optionalInts(_ i: Int, _ role: String) throws(ConfigError) -> [Int64]? {
    optional(i) == nil ? nil : try ints(i, role).values
  }

  // MARK: attributes

  func attribute(_ name: String) -> ONNXProgram.Attribute? { node.attributes[name] }

  func int(_ name: String, default value: Int64) throws(ConfigError) -> Int64 {
    guard let a = attribute(name) else { return value }
    guard case .int(let v) = a else { throw wrongType(name, "INT") }
    return v
  }

  func float(_ name: String, default value: Float) throws(ConfigError) -> Float {
    guard let a = attribute(name) else { return value }
    switch a {
    case .float(let v): return v
    case .int(let v): return Float(v)
    default: throw wrongType(name, "FLOAT")
    }
  }

  func string(_ name: String, default value: String) throws(ConfigError) -> String {
    guard let a = attribute(name) else { return value }
    guard case .string(let v) = a else { throw wrongType(name, "STRING") }
    return v
  }

  func intList(_ name: String) throws(ConfigError) -> [Int64]? {
    guard let a = attribute(name) else { return nil }
    switch a {
    case .ints(let v): return v
    case .int(let v): return [v]
    default: throw wrongType(name, "INTS")
    }
  }

  /// A list attribute of sizes (kernel, strides, pads, …) as `Int`, each in `least...2³¹`.
  func sizes(_ name: String, least: Int) throws(ConfigError) -> [Int]? {
    guard let list = try intList(name) else { return nil }
    for v in list where v < Int64(least) || v > Int64(Int32.max) {
      throw ConfigError(
        path: "attribute.\(name)", message: "\(name) \(list)", expected: "values in \(least)...\(Int32.max)")
    }
    return list.map { Int($0) }
  }

  private func wrongType(_ name: String, _ type: String) -> ConfigError {
    ConfigError(path: "attribute.\(name)", message: "attribute \(name) has the wrong type", expected: type)
  }

  /// An error about this node's inputs: `message`, with what was expected.
  func mismatch(_ message: String, expected: String) -> ConfigError {
    ConfigError(message: "\(opType): \(message)", expected: expected)
  }
}
