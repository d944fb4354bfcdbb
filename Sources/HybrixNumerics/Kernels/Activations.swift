import Foundation

/// Elementwise activation functions and the derivatives training needs.
public enum Activations {
  /// `max(0, x)`.
  public static func relu(_ x: Tensor) -> Tensor { x.map { max(0, $0) } }

  /// Gaussian error linear unit, exact form `x · Φ(x) = x · ½(1 + erf(x/√2))`
  /// (Hendrycks & Gimpel, arXiv:1606.08415; PyTorch `approximate='none'`).
  public static func gelu(_ x: Tensor) -> Tensor { x.map { $0 * 0.5 * (1 + erf($0 / Float(2).squareRoot())) } }

  /// Logistic `1 / (1 + e^−x)`, evaluated without overflow for large |x|.
  public static func sigmoid(_ x: Tensor) -> Tensor { x.map(sigmoid) }

  /// Hyperbolic tangent.
  public static func tanh(_ x: Tensor) -> Tensor { x.map { Foundation.tanh($0) } }

  /// Scalar logistic: for x < 0 uses `eˣ / (1 + eˣ)` so `exp` never overflows.
  @inlinable public static func sigmoid(_ v: Float) -> Float {
    if v >= 0 { return 1 / (1 + exp(-v)) }
    let e = exp(v)
    return e / (1 + e)
  }

  /// Gradient of ReLU: `dy` where `x > 0`, else 0 (the subgradient at 0 is taken as 0).
  public static func reluBackward(_ dy: Tensor, input x: Tensor) -> Tensor {
    precondition(dy.shape == x.shape, "reluBackward shapes \(dy.shape) vs \(x.shape)")
    return Tensor(shape: x.shape, scalars: zip(dy.scalars, x.scalars).map { $1 > 0 ? $0 : 0 })
  }
}
