/// A differentiable step with several inputs (a residual add, a concatenation, the product of two
/// activations): the joins of a graph. Like ``Layer``, `forward` caches what `backward` needs;
/// `backward` returns one gradient per input, in input order.
public protocol JoinLayer: Sendable {
  mutating func forward(_ xs: [Tensor], training: Bool) -> Tensor
  mutating func backward(_ dy: Tensor) -> [Tensor]
}

/// Element-wise sum of equally shaped inputs (a residual connection).
public struct Sum: JoinLayer {
  private var inputs = 0
  public init() {}
  public mutating func forward(_ xs: [Tensor], training: Bool) -> Tensor {
    precondition(!xs.isEmpty, "Sum of nothing")
    inputs = xs.count
    var y = xs[0]
    for x in xs.dropFirst() {
      precondition(x.shape == y.shape, "Sum of \(y.shape) and \(x.shape)")
      for i in 0..<y.count { y.scalars[i] += x.scalars[i] }
    }
    return y
  }
  public mutating func backward(_ dy: Tensor) -> [Tensor] { Array(repeating: dy, count: inputs) }
}

/// Concatenation along `axis` of the whole tensor (batch axis 0 included; ONNX `Concat`).
public struct Concat: JoinLayer {
  public let axis: Int
  private var lengths: [Int] = []
  private var shape: [Int] = []
  public init(axis: Int) { self.axis = axis }

  public mutating func forward(_ xs: [Tensor], training: Bool) -> Tensor {
    precondition(!xs.isEmpty && axis < xs[0].rank, "Concat on axis \(axis)")
    lengths = xs.map { $0.shape[axis] }
    var out = xs[0].shape
    out[axis] = lengths.reduce(0, +)
    shape = out
    let outer = out[..<axis].reduce(1, *)
    let inner = out[(axis + 1)...].reduce(1, *)
    var y = [Float]()
    y.reserveCapacity(out.reduce(1, *))
    for o in 0..<outer {
      for (x, l) in zip(xs, lengths) {
        y += x.scalars[(o * l * inner)..<((o + 1) * l * inner)]
      }
    }
    return Tensor(shape: out, scalars: y)
  }

  public mutating func backward(_ dy: Tensor) -> [Tensor] {
    let outer = shape[..<axis].reduce(1, *)
    let inner = shape[(axis + 1)...].reduce(1, *)
    let total = shape[axis]
    return lengths.enumerated().map { k, l in
      let start = lengths[..<k].reduce(0, +)
      var piece = [Float]()
      piece.reserveCapacity(outer * l * inner)
      for o in 0..<outer {
        let base = (o * total + start) * inner
        piece += dy.scalars[base..<(base + l * inner)]
      }
      var s = shape
      s[axis] = l
      return Tensor(shape: s, scalars: piece)
    }
  }
}

/// `A[…, M, K] · B[…, K, N]` for two activations with equal leading (batch) axes — the QKᵀ and
/// A·V products of attention. Every product, forward and both gradients, runs through
/// ``arithmetic`` when one is set (forward as `.forward`, ∂A as `.inputGradient`, ∂B as
/// `.weightGradient`), else through the exact ``GEMM``.
public struct ActivationProduct: JoinLayer {
  public var arithmetic: (any ProductArithmetic)?
  private var a = Tensor.zeros([0]), b = Tensor.zeros([0])
  public init() {}

  public mutating func forward(_ xs: [Tensor], training: Bool) -> Tensor {
    precondition(xs.count == 2, "ActivationProduct takes two inputs, got \(xs.count)")
    let (x, w) = (xs[0], xs[1])
    precondition(
      x.rank >= 2 && x.rank == w.rank && x.shape.dropLast(2) == w.shape.dropLast(2)
        && x.shape[x.rank - 1] == w.shape[w.rank - 2],
      "ActivationProduct of \(x.shape) and \(w.shape)")
    if training { (a, b) = (x, w) }
    let (m, n) = (x.shape[x.rank - 2], w.shape[w.rank - 1])
    let y = batched(x, w, role: .forward) { l, r in (l, r) }
    return Tensor(shape: Array(x.shape.dropLast(2)) + [m, n], scalars: y)
  }

  public mutating func backward(_ dy: Tensor) -> [Tensor] {
    // ∂A = ∂Y · Bᵀ, ∂B = Aᵀ · ∂Y, per batch matrix.
    let da = batched(dy, b, role: .inputGradient) { l, r in (l, r.transposed()) }
    let db = batched(a, dy, role: .weightGradient) { l, r in (l.transposed(), r) }
    return [Tensor(shape: a.shape, scalars: da), Tensor(shape: b.shape, scalars: db)]
  }

  /// The concatenated products `f(l_i, r_i)` over the batch matrices of `l` and `r`.
  private mutating func batched(
    _ l: Tensor, _ r: Tensor, role: ProductRole, _ operands: (Tensor, Tensor) -> (Tensor, Tensor)
  ) -> [Float] {
    let (lr, lc) = (l.shape[l.rank - 2], l.shape[l.rank - 1])
    let (rr, rc) = (r.shape[r.rank - 2], r.shape[r.rank - 1])
    let batches = l.count / max(1, lr * lc)
    var out = [Float]()
    for i in 0..<batches {
      let li = Tensor(shape: [lr, lc], scalars: Array(l.scalars[(i * lr * lc)..<((i + 1) * lr * lc)]))
      let ri = Tensor(shape: [rr, rc], scalars: Array(r.scalars[(i * rr * rc)..<((i + 1) * rr * rc)]))
      let (p, q) = operands(li, ri)
      if var arith = arithmetic {
        out += arith.multiply(p, q, role: role).scalars
        arithmetic = arith
      } else {
        out += GEMM.multiply(p, q).scalars
      }
    }
    return out
  }
}
