/// Which of a layer's matrix products a call computes, so an arithmetic model can treat them
/// differently (a PCM tile holds the weights of the forward product; training on RNS hardware
/// runs all three through residue arithmetic).
public enum ProductRole: String, Sendable, Hashable, CaseIterable {
  /// `inputs · weights`: rows of `a` are input vectors, `b` is the layer's weight matrix laid
  /// out `[k inputs, n outputs]` (crossbar rows × columns).
  case forward
  /// `∂L/∂y · weightsᵀ`, the input gradient (training only).
  case inputGradient = "input-gradient"
  /// The weight gradient, a product of two dynamic operands (training only).
  case weightGradient = "weight-gradient"
}

/// How a layer's matrix products are computed: exactly in Float32 (``ExactArithmetic``) or
/// through the numerical model of some hardware (device noise, converters, residue arithmetic).
///
/// ``Linear`` and ``Conv2d`` route every product through their `arithmetic` when one is set, so
/// a model runs "as if mapped" without changing its code. Conforming types live in `Devices`;
/// they are value types that carry their own seeded random state, so `multiply` is `mutating`
/// and the same seed gives the same result bit for bit.
public protocol ProductArithmetic: Sendable {
  /// A short description for logs and reports, e.g. `"fp32"` or `"rns(29,31,32) bfp16"`.
  var name: String { get }

  /// `a` `[m, k]` · `b` `[k, n]` → `[m, n]`, as the modelled hardware computes it.
  mutating func multiply(_ a: Tensor, _ b: Tensor, role: ProductRole) -> Tensor

  /// The weights `[k inputs, n outputs]` as the hardware holds them when inference starts: a
  /// device model programs them and reads them back at its configured time (programming noise,
  /// drift, read noise). Called once per Monte-Carlo repeat, before inference.
  /// The default returns `weights` unchanged.
  mutating func realize(weights: Tensor) -> Tensor
}

extension ProductArithmetic {
  public mutating func realize(weights: Tensor) -> Tensor { weights }
}

/// Plain Float32 products through ``GEMM`` (OpenBLAS when present); the reference arithmetic.
public struct ExactArithmetic: ProductArithmetic, Hashable {
  public init() {}
  public var name: String { "fp32" }
  public mutating func multiply(_ a: Tensor, _ b: Tensor, role: ProductRole) -> Tensor {
    GEMM.multiply(a, b)
  }
}

/// A layer whose matrix products can run on a ``ProductArithmetic``.
public protocol ProductLayer: Layer {
  /// The arithmetic of every product of this layer; `nil` runs the exact fast path.
  var arithmetic: (any ProductArithmetic)? { get set }
  /// The weight matrix as the forward product uses it, `[k inputs, n outputs]`. For a
  /// convolution k = (C / groups)·kh·kw and n = O; output channel j reads the rows of its group.
  var productWeights: Tensor { get }
  /// Replaces the weights from a `[k inputs, n outputs]` matrix (the inverse of
  /// ``productWeights``).
  mutating func setProductWeights(_ matrix: Tensor)
}

extension Tensor {
  /// The transpose of a rank-2 tensor.
  public func transposed() -> Tensor {
    precondition(rank == 2, "transposed() needs a rank-2 tensor, got \(shape)")
    let (r, c) = (shape[0], shape[1])
    var out = [Float](repeating: 0, count: count)
    scalars.withUnsafeBufferPointer { s in
      out.withUnsafeMutableBufferPointer { o in
        for i in 0..<r {
          for j in 0..<c { o[j * r + i] = s[i * c + j] }
        }
      }
    }
    return Tensor(shape: [c, r], scalars: out)
  }
}
