/// Batch normalisation (inference form) and layer normalisation.
public enum Normalization {
  /// `y = γ · (x − μ) / √(σ² + ε) + β` per channel of an NCHW tensor, with stored statistics
  /// (Ioffe & Szegedy, ICML 2015, Algorithm 2).
  ///
  /// - Parameters:
  ///   - x: `[N, C, …]` (any trailing spatial dims).
  ///   - mean, variance, gamma, beta: `[C]` each.
  ///   - epsilon: Added to the variance for stability (PyTorch default 1e-5).
  public static func batchNormInference(
    _ x: Tensor, mean: Tensor, variance: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float = 1e-5
  ) -> Tensor {
    precondition(x.rank >= 2, "batch norm needs [N, C, …], got \(x.shape)")
    let c = x.shape[1]
    for t in [mean, variance, gamma, beta] { precondition(t.shape == [c], "per-channel tensor \(t.shape), expected [\(c)]") }
    let inner = x.shape.dropFirst(2).reduce(1, *)
    var y = x.scalars
    for img in 0..<x.shape[0] {
      for ch in 0..<c {
        let scale = gamma.scalars[ch] / (variance.scalars[ch] + epsilon).squareRoot()
        let shift = beta.scalars[ch] - mean.scalars[ch] * scale
        let base = (img * c + ch) * inner
        for i in 0..<inner { y[base + i] = y[base + i] * scale + shift }
      }
    }
    return Tensor(shape: x.shape, scalars: y)
  }

  /// `y = γ · (x − mean) / √(var + ε) + β` over the last axis of each row, with the biased
  /// variance (Ba, Kiros & Hinton, arXiv:1607.06450). Statistics are accumulated in Float64.
  ///
  /// - Parameters:
  ///   - gamma, beta: `[D]` where `D` is the last dimension of `x`.
  public static func layerNorm(_ x: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float = 1e-5) -> Tensor {
    precondition(x.rank >= 1, "layer norm needs rank ≥ 1")
    let d = x.shape[x.rank - 1]
    precondition(gamma.shape == [d] && beta.shape == [d], "gamma/beta must be [\(d)]")
    var y = x.scalars
    guard d > 0 else { return x }
    for start in stride(from: 0, to: x.count, by: d) {
      var sum = 0.0, sumSq = 0.0
      for i in 0..<d {
        let v = Double(x.scalars[start + i])
        sum += v
        sumSq += v * v
      }
      let mean = sum / Double(d)
      let variance = max(0, sumSq / Double(d) - mean * mean)
      let inv = Float(1 / (variance + Double(epsilon)).squareRoot())
      for i in 0..<d {
        y[start + i] = (x.scalars[start + i] - Float(mean)) * inv * gamma.scalars[i] + beta.scalars[i]
      }
    }
    return Tensor(shape: x.shape, scalars: y)
  }
}
