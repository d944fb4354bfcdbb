import HybrixCore

extension GraphBuilder {
  /// Matrix product with numpy semantics: `A[…, M, K] · B[…, K, N]` (batch dimensions
  /// broadcast), optional bias added to the output.
  ///
  /// When `B` is a weight with no batch dimensions, all of `A`'s leading dimensions fold into `M`
  /// (a fully connected layer over every token). When both operands are activations the second
  /// operand is dynamic, as in attention. `transposeB` reads `B` as `[…, N, K]`.
  public mutating func matmul(
    _ name: String, _ a: TensorID, _ b: TensorID, bias: TensorID? = nil, transposeB: Bool = false,
    kind: OperatorKind = .matmul
  ) throws(ConfigError) -> TensorID {
    var ad = dims(a)
    var bd = dims(b)
    guard !ad.isEmpty, !bd.isEmpty else {
      throw Self.shapeError(name, "a scalar operand (\(ad) · \(bd))", expected: "operands of rank 1 or more")
    }
    // Rank-1 operands as numpy: A[K] → [1, K] (dropped after), B[K] → [K, 1] (dropped after).
    let aVector = ad.count == 1
    let bVector = bd.count == 1
    if aVector { ad = [1] + ad }
    if bVector { bd = transposeB ? [1] + bd : bd + [1] }
    if transposeB { bd.swapAt(bd.count - 1, bd.count - 2) }
    let m = ad[ad.count - 2]
    let k = ad[ad.count - 1]
    let n = bd[bd.count - 1]
    guard bd[bd.count - 2] == k else {
      throw Self.shapeError(
        name, "inner dimensions differ: A \(dims(a)) · B \(dims(b))\(transposeB ? "ᵀ" : "")",
        expected: "A[…, M, K] · B[…, K, N]")
    }
    let batchDims = try Self.broadcast(
      Array(ad.dropLast(2)), Array(bd.dropLast(2)), name)
    var outDims = batchDims + [m, n]
    if bVector { outDims.removeLast() }
    if aVector { outDims.remove(at: outDims.count - (bVector ? 1 : 2)) }
    if let bias {
      outDims = try Self.broadcast(outDims, dims(bias), name)
    }
    let y = try tensor(name, outDims, role: .activation)
    let batch = try Self.count(batchDims, "batch count", name)
    let bBatch = try Self.count(Array(bd.dropLast(2)), "batch count", name)
    // A weight shared by every batch element folds the batch into M (one stationary matrix).
    var gemm =
      bBatch == 1
      ? MatMulShape(batch: 1, m: try Self.count([batch, m], "rows", name), k: k, n: n)
      : MatMulShape(batch: batch, m: m, k: k, n: n)
    let macs = try Self.count([gemm.batch, gemm.m, gemm.k, gemm.n], "MAC count", name)
    let secondStatic = isStatic(b) || isStatic(a)
    var inputs = [a, b] + (bias.map { [$0] } ?? [])
    let (operands, params) = try traffic(reading: inputs, writing: [y], name)
    if isStatic(a), !isStatic(b), ad.count == 2 {
      // W · X: the stationary matrix is the first operand. Costing sees Yᵀ = Xᵀ · Wᵀ, so the
      // weight is again the k × n operand and X's batch folds into the rows.
      inputs = [b, a] + (bias.map { [$0] } ?? [])
      gemm = MatMulShape(batch: 1, m: try Self.count([batch, n], "rows", name), k: k, n: m)
    }
    append(
      Operator(
        name: name, kind: kind, inputs: inputs, outputs: [y], matmul: gemm,
        secondOperand: secondStatic ? .staticWeight : .dynamic, macs: macs,
        vectorOps: bias == nil ? 0 : shape(y).elementCount, parameterCount: params,
        operands: operands))
    return y
  }

  /// A fully connected layer `x[…, in] · W[in, out] (+ b)` that creates its own weight.
  public mutating func linear(_ name: String, _ x: TensorID, out: Int, bias: Bool = true)
    throws(ConfigError) -> TensorID
  {
    let features = dims(x).last ?? 0
    let w = try weight("\(name).weight", [features, out])
    let b = bias ? try weight("\(name).bias", [out]) : nil
    return try matmul(name, x, w, bias: b)
  }
}
