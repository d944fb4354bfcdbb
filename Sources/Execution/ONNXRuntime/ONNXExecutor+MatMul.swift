import HybrixCore
import HybrixNumerics

extension ONNXExecutor {
  /// Gemm: `Y = alpha · op(A) · op(B) + beta · C`, `op` transposing under `transA`/`transB`,
  /// `C` broadcast to `[M, N]`.
  mutating func gemm(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let a = try n.float(0, "A")
    let b = try n.float(1, "B")
    let c = try n.optionalFloat(2, "C")
    let transA = try n.int("transA", default: 0) != 0
    let transB = try n.int("transB", default: 0) != 0
    let alpha = try n.float("alpha", default: 1)
    let beta = try n.float("beta", default: 1)
    guard a.rank == 2, b.rank == 2 else {
      throw n.mismatch("A \(a.shape) and B \(b.shape)", expected: "rank-2 matrices")
    }
    let (m, k) = transA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
    let (k2, cols) = transB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
    guard k == k2 else {
      throw n.mismatch(
        "A \(a.shape)\(transA ? "ᵀ" : "") and B \(b.shape)\(transB ? "ᵀ" : "") have inner sizes \(k) and \(k2)",
        expected: "equal inner dimensions")
    }
    var y: Tensor
    if hasArithmetic(n.name), let viaArithmetic = productWithArithmetic(n.name, transA ? a.transposed() : a) {
      y = viaArithmetic
    } else {
      y = GEMM.multiply(a, b, transposeA: transA, transposeB: transB)
    }
    if alpha != 1 { y = y.map { $0 * alpha } }
    if let c, beta != 0 {
      guard let shape = broadcastShape([m, cols], c.shape), shape == [m, cols] else {
        throw n.mismatch("C \(c.shape) for a [\(m), \(cols)] product", expected: "C broadcastable to [\(m), \(cols)]")
      }
      let index = broadcastIndices(from: c.shape, to: [m, cols])
      for i in 0..<y.count { y.scalars[i] += beta * c.scalars[index[i]] }
    }
    return [.float(y)]
  }

  /// MatMul with NumPy semantics: batch dimensions broadcast, a rank-1 A (B) gains a leading
  /// (trailing) axis that the result drops again.
  mutating func matmul(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    var a = try n.float(0, "A")
    var b = try n.float(1, "B")
    guard a.rank >= 1, b.rank >= 1 else {
      throw n.mismatch("A \(a.shape) and B \(b.shape)", expected: "tensors of rank ≥ 1")
    }
    let vectorA = a.rank == 1
    let vectorB = b.rank == 1
    if vectorA { a = a.reshaped([1, a.count]) }
    if vectorB { b = b.reshaped([b.count, 1]) }
    let (m, k) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
    let (k2, cols) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
    guard k == k2, let batch = broadcastShape(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2))) else {
      throw n.mismatch("A \(a.shape) and B \(b.shape)", expected: "A[…, M, K] and B[…, K, N] with broadcastable batches")
    }
    var outShape = batch + [m, cols]
    _ = try n.elementCount(outShape, "the output of \(n.name)")
    var y: Tensor
    if b.rank == 2 {
      // One product over all rows of A: the path a weight matrix takes on a crossbar.
      let rows = a.count / max(1, k)
      let flat = a.reshaped([rows, k])
      if hasArithmetic(n.name), let viaArithmetic = productWithArithmetic(n.name, flat) {
        y = viaArithmetic
      } else {
        y = GEMM.multiply(flat, b)
      }
      y = y.reshaped(outShape)
    } else {
      let batches = batch.reduce(1, *)
      let ia = broadcastIndices(from: Array(a.shape.dropLast(2)), to: batch)
      let ib = broadcastIndices(from: Array(b.shape.dropLast(2)), to: batch)
      var out = [Float](repeating: 0, count: batches * m * cols)
      for t in 0..<batches {
        let sa = Tensor(shape: [m, k], scalars: Array(a.scalars[(ia[t] * m * k)..<((ia[t] + 1) * m * k)]))
        let sb = Tensor(shape: [k, cols], scalars: Array(b.scalars[(ib[t] * k * cols)..<((ib[t] + 1) * k * cols)]))
        let p = GEMM.multiply(sa, sb)
        out.replaceSubrange((t * m * cols)..<((t + 1) * m * cols), with: p.scalars)
      }
      y = Tensor(shape: outShape, scalars: out)
    }
    if vectorB { outShape.removeLast() }
    if vectorA { outShape.remove(at: outShape.count - (vectorB ? 1 : 2)) }
    return [.float(y.reshaped(outShape))]
  }
}
