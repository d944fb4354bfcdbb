import Foundation
import HybrixCore
import HybrixNumerics
import struct Workloads.ONNXProgram

extension ONNXValue {
  var count: Int { shape.reduce(1, *) }

  /// The same elements under a new shape of equal element count.
  func reshaped(_ newShape: [Int]) -> ONNXValue {
    switch self {
    case .float(let t): .float(t.reshaped(newShape))
    case .int(_, let v): .int(shape: newShape, values: v)
    }
  }

  /// Elements `indices` (flat, row-major) arranged as `shape`.
  func gathering(_ indices: [Int], shape: [Int]) -> ONNXValue {
    switch self {
    case .float(let t): .float(Tensor(shape: shape, scalars: indices.map { t.scalars[$0] }))
    case .int(_, let v): .int(shape: shape, values: indices.map { v[$0] })
    }
  }
}

extension ONNXKernels {
  /// A list of sizes from an integer input or attribute, each within `Int32` so that element
  /// counts built from them are checked rather than trapping.
  static func dims(_ values: [Int64], _ what: String) throws(ConfigError) -> [Int] {
    for v in values where v < -1 || v > Int64(Int32.max) {
      throw ConfigError(message: "\(what) \(values)", expected: "sizes in 0...\(Int32.max) (or -1 where allowed)")
    }
    return values.map { Int($0) }
  }

  /// Reshape with ONNX's rules: 0 copies the input dimension (unless `allowzero`), one −1 is
  /// inferred. Before opset 5 the shape is an attribute.
  static func reshape(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.value(0, "data")
    let requested = n.opset < 5 ? try n.intList("shape") ?? [] : try n.ints(1, "shape").values
    let allowZero = try n.int("allowzero", default: 0) != 0
    var shape = try dims(requested, "shape")
    var inferred: Int? = nil
    for (i, d) in shape.enumerated() {
      if d == 0 && !allowZero {
        guard i < x.shape.count else {
          throw n.mismatch("shape \(requested) copies dimension \(i) of input \(x.shape)", expected: "a valid 0 entry")
        }
        shape[i] = x.shape[i]
      } else if d == -1 {
        guard inferred == nil else { throw n.mismatch("shape \(requested) has two −1", expected: "at most one −1") }
        inferred = i
      }
    }
    let known = try Checked.product(shape.filter { $0 >= 0 }, "the shape of \(n.name)")
    if let i = inferred {
      guard known > 0, x.count % known == 0 else {
        throw n.mismatch("cannot infer −1 in \(requested) for \(x.count) elements", expected: "a compatible shape")
      }
      shape[i] = x.count / known
    }
    guard try Checked.product(shape, "the shape of \(n.name)") == x.count else {
      throw n.mismatch("shape \(requested) for input \(x.shape)", expected: "\(x.count) elements")
    }
    return [x.reshaped(shape)]
  }

  /// Flatten to `[∏ dims before axis, ∏ dims from axis]`.
  static func flatten(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.value(0, "input")
    let axis = try normalizedAxis(try n.int("axis", default: 1), rank: x.shape.count, inclusive: true)
    let outer = x.shape[..<axis].reduce(1, *)
    return [x.reshaped([outer, x.shape[axis...].reduce(1, *)])]
  }

  /// Unsqueeze (axes: attribute before opset 13, input from 13) and Squeeze (axes optional:
  /// every dimension of size 1 when absent).
  static func squeeze(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.value(0, "data")
    let axes = n.opset < 13 ? try n.intList("axes") : try n.optionalInts(1, "axes")
    if n.opType == "Unsqueeze" {
      guard let axes else { throw n.mismatch("no axes", expected: "the axes to insert") }
      let rank = x.shape.count + axes.count
      var inserted = Set<Int>()
      for a in axes { inserted.insert(try normalizedAxis(a, rank: rank)) }
      guard inserted.count == axes.count else { throw n.mismatch("repeated axes \(axes)", expected: "distinct axes") }
      var rest = x.shape.makeIterator()
      return [x.reshaped((0..<rank).map { inserted.contains($0) ? 1 : rest.next() ?? 1 })]
    }
    var removed = Set<Int>()
    for a in axes ?? [] { removed.insert(try normalizedAxis(a, rank: x.shape.count)) }
    if axes == nil { removed = Set(x.shape.indices.filter { x.shape[$0] == 1 }) }
    for a in removed where x.shape[a] != 1 {
      throw n.mismatch("axis \(a) of \(x.shape) has size \(x.shape[a])", expected: "axes of size 1")
    }
    return [x.reshaped(x.shape.indices.filter { !removed.contains($0) }.map { x.shape[$0] })]
  }

  /// Shape (with opset 15's `start`/`end`) and Size.
  static func shape(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let s = try n.value(0, "data").shape
    if n.opType == "Size" { return [.int(shape: [], values: [Int64(s.reduce(1, *))])] }
    let r = Int64(s.count)
    func clamp(_ v: Int64) -> Int { Int(min(r, max(0, v < 0 ? v + r : v))) }
    let start = clamp(try n.int("start", default: 0))
    let end = clamp(try n.int("end", default: r))
    let part = start < end ? s[start..<end].map { Int64($0) } : []
    return [.int(shape: [part.count], values: part)]
  }

  /// Constant: a `value` tensor or one of `value_float(s)`, `value_int(s)`.
  static func constant(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    switch n.attribute("value") ?? n.attribute("value_float") ?? n.attribute("value_floats")
      ?? n.attribute("value_int") ?? n.attribute("value_ints")
    {
    case .tensor(let t)?: return [try ONNXValue(t)]
    case .float(let v)?: return [.float(Tensor(shape: [], scalars: [v]))]
    case .floats(let v)?: return [.float(Tensor(shape: [v.count], scalars: v))]
    case .int(let v)?: return [.int(shape: [], values: [v])]
    case .ints(let v)?: return [.int(shape: [v.count], values: v)]
    default:
      throw ConfigError(
        path: "attribute", message: "Constant without a supported value",
        expected: "value, value_float(s) or value_int(s)", hint: "sparse and string constants are not supported")
    }
  }

  /// ConstantOfShape: the `value` scalar (float 0 by default) repeated to the given shape.
  static func constantOfShape(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let shape = try dims(try n.ints(0, "input").values, "shape")
    let count = try n.elementCount(shape, "the output of \(n.name)")
    guard case .tensor(let t)? = n.attribute("value") else {
      return [.float(Tensor(repeating: 0, shape: shape))]
    }
    switch try ONNXValue(t) {
    case .float(let v): return [.float(Tensor(repeating: v.scalars.first ?? 0, shape: shape))]
    case .int(_, let v): return [.int(shape: shape, values: [Int64](repeating: v.first ?? 0, count: count))]
    }
  }

  /// Expand: broadcast the input against a shape (bidirectionally).
  static func expand(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.value(0, "input")
    let target = try dims(try n.ints(1, "shape").values, "shape")
    guard let shape = broadcastShape(x.shape, target) else {
      throw n.mismatch("input \(x.shape) and shape \(target) do not broadcast", expected: "broadcastable shapes")
    }
    _ = try n.elementCount(shape, "the output of \(n.name)")
    return [x.gathering(broadcastIndices(from: x.shape, to: shape), shape: shape)]
  }

  /// Cast and CastLike to FLOAT/DOUBLE (computed in Float32), an integer type or BOOL.
  static func cast(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.value(0, "input")
    let to: Int64
    if n.opType == "CastLike" {
      to = try n.value(1, "target_type").intValues == nil ? 1 : 7
    } else {
      to = try n.int("to", default: 0)
    }
    let ranges: [Int64: ClosedRange<Double>] = [
      2: 0...255, 3: -128...127, 4: 0...65535, 5: -32768...32767, 6: -2_147_483_648...2_147_483_647,
      7: -9.2e18...9.2e18, 12: 0...4_294_967_295, 13: 0...1.8e19, 9: 0...1,
    ]
    switch (x, to) {
    case (.float, 1), (.float, 11): return [x]
    case (.int(let shape, let v), 1), (.int(let shape, let v), 11):
      return [.float(Tensor(shape: shape, scalars: v.map { Float($0) }))]
    case (.float(let t), _) where ranges[to] != nil:
      let r = ranges[to] ?? 0...0
      let values = t.scalars.map { f -> Int64 in
        if to == 9 { return f != 0 ? 1 : 0 }
        let d = Double(f).rounded(.towardZero)
        return d.isNaN ? 0 : Int64(min(r.upperBound, max(r.lowerBound, d)))
      }
      return [.int(shape: t.shape, values: values)]
    case (.int(let shape, let v), _) where ranges[to] != nil:
      return [.int(shape: shape, values: to == 9 ? v.map { $0 != 0 ? 1 : 0 } : v)]
    default:
      throw ConfigError(
        path: "attribute.to", message: "Cast to \(ONNXProgram.elementTypeName(Int32(clamping: to)))",
        expected: "supported: FLOAT, DOUBLE, integer types, BOOL")
    }
  }

  /// Range: `start, start + delta, …` below `limit` (above, for a negative delta).
  static func range(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    if let s = try n.value(0, "start").intValues?.first, let l = try n.value(1, "limit").intValues?.first,
      let d = try n.value(2, "delta").intValues?.first
    {
      guard d != 0 else { throw n.mismatch("delta 0", expected: "a non-zero delta") }
      let count = max(0, (Double(l) - Double(s)) / Double(d)).rounded(.up)
      _ = try n.elementCount([Int(min(count, 1e12))], "the output of \(n.name)")
      return [.int(shape: [Int(count)], values: (0..<Int(count)).map { s &+ Int64($0) &* d })]
    }
    let (s, l, d) = (try n.float(0, "start").scalars, try n.float(1, "limit").scalars, try n.float(2, "delta").scalars)
    guard let s = s.first, let l = l.first, let d = d.first, d != 0, d.isFinite, s.isFinite, l.isFinite else {
      throw n.mismatch("start, limit, delta", expected: "finite scalars with a non-zero delta")
    }
    let count = max(0, ((l - s) / d).rounded(.up))
    _ = try n.elementCount([Int(min(count, 1e12))], "the output of \(n.name)")
    return [.float(Tensor(shape: [Int(count)], scalars: (0..<Int(count)).map { s + Float($0) * d }))]
  }
}
