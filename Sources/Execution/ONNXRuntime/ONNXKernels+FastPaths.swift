import HybrixCore
import HybrixNumerics

/// Loops for the elementwise operators every CNN and transformer runs between its products (Relu;
/// Add, Sub, Mul, Div of two float tensors where one repeats whole along the other's leading axes:
/// a residual of the same shape, a bias [D] on [N, T, D], a scalar factor): one pass over
/// contiguous memory into an uninitialised buffer with the operation inlined, where the general
/// kernels call a closure per element and take a remainder per index. The same IEEE operations on
/// the same pairs, so the same results, bit for bit (`ONNXFastPathTests`).
extension ONNXKernels {
  /// The fast path of node `n` if it has one; `nil` otherwise (the general kernel runs).
  static func fastPath(_ n: ONNXNodeContext) -> [ONNXValue]? {
    switch n.opType {
    case "Relu":
      guard n.inputs.count == 1, case .float(let x)? = n.inputs[0] else { return nil }
      return [.float(InferenceKernels.relu(x))]
    case "Add", "Sub", "Mul", "Div":
      guard n.inputs.count == 2, case .float(let a)? = n.inputs[0], case .float(let b)? = n.inputs[1] else { return nil }
      return arithmetic(n.opType, a, b).map { [.float($0)] }
    default:
      return nil
    }
  }

  /// `a op b` (Add, Sub, Mul, Div) broadcast together: the fast loop when one operand repeats
  /// whole, else the general kernel (which names the node when the shapes do not broadcast).
  static func floatOperation(_ n: ONNXNodeContext, _ op: String, _ a: Tensor, _ b: Tensor) throws(ConfigError) -> Tensor {
    if let fast = arithmetic(op, a, b) { return fast }
    let (shape, values) = try broadcast(n, a.shape, a.scalars, b.shape, b.scalars, floatFunction(op))
    return Tensor(shape: shape, scalars: values)
  }

  /// `a op b` for op Add, Sub, Mul or Div when the broadcast repeats one operand whole along
  /// the other's leading axes (equal shapes included); `nil` for any other broadcast or operator.
  static func arithmetic(_ op: String, _ a: Tensor, _ b: Tensor) -> Tensor? {
    switch op {
    case "Add": periodic(a, b) { $0 + $1 }
    case "Sub": periodic(a, b) { $0 - $1 }
    case "Mul": periodic(a, b) { $0 * $1 }
    case "Div": periodic(a, b) { $0 / $1 }
    default: nil
    }
  }

  /// `f(a, b)` elementwise, `a` and `b` broadcast together, when the result has the shape of one
  /// operand and the other's elements are its trailing axes (leading 1s dropped).
  @inline(__always)
  static func periodic(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor? {
    guard let shape = broadcastShape(a.shape, b.shape) else { return nil }
    let smallFirst: Bool
    if shape == a.shape {
      smallFirst = false
    } else if shape == b.shape {
      smallFirst = true
    } else {
      return nil
    }
    let (large, small) = smallFirst ? (b, a) : (a, b)
    guard let period = trailingPeriod(small.shape, of: large.shape), period == small.count else { return nil }
    let y = repeating(large.scalars, small.scalars, period: period, smallFirst: smallFirst, f)
    return Tensor(shape: shape, scalars: y)
  }
}
