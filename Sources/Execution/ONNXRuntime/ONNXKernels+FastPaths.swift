import HybrixCore
import HybrixNumerics

/// Loops for the elementwise operators every CNN runs after each convolution (Relu, a residual
/// Add of two same-shape tensors): one pass over contiguous memory into an uninitialised buffer,
/// where the general kernels call a closure per element. Same results, bit for bit.
extension ONNXKernels {
  /// `a + b` for two float tensors of the same shape.
  static func addSameShape(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.shape == b.shape, "addSameShape of \(a.shape) and \(b.shape)")
    let count = a.count
    let y = [Float](unsafeUninitializedCapacity: count) { out, initialized in
      a.scalars.withUnsafeBufferPointer { xa in
        b.scalars.withUnsafeBufferPointer { xb in
          for i in 0..<count { out[i] = xa[i] + xb[i] }
        }
      }
      initialized = count
    }
    return Tensor(shape: a.shape, scalars: y)
  }

  /// The fast path of node `n` if it has one: Relu of a float tensor, Add of two float tensors
  /// of one shape; `nil` otherwise (the general kernel runs).
  static func fastPath(_ n: ONNXNodeContext) -> [ONNXValue]? {
    switch n.opType {
    case "Relu":
      guard n.inputs.count == 1, case .float(let x)? = n.inputs[0] else { return nil }
      return [.float(InferenceKernels.relu(x))]
    case "Add":
      guard n.inputs.count == 2, case .float(let a)? = n.inputs[0], case .float(let b)? = n.inputs[1],
        a.shape == b.shape
      else { return nil }
      return [.float(addSameShape(a, b))]
    default:
      return nil
    }
  }
}
