import HybrixCore

extension ONNXImporter {
  /// What the converter knows about one ONNX value (a tensor name).
  struct Value: Sendable {
    /// The graph tensor, `nil` when the shape is unknown (a sequence, or an output of an operator
    /// whose shape could not be inferred or read from the file).
    var id: TensorID?
    /// The values of a small integer constant (a shape, axes, indices), row-major.
    var ints: [Int]?
    /// ONNX element type, 0 when unknown.
    var elemType: Int32
    /// Why the shape is unknown, for warnings.
    var unknownReason: String?

    init(id: TensorID, ints: [Int]? = nil, elemType: Int32) {
      self.id = id
      self.ints = ints
      self.elemType = elemType
    }

    init(unknown reason: String, elemType: Int32 = 0) {
      self.elemType = elemType
      self.unknownReason = reason
    }
  }

  /// One node being converted: its position in the file and its name in the graph.
  struct NodeContext {
    let node: ONNXNode
    let index: Int
    /// Operator name in the graph: the node name, or its first output when unnamed.
    let name: String
    var path: String { "graph.node[\(index)](\(name))" }
    var opType: String { node.opType }
  }

  /// Converts a decoded model into a ``Graph`` through ``GraphBuilder``.
  struct Converter {
    /// Integer constants up to this many elements are evaluated (shape computations).
    static let maxFoldedElements = 1 << 16

    let model: ONNXModel
    let graph: ONNXGraph
    let bindings: [String: Int]
    /// Version of the default ONNX operator set.
    let opset: Int
    var builder: GraphBuilder
    var values: [String: Value] = [:]
    /// Declared types of values (`value_info` and graph outputs).
    var declared: [String: ONNXValueInfo] = [:]
    /// Nodes reading each value, by node index.
    var consumers: [String: [Int]] = [:]
    /// Node writing each value.
    var producer: [String: Int] = [:]
    /// Initializers read as BatchNormalization running statistics (constants, not parameters).
    var statistics: Set<String> = []
    var usedBindings: Set<String> = []
    /// Operator types kept as `other`, by kind of reason.
    var unsupported: [String: Int] = [:]
    var uninferred: [String: Int] = [:]
    var shapeless: [String: Int] = [:]
    var mismatches: [String] = []
    var externalWeights = 0
    /// Graph outputs whose shape stayed unknown.
    var missingOutputs: [String] = []

    /// - Parameter fallbackName: the graph's name when the file gives none (the file name).
    init(model: ONNXModel, bindings: [String: Int], fallbackName: String = "onnx") {
      self.model = model
      self.graph = model.graph
      self.bindings = bindings
      let version = model.defaultOpset ?? Int64(ONNXImporter.defaultOpset)
      self.opset = Int(clamping: version)
      let name = model.graph.name.isEmpty ? fallbackName : model.graph.name
      self.builder = GraphBuilder(name: name)
    }

    mutating func run() throws(ConfigError) -> ONNXImport {
      indexGraph()
      try addInitializers()
      try addInputs()
      for index in try sortedNodes() { try convert(index) }
      try setOutputs()
      let result = try builder.finish()
      _ = try Checked.sum(
        result.tensors.filter { $0.role == .weight }.map(\.shape.elementCount),
        "the parameter count of \(result.name)")
      return ONNXImport(graph: result, warnings: warnings())
    }

    private mutating func indexGraph() {
      for info in graph.valueInfo where !info.name.isEmpty { declared[info.name] = info }
      for info in graph.outputs where !info.name.isEmpty { declared[info.name] = info }
      for (i, node) in graph.nodes.enumerated() {
        for name in node.inputs where !name.isEmpty { consumers[name, default: []].append(i) }
        for name in node.outputs where !name.isEmpty && producer[name] == nil { producer[name] = i }
        if node.opType == "BatchNormalization", node.isDefaultDomain {
          for k in 3..<5 where k < node.inputs.count { statistics.insert(node.inputs[k]) }
        }
      }
    }

    // MARK: converting one node

    private mutating func convert(_ index: Int) throws(ConfigError) {
      let node = graph.nodes[index]
      let name =
        !node.name.isEmpty ? node.name : node.outputs.first { !$0.isEmpty } ?? "\(node.opType)_\(index)"
      let n = NodeContext(node: node, index: index, name: name)
      do throws(ConfigError) {
        var counts: [Int] = []
        var allKnown = true
        for (k, input) in node.inputs.enumerated() where !input.isEmpty {
          guard let value = values[input] else {
            throw ConfigError(path: "input[\(k)]", message: "tensor '\(input)' is not defined")
          }
          if let id = value.id { counts.append(builder.shape(id).elementCount) } else { allKnown = false }
        }
        _ = try Checked.sum(counts, "the total size of the inputs of \(name)")
        guard Self.isSupported(node), allKnown else {
          try keepAsOther(n, supported: Self.isSupported(node))
          return
        }
        if try !convertSupported(n) { try keepAsOther(n, supported: true) }
        // Outputs the converter does not model (e.g. the saved statistics of an old
        // BatchNormalization) stay unknown.
        var unmodelled = false
        for out in node.outputs where !out.isEmpty && values[out] == nil {
          values[out] = Value(unknown: "output '\(out)' of \(n.path) is not modelled")
          unmodelled = true
        }
        if unmodelled { shapeless[node.opType, default: 0] += 1 }
        checkDeclaredShapes(n)
      } catch {
        throw relocate(error, n)
      }
    }

    /// Places an error raised while converting `n` under the node's path: builder errors are
    /// located at the operator name, handler errors relative to the node.
    private func relocate(_ error: ConfigError, _ n: NodeContext) -> ConfigError {
      var copy = error
      if let p = error.path, p == n.name || p.hasPrefix(n.name + ".") || p.hasPrefix(n.name + ":") {
        copy.path = n.path + String(p.dropFirst(n.name.count))
        return copy
      }
      return error.underPath(n.path)
    }

    /// Keeps a node as an `other` operator with the output shapes the file declares. Outputs
    /// without a declared shape become unknown values.
    mutating func keepAsOther(_ n: NodeContext, supported: Bool) throws(ConfigError) {
      let label = n.node.isDefaultDomain ? n.opType : "\(n.node.domain).\(n.opType)"
      let inputs = n.node.inputs.compactMap { values[$0]?.id }
      var shapes: [[Int]] = []
      var slots: [Int] = []
      var missing = false
      for (k, out) in n.node.outputs.enumerated() where !out.isEmpty {
        if let dims = declaredDims(out) ?? sameShapeOutput(n, k) {
          shapes.append(dims)
          slots.append(k)
        } else {
          missing = true
          values[out] = Value(
            unknown: "output of \(label) node \(n.path) with no declared shape",
            elemType: declared[out]?.elemType ?? 0)
        }
      }
      var sizes: [Int] = []
      for dims in shapes {
        sizes.append(try Checked.product(dims, "the element count of an output of \(n.name)"))
      }
      _ = try Checked.sum(sizes, "the total size of the outputs of \(n.name)")
      let ids = try builder.other(n.name, opType: label, inputs, outputs: shapes)
      for (j, k) in slots.enumerated() {
        let out = n.node.outputs[k]
        values[out] = Value(id: ids[j], elemType: declared[out]?.elemType ?? 0)
      }
      if supported { uninferred[label, default: 0] += 1 } else { unsupported[label, default: 0] += 1 }
      if missing { shapeless[label, default: 0] += 1 }
    }

    /// Operators Hybrix does not model whose first output has the first input's shape.
    static let shapePreserving: Set<String> = [
      "RandomUniformLike", "RandomNormalLike", "Bernoulli", "CumSum", "LRN", "ReverseSequence",
      "ScatterElements", "ScatterND", "Scatter", "Erf", "BitwiseNot", "Dropout",
    ]

    /// The first input's shape for output 0 of a shape-preserving operator.
    private func sameShapeOutput(_ n: NodeContext, _ k: Int) -> [Int]? {
      guard k == 0, n.node.isDefaultDomain, Self.shapePreserving.contains(n.opType),
        let first = n.node.inputs.first, let id = values[first]?.id
      else { return nil }
      return builder.dims(id)
    }

    /// A fully known declared shape of `name` (symbolic dimensions bound), or `nil`.
    func declaredDims(_ name: String) -> [Int]? {
      guard let info = declared[name], info.typeKind == "tensor", let shape = info.shape else {
        return nil
      }
      var dims: [Int] = []
      for d in shape {
        switch d {
        case .value(let v) where v >= 0: dims.append(Int(v))
        case .param(let p):
          guard let b = bindings[p] else { return nil }
          dims.append(b)
        default: return nil
        }
      }
      return dims
    }

    /// Warns when an inferred output shape differs from the shape the file declares.
    private mutating func checkDeclaredShapes(_ n: NodeContext) {
      for out in n.node.outputs where !out.isEmpty {
        guard let id = values[out]?.id, let want = declaredDims(out) else { continue }
        let got = builder.dims(id)
        if got != want {
          mismatches.append("\(n.path): inferred shape \(got) for '\(out)', the file declares \(want)")
        }
      }
    }
  }
}
