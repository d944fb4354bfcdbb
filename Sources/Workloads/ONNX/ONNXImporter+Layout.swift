import HybrixCore

extension ONNXImporter.Converter {
  /// Data-movement and shape operators; `false` when an operand that decides the output shape is
  /// not a known constant and the file declares no shape either.
  mutating func convertLayout(_ n: NodeContext) throws(ConfigError) -> Bool {
    switch n.opType {
    case "Flatten": try convertFlatten(n)
    case "Reshape": return try convertReshape(n)
    case "Transpose": try convertTranspose(n)
    case "Concat": try convertConcat(n)
    case "Split": return try convertSplit(n)
    case "Slice": return try convertSlice(n)
    case "Gather", "GatherElements": try convertGather(n)
    default: return try convertShapeOperator(n)
    }
    return true
  }

  /// Output 0 as a constant when every input is constant, else as a view (no traffic) or a move.
  mutating func emit(
    _ n: NodeContext, _ function: String, _ inputs: [TensorID], outDims: [Int], ints: [Int]?,
    view: Bool, elemType: Int32? = nil
  ) throws(ConfigError) {
    if allConstant(n) {
      try setConstant(n, 0, dims: outDims, ints: ints, elemType: elemType)
      return
    }
    let y =
      view
      ? try builder.reshape(n.name, inputs[0], to: outDims, function: function)
      : try builder.move(n.name, function, inputs, outDims: outDims)
    setOutput(n, 0, y, elemType: elemType)
  }

  /// Output 0 with the shape the file declares, for operators whose shape operands are computed
  /// at run time.
  mutating func declaredLayout(_ n: NodeContext, _ function: String, view: Bool = false)
    throws(ConfigError) -> Bool
  {
    guard n.node.outputs.filter({ !$0.isEmpty }).count == 1, let out = outputName(n, 0),
      let decl = declaredDims(out)
    else { return false }
    try emit(n, function, [try tensor(n, 0, "data")], outDims: decl, ints: nil, view: view)
    return true
  }

  private mutating func convertFlatten(_ n: NodeContext) throws(ConfigError) {
    let x = try tensor(n, 0, "input")
    let d = dims(x)
    var a = try int(n, "axis", default: 1)
    guard a >= -d.count, a <= d.count else {
      throw ConfigError(
        path: "attribute.axis", message: "axis \(a) for rank \(d.count)",
        expected: "an axis in -\(d.count)...\(d.count)")
    }
    if a < 0 { a += d.count }
    let out = [
      try product(Array(d[..<a]), "rows of \(n.name)"), try product(Array(d[a...]), "columns of \(n.name)"),
    ]
    try emit(n, "flatten", [x], outDims: out, ints: input(n, 0)?.ints, view: true)
  }

  private mutating func convertReshape(_ n: NodeContext) throws(ConfigError) -> Bool {
    let x = try tensor(n, 0, "data")
    let d = dims(x)
    guard let target = try intsFromInputOrAttribute(n, 1, "shape") else {
      return try declaredLayout(n, "reshape", view: true)
    }
    let allowZero = try int(n, "allowzero", default: 0) != 0
    var out: [Int] = []
    var inferred: Int? = nil
    for (i, t) in target.enumerated() {
      if t == 0 && !allowZero {
        guard i < d.count else {
          throw ConfigError(
            path: "input[1]",
            message: "shape \(target) copies dimension \(i) of the rank-\(d.count) input \(d)",
            expected: "0 only at positions the input has")
        }
        out.append(d[i])
      } else if t == -1 && inferred == nil {
        inferred = i
        out.append(1)
      } else if t < 0 {
        throw ConfigError(
          path: "input[1]", message: "shape \(target)", expected: "sizes ≥ 0 and at most one -1")
      } else {
        out.append(t)
      }
    }
    let total = builder.shape(x).elementCount
    if let i = inferred {
      let known = try product(out, "the element count of the shape of \(n.name)")
      guard known > 0, total % known == 0 else {
        throw ConfigError(
          path: "input[1]", message: "cannot reshape \(d) (\(total) elements) to \(target)",
          expected: "a shape whose known sizes divide the element count")
      }
      out[i] = total / known
    }
    try emit(n, "reshape", [x], outDims: out, ints: input(n, 0)?.ints, view: true)
    return true
  }

  private mutating func convertTranspose(_ n: NodeContext) throws(ConfigError) {
    let x = try tensor(n, 0, "data")
    let d = dims(x)
    let perm = try ints(n, "perm") ?? Array(d.indices.reversed())
    guard perm.sorted() == Array(d.indices) else {
      throw ConfigError(
        path: "attribute.perm", message: "perm \(perm) for rank \(d.count)",
        expected: "a permutation of 0..<\(d.count)")
    }
    let out = perm.map { d[$0] }
    if allConstant(n) {
      let ints = Self.remap(input(n, 0)?.ints, inDims: d, outDims: out) { index in
        var src = [Int](repeating: 0, count: perm.count)
        for (j, p) in perm.enumerated() { src[p] = index[j] }
        return src
      }
      try setConstant(n, 0, dims: out, ints: ints)
    } else {
      setOutput(n, 0, try builder.transpose(n.name, x, perm: perm))
    }
  }

  private mutating func convertConcat(_ n: NodeContext) throws(ConfigError) {
    let xs = presentTensors(n)
    guard let first = xs.first else {
      throw ConfigError(message: "Concat without inputs", expected: "at least one tensor")
    }
    let rank = dims(first).count
    guard let a = try int(n, "axis") ?? (opset < 4 ? 1 : nil) else {
      throw ConfigError(
        path: "attribute.axis", message: "Concat without an axis", expected: "an axis attribute")
    }
    let axis = try normalizeAxis(a, rank: rank, path: "attribute.axis")
    var out = dims(first)
    var sizes: [Int] = []
    for (k, x) in xs.enumerated() {
      var d = dims(x)
      guard d.count == rank else {
        throw ConfigError(
          path: "input[\(k)]", message: "input of shape \(d) after \(dims(first))",
          expected: "inputs of equal rank")
      }
      sizes.append(d[axis])
      d[axis] = out[axis]
      guard d == out else {
        throw ConfigError(
          path: "input[\(k)]", message: "input \(dims(x)) differs from \(dims(first)) off axis \(axis)",
          expected: "equal sizes on every other axis")
      }
    }
    out[axis] = try Checked.sum(sizes, "the concatenated size of \(n.name)")
    if allConstant(n) {
      let parts = n.node.inputs.filter { !$0.isEmpty }.compactMap { values[$0] }
      var ints: [Int]? = nil
      if parts.count == xs.count, parts.allSatisfy({ $0.ints != nil }) {
        ints = Self.concatenate(zip(xs, parts).map { (dims($0.0), $0.1.ints ?? []) }, axis: axis)
      }
      try setConstant(n, 0, dims: out, ints: ints)
    } else {
      setOutput(n, 0, try builder.concat(n.name, xs, axis: axis))
    }
  }
}
