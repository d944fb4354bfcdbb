import HybrixCore

extension ONNXImporter.Converter {
  private static let booleanResults: Set<String> = [
    "Equal", "Greater", "GreaterOrEqual", "Less", "LessOrEqual", "And", "Or", "Xor", "Not",
    "IsNaN", "IsInf",
  ]

  /// Pointwise operators with numpy broadcasting. Nodes whose inputs are all constants are
  /// folded (their integer values computed where the function is exact on integers).
  mutating func convertElementwise(_ n: NodeContext) throws(ConfigError) {
    let t = n.opType
    var xs = presentTensors(n)
    guard !xs.isEmpty else {
      throw ConfigError(message: "\(t) without inputs", expected: "at least one input tensor")
    }
    if t == "CastLike" { xs = [xs[0]] }
    let elemType: Int32
    if Self.booleanResults.contains(t) {
      elemType = ONNXDataType.bool
    } else if t == "Cast" {
      elemType = Int32(truncatingIfNeeded: try int(n, "to", default: 0))
    } else if t == "CastLike" {
      elemType = input(n, 1)?.elemType ?? 0
    } else {
      elemType = input(n, 0)?.elemType ?? 0
    }
    var out = dims(xs[0])
    var aligned: (index: Int, dims: [Int])? = nil
    for (k, x) in xs.enumerated().dropFirst() {
      do {
        out = try GraphBuilder.broadcast(out, dims(x), n.name)
      } catch {
        // Operator sets before 7: `broadcast = 1` aligns the second input at `axis`; PRelu's
        // slope holds one value per channel (axis 1).
        let prelu = t == "PRelu"
        let legacy = try int(n, "broadcast", default: 0) != 0
        guard opset < 7, k == 1, prelu || legacy else { throw error }
        let b = dims(x)
        let a = try int(n, "axis", default: prelu ? 1 : out.count - b.count)
        guard a >= 0, a + b.count <= out.count, zip(b, out[a...]).allSatisfy({ $0 == $1 || $0 == 1 })
        else { throw error }
        aligned = (k, b + [Int](repeating: 1, count: out.count - a - b.count))
      }
    }
    if allConstant(n) {
      let operands = n.node.inputs.filter { !$0.isEmpty }.prefix(xs.count).compactMap { values[$0] }
      var folded: [Int]? = nil
      if aligned == nil, operands.count == xs.count, operands.allSatisfy({ $0.ints != nil }) {
        let fmod = try int(n, "fmod", default: 0) != 0
        let isFloat = ONNXDataType.isFloatingPoint(elemType)
        folded = Self.broadcastMap(
          zip(xs, operands).map { (dims($0.0), $0.1.ints ?? []) }, out: out,
          Self.integerFunction(t, isFloat: isFloat, fmod: fmod))
      }
      try setConstant(n, 0, dims: out, ints: folded, elemType: elemType)
      return
    }
    if let aligned {
      xs[aligned.index] = try builder.reshape(
        "\(n.name).align", xs[aligned.index], to: aligned.dims, function: "broadcast-align")
    }
    setOutput(n, 0, try builder.elementwise(n.name, t.lowercased(), xs), elemType: elemType)
  }

  /// ReduceMean, ReduceSum … and ArgMax/ArgMin, with axes from the attribute (old operator sets)
  /// or the second input (new ones); `false` when the axes input is not a known constant.
  mutating func convertReduction(_ n: NodeContext) throws(ConfigError) -> Bool {
    let x = try tensor(n, 0, "data")
    let xd = dims(x)
    let keep = try int(n, "keepdims", default: 1) != 0
    let arg = n.opType == "ArgMax" || n.opType == "ArgMin"
    var axes: [Int]
    if arg {
      axes = [try axis(n, default: 0, rank: xd.count)]
    } else {
      if let v = input(n, 1) {
        guard let known = v.ints else { return false }
        axes = known
      } else {
        axes = try ints(n, "axes") ?? []
      }
      if axes.isEmpty {
        if try int(n, "noop_with_empty_axes", default: 0) != 0 {
          setOutput(n, 0, try builder.reshape(n.name, x, to: xd, function: "identity"))
          return true
        }
        axes = Array(xd.indices)
      }
    }
    var reduced = Set<Int>()
    for a in axes {
      let axis = try normalizeAxis(a, rank: xd.count, path: "attribute.axes")
      guard reduced.insert(axis).inserted else {
        throw ConfigError(
          path: "attribute.axes", message: "axis \(a) repeated in \(axes)", expected: "distinct axes")
      }
    }
    var out: [Int] = []
    for (a, d) in xd.enumerated() {
      if !reduced.contains(a) { out.append(d) } else if keep { out.append(1) }
    }
    let elemType = arg ? ONNXDataType.int64 : input(n, 0)?.elemType
    if allConstant(n) {
      try setConstant(n, 0, dims: out, ints: nil, elemType: elemType)
    } else {
      setOutput(
        n, 0, try builder.reduction(n.name, n.opType.lowercased(), x, outDims: out),
        elemType: elemType)
    }
    return true
  }

  /// The function an elementwise operator computes on integers, `nil` results when it is not
  /// exact (overflow, division by zero, a non-integer result of a float tensor).
  static func integerFunction(_ op: String, isFloat: Bool, fmod: Bool) -> ([Int]) -> Int? {
    func checked(_ r: (Int, Bool)) -> Int? { r.1 ? nil : r.0 }
    switch op {
    case "Add", "Sum":
      return {
        $0.dropFirst().reduce($0.first) { acc, v in acc.flatMap { checked($0.addingReportingOverflow(v)) } }
          ?? nil
      }
    case "Sub": return { checked($0[0].subtractingReportingOverflow($0[1])) }
    case "Mul":
      return {
        $0.dropFirst().reduce($0.first) { acc, v in
          acc.flatMap { checked($0.multipliedReportingOverflow(by: v)) }
        } ?? nil
      }
    case "Div":
      return { a in
        guard a[1] != 0, let q = checked(a[0].dividedReportingOverflow(by: a[1])) else { return nil }
        return isFloat && q * a[1] != a[0] ? nil : q
      }
    case "Mod":
      return { a in
        guard a[1] != 0, let r = checked(a[0].remainderReportingOverflow(dividingBy: a[1])) else {
          return nil
        }
        return fmod || r == 0 || (r < 0) == (a[1] < 0) ? r : r + a[1]
      }
    case "Max": return { $0.max() }
    case "Min": return { $0.min() }
    case "Equal": return { $0[0] == $0[1] ? 1 : 0 }
    case "Less": return { $0[0] < $0[1] ? 1 : 0 }
    case "LessOrEqual": return { $0[0] <= $0[1] ? 1 : 0 }
    case "Greater": return { $0[0] > $0[1] ? 1 : 0 }
    case "GreaterOrEqual": return { $0[0] >= $0[1] ? 1 : 0 }
    case "And": return { $0[0] != 0 && $0[1] != 0 ? 1 : 0 }
    case "Or": return { $0[0] != 0 || $0[1] != 0 ? 1 : 0 }
    case "Xor": return { ($0[0] != 0) != ($0[1] != 0) ? 1 : 0 }
    case "Not": return { $0[0] == 0 ? 1 : 0 }
    case "Neg": return { $0[0] == Int.min ? nil : -$0[0] }
    case "Abs": return { $0[0] == Int.min ? nil : abs($0[0]) }
    case "Sign": return { $0[0].signum() }
    case "Relu": return { max(0, $0[0]) }
    case "Where": return { $0[0] != 0 ? $0[1] : $0[2] }
    case "Cast", "CastLike", "Floor", "Ceil", "Round": return { $0[0] }
    default: return { _ in nil }
    }
  }
}
