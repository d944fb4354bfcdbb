import HybrixCore

extension ONNXImporter.Converter {
  /// Split into pieces given by the `split` attribute (operator sets < 13), the second input
  /// (≥ 13), `num_outputs` (≥ 18) or the number of outputs.
  mutating func convertSplit(_ n: NodeContext) throws(ConfigError) -> Bool {
    let x = try tensor(n, 0, "input")
    let d = dims(x)
    let axis = try self.axis(n, default: 0, rank: d.count)
    let count = n.node.outputs.count
    if input(n, 1) != nil, input(n, 1)?.ints == nil { return false }
    var sizes = try intsFromInputOrAttribute(n, 1, "split") ?? []
    if sizes.isEmpty {
      let parts = try int(n, "num_outputs", default: count)
      guard parts >= 1, parts == count else {
        throw ConfigError(
          path: "attribute.num_outputs", message: "\(parts) parts for \(count) outputs",
          expected: "as many parts as outputs")
      }
      if d[axis] % parts == 0 {
        sizes = [Int](repeating: d[axis] / parts, count: parts)
      } else if opset >= 18 {
        let chunk = (d[axis] - 1) / parts + 1
        sizes = [Int](repeating: chunk, count: parts - 1) + [d[axis] - chunk * (parts - 1)]
      } else {
        throw ConfigError(
          message: "axis \(axis) of size \(d[axis]) does not split into \(parts) equal parts",
          expected: "a size divisible by the number of outputs")
      }
    }
    let total = try Checked.sum(sizes, "the split sizes of \(n.name)")
    guard sizes.count == count, sizes.allSatisfy({ $0 >= 0 }), total == d[axis] else {
      throw ConfigError(
        message: "split sizes \(sizes) of axis \(axis) (size \(d[axis])) for \(count) outputs",
        expected: "one size ≥ 0 per output, adding up to the axis size")
    }
    if allConstant(n) {
      var offset = 0
      for (k, size) in sizes.enumerated() {
        var out = d
        out[axis] = size
        let start = offset
        let ints = Self.remap(input(n, 0)?.ints, inDims: d, outDims: out) { index in
          var src = index
          src[axis] += start
          return src
        }
        try setConstant(n, k, dims: out, ints: ints)
        offset += size
      }
      return true
    }
    for (k, y) in try builder.split(n.name, x, axis: axis, sizes: sizes).enumerated() {
      setOutput(n, k, y)
    }
    return true
  }

  /// Slice with starts, ends, axes and steps from attributes (operator sets < 10) or inputs,
  /// clamped as ONNX specifies.
  mutating func convertSlice(_ n: NodeContext) throws(ConfigError) -> Bool {
    let x = try tensor(n, 0, "data")
    let d = dims(x)
    let starts: [Int]?
    let ends: [Int]?
    var axes: [Int]?
    var steps: [Int]?
    if opset < 10 {
      starts = try ints(n, "starts")
      ends = try ints(n, "ends")
      axes = try ints(n, "axes")
    } else {
      starts = input(n, 1)?.ints
      ends = input(n, 2)?.ints
      if let v = input(n, 3) {
        guard let a = v.ints else { return try declaredLayout(n, "slice") }
        axes = a
      }
      if let v = input(n, 4) {
        guard let s = v.ints else { return try declaredLayout(n, "slice") }
        steps = s
      }
    }
    guard let starts, let ends else { return try declaredLayout(n, "slice") }
    let axisList = axes ?? Array(0..<starts.count)
    let stepList = steps ?? [Int](repeating: 1, count: starts.count)
    guard ends.count == starts.count, axisList.count == starts.count, stepList.count == starts.count
    else {
      throw ConfigError(
        message: "starts \(starts), ends \(ends), axes \(axisList), steps \(stepList)",
        expected: "lists of equal length")
    }
    var out = d
    var begin = [Int](repeating: 0, count: d.count)
    var step = [Int](repeating: 1, count: d.count)
    var seen = Set<Int>()
    for i in starts.indices {
      let a = try normalizeAxis(axisList[i], rank: d.count, path: "axes")
      guard seen.insert(a).inserted, stepList[i] != 0 else {
        throw ConfigError(
          path: "axes", message: "axes \(axisList), steps \(stepList)",
          expected: "distinct axes and non-zero steps")
      }
      let dim = d[a]
      let st = stepList[i]
      var s = starts[i] < 0 ? starts[i] + dim : starts[i]
      var e = ends[i] < 0 ? ends[i] + dim : ends[i]
      let length: Int
      if st > 0 {
        s = min(max(s, 0), dim)
        e = min(max(e, 0), dim)
        length = e > s ? (e - s - 1) / st + 1 : 0
      } else {
        s = min(max(s, 0), dim - 1)
        e = min(max(e, -1), dim - 1)
        length = s > e ? Int(UInt(s - e - 1) / st.magnitude) + 1 : 0
      }
      (out[a], begin[a], step[a]) = (length, s, st)
    }
    let ints = Self.remap(input(n, 0)?.ints, inDims: d, outDims: out) { index in
      index.indices.map { begin[$0] &+ index[$0] &* step[$0] }
    }
    try emit(n, "slice", [x], outDims: out, ints: ints, view: false)
    return true
  }

  /// Gather: a lookup in a weight table is an embedding; any other gather is a data move.
  /// GatherElements gives the indices' shape.
  mutating func convertGather(_ n: NodeContext) throws(ConfigError) {
    let data = try tensor(n, 0, "data")
    let indices = try tensor(n, 1, "indices")
    let dd = dims(data)
    let id = dims(indices)
    let axis = try self.axis(n, default: 0, rank: dd.count)
    if n.opType == "GatherElements" {
      guard id.count == dd.count else {
        throw ConfigError(message: "data \(dd) and indices \(id)", expected: "inputs of equal rank")
      }
      try emit(n, "gather-elements", [data, indices], outDims: id, ints: nil, view: false)
      return
    }
    let out = Array(dd[..<axis]) + id + Array(dd[(axis + 1)...])
    if allConstant(n) {
      var ints: [Int]? = nil
      if let table = input(n, 0)?.ints, let picks = input(n, 1)?.ints,
        picks.count == (Self.foldableCount(id) ?? -1)
      {
        let pickStrides = Self.strides(id)
        ints = Self.remap(table, inDims: dd, outDims: out) { index in
          var offset = 0
          for j in id.indices { offset += index[axis + j] * pickStrides[j] }
          guard offset < picks.count else { return nil }
          let k = picks[offset] < 0 ? picks[offset] + dd[axis] : picks[offset]
          return Array(index[..<axis]) + [k] + Array(index[(axis + id.count)...])
        }
      }
      try setConstant(n, 0, dims: out, ints: ints)
    } else if builder.role(data) == .weight, dd.count == 2, axis == 0 {
      setOutput(n, 0, try builder.embedding(n.name, indices, table: data))
    } else {
      try emit(n, "gather", [data, indices], outDims: out, ints: nil, view: false)
    }
  }
}
