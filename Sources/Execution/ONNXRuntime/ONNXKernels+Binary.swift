import Foundation
import HybrixCore
import HybrixNumerics

extension ONNXKernels {
  /// Elementwise operators of two or more inputs with NumPy broadcasting.
  static let binaryOperators: Set<String> = [
    "Add", "Sub", "Mul", "Div", "Pow", "PRelu", "Max", "Min", "Sum", "Mean", "Mod",
  ]

  static func floatFunction(_ op: String) -> (Float, Float) -> Float {
    switch op {
    case "Add", "Sum", "Mean": { $0 + $1 }
    case "Sub": { $0 - $1 }
    case "Mul": { $0 * $1 }
    case "Div": { $0 / $1 }
    case "Pow": { Foundation.pow($0, $1) }
    case "PRelu": { $0 < 0 ? $0 * $1 : $0 }
    case "Mod": { Foundation.fmod($0, $1) }
    case "Max": { $0.isNaN || $1.isNaN ? .nan : max($0, $1) }
    default: { $0.isNaN || $1.isNaN ? .nan : min($0, $1) }
    }
  }

  /// Integer arithmetic for shape computations; wrapping, never trapping.
  static func intFunction(_ op: String) -> ((Int64, Int64) -> Int64)? {
    switch op {
    case "Add", "Sum": { $0 &+ $1 }
    case "Sub": { $0 &- $1 }
    case "Mul": { $0 &* $1 }
    case "Div": { $1 == 0 ? 0 : ($0 == .min && $1 == -1) ? .min : $0 / $1 }
    case "Max": { max($0, $1) }
    case "Min": { min($0, $1) }
    case "Mod":  // the sign of the divisor (Python), as ONNX Mod with fmod = 0
      { b, a in let r = a == 0 ? 0 : (b == .min && a == -1) ? 0 : b % a
        return r != 0 && (r < 0) != (a < 0) ? r &+ a : r }
    case "FMod": { $1 == 0 || ($0 == .min && $1 == -1) ? 0 : $0 % $1 }
    default: nil
    }
  }

  /// Folds the inputs left to right (`Sum`, `Max`, … take any number; `Mean` divides at the end).
  static func binary(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let operands = n.inputs.compactMap { $0 }
    guard let first = operands.first else {
      throw n.mismatch("no inputs", expected: "at least one input")
    }
    let allInts = operands.allSatisfy { $0.intValues != nil }
    let fmod = n.opType == "Mod" ? try n.int("fmod", default: 0) != 0 : false
    if n.opType == "Mod", !allInts, !fmod {
      throw ConfigError(path: "attribute.fmod", message: "Mod of floats with fmod = 0", expected: "fmod = 1")
    }
    if allInts, let f = intFunction(fmod ? "FMod" : n.opType) {
      var (shape, acc) = (first.shape, first.intValues ?? [])
      for next in operands.dropFirst() {
        (shape, acc) = try broadcast(n, shape, acc, next.shape, next.intValues ?? [], f)
      }
      return [.int(shape: shape, values: acc)]
    }
    // Pow of an integer base is an integer (the type of X), computed in Float64.
    if n.opType == "Pow", case .int(let shape, let base)? = n.optional(0) {
      let e = try n.value(1, "Y")
      let exponent = e.intValues.map { $0.map(Double.init) } ?? (e.floatTensor?.scalars.map(Double.init) ?? [])
      let (s, v) = try broadcast(n, shape, base.map(Double.init), e.shape, exponent) { Foundation.pow($0, $1) }
      return [.int(shape: s, values: v.map { $0.isFinite ? Int64(max(-9.2e18, min(9.2e18, $0.rounded(.towardZero)))) : 0 })]
    }
    // Pow takes an integer exponent; other mixes are errors.
    var tensors: [Tensor] = []
    for (i, v) in n.inputs.enumerated() where v != nil {
      if n.opType == "Pow", i == 1, case .int(let shape, let values)? = v {
        tensors.append(Tensor(shape: shape, scalars: values.map { Float($0) }))
      } else {
        tensors.append(try n.float(i, "\(i)"))
      }
    }
    let f = floatFunction(n.opType)
    var (shape, acc) = (tensors[0].shape, tensors[0].scalars)
    for t in tensors.dropFirst() {
      if n.opType == "PRelu", broadcastShape(shape, t.shape) != shape {
        throw n.mismatch("slope \(t.shape) for input \(shape)", expected: "a slope broadcastable to the input")
      }
      (shape, acc) = try broadcast(n, shape, acc, t.shape, t.scalars, f)
    }
    if n.opType == "Mean", tensors.count > 1 {
      let count = Float(tensors.count)
      acc = acc.map { $0 / count }
    }
    return [.float(Tensor(shape: shape, scalars: acc))]
  }

  /// `f` applied elementwise to `a` and `b` broadcast together.
  static func broadcast<T>(
    _ n: ONNXNodeContext, _ sa: [Int], _ a: [T], _ sb: [Int], _ b: [T], _ f: (T, T) -> T
  ) throws(ConfigError) -> ([Int], [T]) {
    if sa == sb { return (sa, zip(a, b).map(f)) }
    guard let shape = broadcastShape(sa, sb) else {
      throw n.mismatch("shapes \(sa) and \(sb) do not broadcast", expected: "NumPy-broadcastable shapes")
    }
    let count = try n.elementCount(shape, "the output of \(n.name)")
    if sb.reduce(1, *) == 1, shape == sa, let s = b.first { return (shape, a.map { f($0, s) }) }
    if sa.reduce(1, *) == 1, shape == sb, let s = a.first { return (shape, b.map { f(s, $0) }) }
    // One operand repeats along the leading axes of the other (a bias [D] added to [N, T, D]):
    // no index tables.
    if shape == sa, let period = trailingPeriod(sb, of: sa), b.count == period {
      return (shape, repeating(a, b, period: period, smallFirst: false, f))
    }
    if shape == sb, let period = trailingPeriod(sa, of: sb), a.count == period {
      return (shape, repeating(b, a, period: period, smallFirst: true, f))
    }
    let ia = broadcastIndices(from: sa, to: shape)
    let ib = broadcastIndices(from: sb, to: shape)
    var out: [T] = []
    out.reserveCapacity(count)
    for i in 0..<count { out.append(f(a[ia[i]], b[ib[i]])) }
    return (shape, out)
  }

  /// `f(large[i], small[i mod period])` for every element of `large` (`f(small[…], large[i])` when
  /// `smallFirst`), where `large` holds `small` repeated whole: a loop per repetition, with no
  /// remainder per element.
  @inline(__always)
  static func repeating<T>(_ large: [T], _ small: [T], period: Int, smallFirst: Bool, _ f: (T, T) -> T) -> [T] {
    let count = large.count
    guard period > 0, count > 0 else { return [] }
    return [T](unsafeUninitializedCapacity: count) { out, initialized in
      large.withUnsafeBufferPointer { pl in
        small.withUnsafeBufferPointer { ps in
          guard let o = out.baseAddress else { return }
          var base = 0
          if smallFirst {
            while base < count {
              for j in 0..<period { (o + base + j).initialize(to: f(ps[j], pl[base + j])) }
              base += period
            }
          } else {
            while base < count {
              for j in 0..<period { (o + base + j).initialize(to: f(pl[base + j], ps[j])) }
              base += period
            }
          }
        }
      }
      initialized = count
    }
  }

  /// The element count of `small` when, leading 1s dropped, it equals the trailing axes of
  /// `large` (so broadcasting repeats it whole along `large`'s leading axes); else `nil`.
  static func trailingPeriod(_ small: [Int], of large: [Int]) -> Int? {
    let core = Array(small.drop(while: { $0 == 1 }))
    guard core.count <= large.count, Array(large.suffix(core.count)) == core else { return nil }
    return core.reduce(1, *)
  }
}
