import HybrixCore
import HybrixNumerics
import struct Workloads.ONNXProgram

/// Runs an ONNX model with its weights, node by node, with exact ONNX operator semantics.
///
/// Values are kept by name: Float32 tensors for data and Int64 tensors for shape arithmetic
/// (Shape → Gather → Concat → Reshape chains) and indices. FLOAT and DOUBLE weights are computed
/// in Float32. Operators with a static weight (Conv, and Gemm/MatMul whose B input is an
/// initializer) are *product operators*: their matrix products can each run on a
/// ``ProductArithmetic`` (``ProductNetwork``), under the operator names ``ONNXImporter`` gives
/// (node name, else first output), so a mapping of the imported ``Graph`` applies directly.
///
/// Loading checks that every operator is supported, that every input name is defined and that
/// the graph is acyclic; running checks every shape. Problems are ``ConfigError``s naming the
/// file and `graph.node[i](name)`.
public struct ONNXExecutor: Sendable {
  /// The model being run.
  public let program: ONNXProgram
  /// Node indices in dependency order.
  let order: [Int]
  /// Initializer values by name.
  let constants: [String: ONNXValue]
  /// For each position in ``order``, the values no later node reads (graph outputs excepted):
  /// dropped once that node has run, so a pass holds only the live activations.
  let lastUses: [[String]]
  /// Product operators by name, and their names in graph order.
  var products: [String: ProductSlot]
  public internal(set) var productOperatorNames: [String]
  /// The largest tensor, in elements, that running the graph may create; a larger one (from a
  /// hostile shape, pads or repeat count) is a ``ConfigError``. Default 2²⁸ (1 GiB of Float32).
  public var maxElements = 1 << 28
  /// The positions of ``order`` this executor runs: all of them, or one side of a split
  /// (``split(before:)``).
  var span: Range<Int>
  /// A suffix's input: the values live at the split, packed side by side per sample.
  var cutInputs: [CutValue] = []
  /// A prefix's output: the values live at the split, packed side by side per sample.
  var cutOutputs: [CutValue] = []

  /// Reads and prepares the ONNX model at `path`.
  public static func load(path: String) throws(ConfigError) -> ONNXExecutor {
    try ONNXExecutor(program: try ONNXProgram.load(path: path))
  }

  /// Prepares `program`: decodes initializers, checks operators and orders the nodes.
  public init(program: ONNXProgram) throws(ConfigError) {
    self.program = program
    do throws(ConfigError) {
      var constants: [String: ONNXValue] = [:]
      for t in program.initializers {
        do { constants[t.name] = try ONNXValue(t) } catch {
          throw error.underPath("graph.initializer(\(t.name))")
        }
      }
      self.constants = constants
      for node in program.nodes {
        guard node.domain.isEmpty, Self.supportedOperators.contains(node.opType) else {
          let op = node.domain.isEmpty ? node.opType : "\(node.domain).\(node.opType)"
          throw ConfigError(
            path: node.path, message: "operator \(op) is not supported by the executor",
            expected: "an operator of the default ONNX domain the executor implements",
            hint: "supported: \(Self.supportedOperators.sorted().joined(separator: ", "))")
        }
        if let feature = Self.unsupportedFeature(node) {
          throw ConfigError(
            path: node.path, message: "\(feature) is not supported by the executor",
            expected: "an inference-mode \(node.opType)")
        }
      }
      order = try Self.dependencyOrder(program, defined: Set(constants.keys))
      lastUses = Self.lastUses(program, order: order)
      var products: [String: ProductSlot] = [:]
      var names: [String] = []
      for (position, i) in order.enumerated() {
        let node = program.nodes[i]
        if let slot = try Self.productSlot(node, constants: constants) {
          guard products[node.name] == nil else {
            throw ConfigError(
              path: node.path, message: "a second product operator named '\(node.name)'",
              expected: "unique node names", hint: "give each Conv/Gemm/MatMul node its own name")
          }
          products[node.name] = slot
          names.append(node.name)
        }
      }
      self.products = products
      productOperatorNames = names
      span = 0..<order.count
    } catch {
      throw error.inFile(program.fileName)
    }
  }

  /// Runs the graph on `feeds` (one value per graph input, by name) and returns every graph
  /// output by name.
  public mutating func run(_ feeds: [String: ONNXValue]) throws(ConfigError) -> [String: ONNXValue] {
    do throws(ConfigError) {
      var env = constants
      for (i, info) in program.inputs.enumerated() {
        let path = "graph.input[\(i)](\(info.name))"
        guard let value = feeds[info.name] else {
          throw ConfigError(
            path: path, message: "no value given for graph input '\(info.name)'",
            expected: "values for \(program.inputs.map(\.name))")
        }
        if let declared = info.shape {
          let found = value.shape
          let matches =
            declared.count == found.count && zip(declared, found).allSatisfy { $0 == nil || $0 == $1 }
          guard matches else {
            throw ConfigError(
              path: path, message: "input of shape \(found)",
              expected: "shape [\(declared.map { $0.map(String.init) ?? "?" }.joined(separator: ", "))]")
          }
        }
        env[info.name] = value
      }
      for (name, value) in feeds where env[name] == nil { env[name] = value }
      try runNodes(&env)
      var outputs: [String: ONNXValue] = [:]
      for (i, info) in program.outputs.enumerated() {
        guard let v = env[info.name] else {
          throw ConfigError(
            path: "graph.output[\(i)](\(info.name))", message: "output '\(info.name)' was not computed",
            expected: "a value produced by a node, an input or an initializer")
        }
        outputs[info.name] = v
      }
      return outputs
    } catch {
      throw error.inFile(program.fileName)
    }
  }

  /// Runs the nodes at the positions of ``span`` on `env`, dropping each value after its last
  /// reader. Errors name the node; the caller adds the file.
  mutating func runNodes(_ env: inout [String: ONNXValue]) throws(ConfigError) {
    for position in span {
      let i = order[position]
      let node = program.nodes[i]
      let n = ONNXNodeContext(
        node: node, opset: program.opset, inputs: node.inputs.map { $0.isEmpty ? nil : env[$0] },
        maxElements: maxElements)
      let results: [ONNXValue]
      do { results = try execute(n) } catch { throw error.underPath(node.path) }
      for (k, out) in node.outputs.enumerated() where !out.isEmpty {
        guard k < results.count else {
          throw ConfigError(
            path: "\(node.path).output[\(k)]",
            message: "\(node.opType) output \(k) ('\(out)') is not computed by the executor",
            expected: "at most \(results.count) outputs")
        }
        env[out] = results[k]
      }
      for name in lastUses[position] { env[name] = nil }
    }
  }

  /// For each position of `order`, the names whose last reader runs there (not graph outputs).
  static func lastUses(_ program: ONNXProgram, order: [Int]) -> [[String]] {
    var last: [String: Int] = [:]
    for (position, i) in order.enumerated() {
      for input in program.nodes[i].inputs where !input.isEmpty { last[input] = position }
    }
    let outputs = Set(program.outputs.map(\.name))
    var drops = [[String]](repeating: [], count: order.count)
    for (name, position) in last.sorted(by: { $0.key < $1.key }) where !outputs.contains(name) {
      drops[position].append(name)
    }
    return drops
  }

  /// Node indices so that each node comes after the producers of its inputs, keeping the file
  /// order where it is valid (Kahn's algorithm, smallest index first).
  static func dependencyOrder(_ program: ONNXProgram, defined: Set<String>) throws(ConfigError) -> [Int] {
    var available = defined.union(program.inputs.map(\.name))
    var producer: [String: Int] = [:]
    for node in program.nodes {
      for out in node.outputs where !out.isEmpty {
        guard producer[out] == nil, !available.contains(out) else {
          throw ConfigError(
            path: node.path, message: "'\(out)' is defined twice", expected: "each value defined once")
        }
        producer[out] = node.index
      }
    }
    var waiting = [Int](repeating: 0, count: program.nodes.count)
    var consumers: [String: [Int]] = [:]
    for node in program.nodes {
      for (k, input) in node.inputs.enumerated() where !input.isEmpty && !available.contains(input) {
        guard producer[input] != nil else {
          let hint = NearestName.suggestion(for: input, among: Array(available) + Array(producer.keys))
          throw ConfigError(
            path: "\(node.path).input[\(k)]", message: "input '\(input)' is not defined",
            expected: "a graph input, an initializer or a node output",
            hint: hint.map { "did you mean '\($0)'?" })
        }
        waiting[node.index] += 1
        consumers[input, default: []].append(node.index)
      }
    }
    var ready = Set(program.nodes.indices.filter { waiting[$0] == 0 })
    var order: [Int] = []
    while let next = ready.min() {
      ready.remove(next)
      order.append(next)
      for out in program.nodes[next].outputs where !out.isEmpty && !available.contains(out) {
        available.insert(out)
        for c in consumers[out] ?? [] {
          waiting[c] -= 1
          if waiting[c] == 0 { ready.insert(c) }
        }
      }
    }
    guard order.count == program.nodes.count else {
      let stuck = program.nodes.indices.filter { waiting[$0] > 0 }.prefix(5).map { program.nodes[$0].path }
      throw ConfigError(
        message: "the graph has a cycle through \(stuck.joined(separator: ", "))", expected: "an acyclic graph")
    }
    return order
  }
}
