import HybrixCore

extension ONNXImporter.Converter {
  /// Identity, Dropout, Constant, Shape, Size, Unsqueeze, Squeeze, ConstantOfShape, Expand, Tile,
  /// Range and Pad.
  mutating func convertShapeOperator(_ n: NodeContext) throws(ConfigError) -> Bool {
    switch n.opType {
    case "Identity", "Dropout":
      let x = try tensor(n, 0, "input")
      if builder.isStatic(x), let value = input(n, 0), let out = outputName(n, 0) {
        values[out] = value  // a view of a weight or constant stays that tensor
      } else {
        setOutput(n, 0, try builder.reshape(n.name, x, to: dims(x), function: n.opType.lowercased()))
      }
      if n.opType == "Dropout", outputName(n, 1) != nil {
        let mask = try builder.move("\(n.name).mask", "dropout-mask", [x], outDims: dims(x))
        setOutput(n, 1, mask, elemType: ONNXDataType.bool)
      }
    case "Constant": try convertConstant(n)
    case "Shape":
      let d = dims(try tensor(n, 0, "data"))
      let rank = d.count
      var start = try int(n, "start", default: 0)
      var end = try int(n, "end", default: rank)
      if start < 0 { start += rank }
      if end < 0 { end += rank }
      start = min(max(start, 0), rank)
      end = min(max(end, start), rank)
      let picked = Array(d[start..<end])
      try setConstant(n, 0, dims: [picked.count], ints: picked, elemType: ONNXDataType.int64)
    case "Size":
      let count = builder.shape(try tensor(n, 0, "data")).elementCount
      try setConstant(n, 0, dims: [], ints: [count], elemType: ONNXDataType.int64)
    case "Unsqueeze", "Squeeze": return try convertSqueeze(n)
    case "ConstantOfShape":
      guard let shape = input(n, 0)?.ints else { return false }
      let value = try tensorAttribute(n, "value")
      var ints: [Int]? = nil
      if let count = Self.foldableCount(shape),
        case .success(let v?) = value?.intValues(count: 1) ?? .success([0]),
        let first = v.first
      {
        ints = [Int](repeating: first, count: count)
      }
      try setConstant(n, 0, dims: shape, ints: ints, elemType: value?.dataType ?? ONNXDataType.float)
    case "Expand":
      let x = try tensor(n, 0, "input")
      guard let shape = input(n, 1)?.ints else { return try declaredLayout(n, "expand") }
      let d = dims(x)
      let out = try GraphBuilder.broadcast(d, shape, n.name)
      let ints = Self.remap(input(n, 0)?.ints, inDims: d, outDims: out) { index in
        d.indices.map { j in d[j] == 1 ? 0 : index[out.count - d.count + j] }
      }
      try emit(n, "expand", [x], outDims: out, ints: ints, view: false)
    case "Tile":
      let x = try tensor(n, 0, "input")
      let d = dims(x)
      guard let repeats = input(n, 1)?.ints else { return try declaredLayout(n, "tile") }
      guard repeats.count == d.count, repeats.allSatisfy({ $0 >= 0 }) else {
        throw ConfigError(
          path: "input[1]", message: "repeats \(repeats) for input \(d)", expected: "\(d.count) counts ≥ 0")
      }
      var out: [Int] = []
      for (a, r) in repeats.enumerated() {
        out.append(try product([d[a], r], "the tiled size of \(n.name)"))
      }
      let ints = Self.remap(input(n, 0)?.ints, inDims: d, outDims: out) { index in
        d.indices.map { index[$0] % max(d[$0], 1) }
      }
      try emit(n, "tile", [x], outDims: out, ints: ints, view: false)
    case "Range": return try convertRange(n)
    case "Pad": return try convertPad(n)
    default: return false
    }
    return true
  }

  private mutating func convertConstant(_ n: NodeContext) throws(ConfigError) {
    var dims: [Int] = []
    var ints: [Int]? = nil
    var floats: [Float]? = nil
    var elemType = ONNXDataType.float
    let sparse = try tensorAttribute(n, "sparse_value")
    if let t = try tensorAttribute(n, "value") ?? sparse {
      for (j, v) in t.dims.enumerated() {
        guard v >= 0 else {
          throw ConfigError(
            path: "attribute.value.dims[\(j)]", message: "dimension \(v)", expected: "a size ≥ 0")
        }
        dims.append(Int(v))
      }
      let count = try product(dims, "the element count of \(n.name)")
      elemType = t.dataType
      switch t.floatValues(count: count) {
      case .failure(let e):
        throw ConfigError(
          path: "attribute.value", message: "\(e.found) for shape \(dims)", expected: e.expected)
      case .success(let v): floats = v
      }
      if count <= Self.maxFoldedElements, case .success(let v) = t.intValues(count: count) { ints = v }
    } else if let f = n.node.attribute("value_float") {
      floats = [f.f]
    } else if let f = n.node.attribute("value_floats") {
      (dims, floats) = ([f.floats.count], f.floats)
    } else if let i = n.node.attribute("value_int") {
      (ints, elemType) = ([Int(i.i)], ONNXDataType.int64)
    } else if let i = n.node.attribute("value_ints") {
      (dims, ints, elemType) = ([i.ints.count], i.ints.map { Int($0) }, ONNXDataType.int64)
    } else if n.node.attribute("value_string") != nil {
      elemType = 8
    } else if let s = n.node.attribute("value_strings") {
      (dims, elemType) = ([s.strings.count], 8)
    } else {
      throw ConfigError(message: "Constant without a value", expected: "a value attribute")
    }
    let id = try setConstant(n, 0, dims: dims, ints: ints, elemType: elemType)
    if let id, let floats { builder.weightValues[id] = floats }
  }

  /// Unsqueeze inserts axes of size 1, Squeeze removes them; axes come from the attribute
  /// (operator sets < 13) or the second input.
  private mutating func convertSqueeze(_ n: NodeContext) throws(ConfigError) -> Bool {
    let x = try tensor(n, 0, "data")
    let d = dims(x)
    let unsqueeze = n.opType == "Unsqueeze"
    if let v = input(n, 1), v.ints == nil { return try declaredLayout(n, n.opType.lowercased(), view: true) }
    let axes = try intsFromInputOrAttribute(n, 1, "axes")
    var out: [Int]
    if unsqueeze {
      guard let axes else {
        throw ConfigError(
          path: "attribute.axes", message: "Unsqueeze without axes", expected: "the axes to insert")
      }
      let rank = d.count + axes.count
      var inserted = Set<Int>()
      for a in axes {
        guard inserted.insert(try normalizeAxis(a, rank: rank, path: "axes")).inserted else {
          throw ConfigError(path: "axes", message: "axes \(axes)", expected: "distinct axes")
        }
      }
      var rest = d.makeIterator()
      out = (0..<rank).map { inserted.contains($0) ? 1 : rest.next() ?? 1 }
    } else if let axes {
      var removed = Set<Int>()
      for a in axes {
        let axis = try normalizeAxis(a, rank: d.count, path: "axes")
        guard d[axis] == 1 else {
          throw ConfigError(
            path: "axes", message: "axis \(a) of \(d) has size \(d[axis])", expected: "axes of size 1")
        }
        removed.insert(axis)
      }
      out = d.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    } else {
      out = d.filter { $0 != 1 }
    }
    try emit(n, n.opType.lowercased(), [x], outDims: out, ints: input(n, 0)?.ints, view: true)
    return true
  }

  /// Range of integer constants: `max(0, ⌈(limit − start) / delta⌉)` values.
  private mutating func convertRange(_ n: NodeContext) throws(ConfigError) -> Bool {
    guard let start = input(n, 0)?.ints?.first, let limit = input(n, 1)?.ints?.first,
      let delta = input(n, 2)?.ints?.first
    else { return try declaredLayout(n, "range") }
    guard delta != 0 else {
      throw ConfigError(path: "input[2]", message: "Range with delta 0", expected: "a non-zero delta")
    }
    let (distance, overflow) =
      delta > 0
      ? limit.subtractingReportingOverflow(start) : start.subtractingReportingOverflow(limit)
    guard !overflow else {
      throw ConfigError(message: "Range from \(start) to \(limit)", expected: "a length that fits in 64 bits")
    }
    let count = distance > 0 ? Int(UInt(distance - 1) / delta.magnitude) + 1 : 0
    var ints: [Int]? = nil
    if count <= Self.maxFoldedElements {
      ints = (0..<count).map { start &+ $0 &* delta }
    }
    try emit(n, "range", [], outDims: [count], ints: ints, view: false)
    return true
  }

  /// Pad by `pads` (begin values then end values, for all axes or for `axes`); negative pads crop.
  private mutating func convertPad(_ n: NodeContext) throws(ConfigError) -> Bool {
    let x = try tensor(n, 0, "data")
    let d = dims(x)
    if let v = input(n, 1), v.ints == nil { return try declaredLayout(n, "pad") }
    if let v = input(n, 3), v.ints == nil { return try declaredLayout(n, "pad") }
    let legacy = try ints(n, "paddings")
    guard let pads = try intsFromInputOrAttribute(n, 1, "pads") ?? legacy else {
      throw ConfigError(path: "input[1]", message: "Pad without pads", expected: "the pads")
    }
    var axes = Array(d.indices)
    if let given = input(n, 3)?.ints {
      axes = []
      for a in given { axes.append(try normalizeAxis(a, rank: d.count, path: "input[3]")) }
    }
    guard pads.count == 2 * axes.count else {
      throw ConfigError(
        path: "input[1]", message: "pads \(pads) for input \(d)", expected: "\(2 * axes.count) values")
    }
    var out = d
    for (i, a) in axes.enumerated() {
      out[a] = try Checked.sum([out[a], pads[i], pads[axes.count + i]], "the padded size of \(n.name)")
      guard out[a] >= 0 else {
        throw ConfigError(
          path: "input[1]", message: "pads \(pads) crop axis \(a) of \(d) below 0", expected: "a size ≥ 0")
      }
    }
    try emit(n, "pad", [x], outDims: out, ints: nil, view: false)
    return true
  }
}
