import HybrixCore

extension ONNXImporter.Converter {
  typealias Value = ONNXImporter.Value

  /// Initializers become weights (floating point) or constants (integers, and batch-norm running
  /// statistics, so that parameter counts match PyTorch's). Float values are kept.
  mutating func addInitializers() throws(ConfigError) {
    for (i, t) in graph.initializers.enumerated() {
      do { try addInitializer(t) } catch { throw error.underPath("graph.initializer[\(i)](\(t.name))") }
    }
    for (i, t) in graph.sparseInitializers.enumerated() {
      do { try addInitializer(t) } catch {
        throw error.underPath("graph.sparse_initializer[\(i)](\(t.name))")
      }
    }
  }

  private mutating func addInitializer(_ t: ONNXTensor) throws(ConfigError) {
    guard !t.name.isEmpty else {
      throw ConfigError(path: "name", message: "initializer without a name", expected: "a tensor name")
    }
    guard values[t.name] == nil else {
      throw ConfigError(
        path: "name", message: "a second initializer named '\(t.name)'", expected: "unique names")
    }
    var dims: [Int] = []
    for (j, d) in t.dims.enumerated() {
      guard d >= 0 else {
        throw ConfigError(path: "dims[\(j)]", message: "dimension \(d)", expected: "a size ≥ 0")
      }
      dims.append(Int(d))
    }
    let shape: TensorShape
    do { shape = try TensorShape(dims, allowZero: true) } catch { throw error.underPath("dims") }
    let floating = ONNXDataType.isFloatingPoint(t.dataType)
    let role: TensorRole = floating && !statistics.contains(t.name) ? .weight : .constant
    let id = builder.tensor(t.name, shape, role: role)
    switch t.floatValues(count: shape.elementCount) {
    case .failure(let e):
      throw ConfigError(path: "data", message: "\(e.found) for shape \(dims)", expected: e.expected)
    case .success(let floats): if let floats { builder.weightValues[id] = floats }
    }
    var ints: [Int]? = nil
    if shape.elementCount <= Self.maxFoldedElements {
      switch t.intValues(count: shape.elementCount) {
      case .failure(let e):
        throw ConfigError(path: "data", message: "\(e.found) for shape \(dims)", expected: e.expected)
      case .success(let v): ints = v
      }
    }
    if t.isExternal && shape.elementCount > 0 { externalWeights += 1 }
    values[t.name] = Value(id: id, ints: ints, elemType: t.dataType)
  }

  /// Graph inputs that are not initializers, with every symbolic dimension bound.
  mutating func addInputs() throws(ConfigError) {
    let initializers = Set(graph.initializers.map(\.name) + graph.sparseInitializers.map(\.name))
    for (i, info) in graph.inputs.enumerated() where !initializers.contains(info.name) {
      let path = "graph.input[\(i)](\(info.name))"
      guard !info.name.isEmpty, values[info.name] == nil else {
        throw ConfigError(
          path: path,
          message: info.name.isEmpty ? "input without a name" : "a second input named '\(info.name)'",
          expected: "unique tensor names")
      }
      guard info.typeKind == "tensor" || info.typeKind == "sparse_tensor" else {
        values[info.name] = Value(unknown: "graph input '\(info.name)' is a \(info.typeKind), not a tensor")
        continue
      }
      guard let shape = info.shape else {
        values[info.name] = Value(
          unknown: "graph input '\(info.name)' declares no shape", elemType: info.elemType)
        continue
      }
      var dims: [Int] = []
      for (j, d) in shape.enumerated() {
        dims.append(try inputDimension(d, path: "\(path).shape[\(j)]"))
      }
      do { _ = try TensorShape(dims) } catch { throw error.underPath("\(path).shape") }
      let id = try builder.input(info.name, dims)
      values[info.name] = Value(id: id, elemType: info.elemType)
    }
  }

  private mutating func inputDimension(_ d: ONNXDimension, path: String) throws(ConfigError) -> Int {
    switch d {
    case .value(let v):
      guard v >= 1 else {
        throw ConfigError(
          path: path, message: "dimension \(v)", expected: "a positive size",
          hint: "Hybrix needs every input dimension ≥ 1; re-export the model with real sizes")
      }
      return Int(v)
    case .param(let name):
      guard let v = bindings[name] else {
        throw ConfigError(
          path: path, message: "symbolic dimension '\(name)' has no value",
          expected: "a size for \(name)", hint: "pass --dim \(name)=VALUE")
      }
      usedBindings.insert(name)
      return v
    case .unknown:
      throw ConfigError(
        path: path, message: "dimension with neither a size nor a name",
        expected: "a size or a symbolic name",
        hint: "re-export the model with fixed input sizes, or name the dimension and pass --dim NAME=VALUE")
    }
  }

  /// A name for node `i` in paths: its name, else its first output.
  func displayName(_ i: Int) -> String {
    let node = graph.nodes[i]
    return !node.name.isEmpty ? node.name : node.outputs.first { !$0.isEmpty } ?? "\(node.opType)_\(i)"
  }

  /// Node indices in dependency order, keeping the file's order where it is already valid.
  /// Unknown input names, values produced twice and cycles are errors.
  func sortedNodes() throws(ConfigError) -> [Int] {
    let nodes = graph.nodes
    var producedBy: [String: Int] = [:]
    for (i, node) in nodes.enumerated() {
      for (k, out) in node.outputs.enumerated() where !out.isEmpty {
        let path = "graph.node[\(i)](\(displayName(i))).output[\(k)]"
        if values[out] != nil {
          throw ConfigError(
            path: path, message: "output '\(out)' redefines a graph input or initializer",
            expected: "each tensor defined once")
        }
        if let j = producedBy[out] {
          throw ConfigError(
            path: path, message: "'\(out)' is also an output of graph.node[\(j)](\(displayName(j)))",
            expected: "each tensor defined once")
        }
        producedBy[out] = i
      }
    }
    var dependencies: [[Int]] = []
    for (i, node) in nodes.enumerated() {
      var deps = Set<Int>()
      for (k, input) in node.inputs.enumerated() where !input.isEmpty {
        if let p = producedBy[input] {
          deps.insert(p)
          continue
        }
        guard values[input] != nil else {
          let candidates = Array(values.keys) + Array(producedBy.keys)
          let suggestion = NearestName.suggestion(for: input, among: candidates)
          throw ConfigError(
            path: "graph.node[\(i)](\(displayName(i))).input[\(k)]",
            message: "input '\(input)' is not a graph input, an initializer or a node output",
            expected: "the name of a defined tensor",
            hint: suggestion.map { "did you mean '\($0)'?" } ?? "check the tensor names in the file")
        }
      }
      dependencies.append(deps.sorted())
    }
    return try depthFirstOrder(dependencies)
  }

  /// Post-order of an iterative depth-first search from each node in file order; a back edge is
  /// a cycle, reported with the nodes on it.
  private func depthFirstOrder(_ dependencies: [[Int]]) throws(ConfigError) -> [Int] {
    var state = [UInt8](repeating: 0, count: dependencies.count)  // 0 new, 1 on stack, 2 done
    var order: [Int] = []
    order.reserveCapacity(dependencies.count)
    for root in dependencies.indices where state[root] == 0 {
      var stack: [(node: Int, next: Int)] = [(root, 0)]
      state[root] = 1
      while let top = stack.last {
        let deps = dependencies[top.node]
        guard top.next < deps.count else {
          state[top.node] = 2
          order.append(top.node)
          stack.removeLast()
          continue
        }
        stack[stack.count - 1].next += 1
        let d = deps[top.next]
        if state[d] == 1 {
          let start = stack.firstIndex { $0.node == d } ?? 0
          let cycle = stack[start...].map { displayName($0.node) } + [displayName(d)]
          throw ConfigError(
            path: "graph.node[\(d)](\(displayName(d)))",
            message: "the graph has a cycle: \(cycle.reversed().joined(separator: " → "))",
            expected: "an acyclic graph", hint: "each node's inputs must not depend on its outputs")
        }
        if state[d] == 0 {
          state[d] = 1
          stack.append((d, 0))
        }
      }
    }
    return order
  }

  /// Marks the graph outputs; outputs of unknown shape are left out with a warning.
  mutating func setOutputs() throws(ConfigError) {
    var outs: [TensorID] = []
    var missing: [String] = []
    for (i, info) in graph.outputs.enumerated() {
      guard let value = values[info.name] else {
        throw ConfigError(
          path: "graph.output[\(i)](\(info.name))",
          message: "output '\(info.name)' is not produced by any node", expected: "a defined tensor")
      }
      if let id = value.id {
        if !outs.contains(id) { outs.append(id) }
      } else {
        missing.append(info.name)
      }
    }
    builder.outputs = outs
    if !missing.isEmpty { missingOutputs = missing }
  }
}
