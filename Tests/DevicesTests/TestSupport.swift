import Foundation
import HybrixNumerics

/// Naive reference GEMM: [m, k] × [k, n] → [m, n], accumulated in Double.
func naiveMatmul(_ a: Tensor, _ b: Tensor) -> Tensor {
  precondition(a.rank == 2 && b.rank == 2 && a.shape[1] == b.shape[0], "shapes \(a.shape) \(b.shape)")
  let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
  var out = [Float](repeating: 0, count: m * n)
  for i in 0..<m {
    for j in 0..<n {
      var s = 0.0
      for p in 0..<k { s += Double(a.scalars[i * k + p]) * Double(b.scalars[p * n + j]) }
      out[i * n + j] = Float(s)
    }
  }
  return Tensor(shape: [m, n], scalars: out)
}

/// Sample mean and (n − 1) standard deviation, accumulated in Double.
func meanAndStd(_ xs: [Float]) -> (mean: Double, std: Double) {
  let n = Double(xs.count)
  let mean = xs.reduce(0.0) { $0 + Double($1) } / n
  let v = xs.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / (n - 1)
  return (mean, v.squareRoot())
}

/// Standard normal CDF.
func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

/// E[exp(−a·|X|)] for X ~ N(μ, σ²) (folded-normal moment generating function at −a).
func foldedNormalExpMoment(mu: Double, sigma: Double, a: Double) -> Double {
  exp(-a * mu + a * a * sigma * sigma / 2) * normalCDF(mu / sigma - a * sigma)
    + exp(a * mu + a * a * sigma * sigma / 2) * normalCDF(-mu / sigma - a * sigma)
}

/// E[f(μ + σξ)] for ξ ~ N(0, 1), by the trapezoid rule on [−10, 10] (deterministic quadrature).
func gaussianExpectation(mu: Double, sigma: Double, _ f: (Double) -> Double) -> Double {
  let steps = 20_000
  let h = 20.0 / Double(steps)
  var s = 0.0
  for i in 0...steps {
    let z = -10 + Double(i) * h
    let w = (i == 0 || i == steps) ? 0.5 : 1.0
    s += w * f(mu + sigma * z) * exp(-z * z / 2)
  }
  return s * h / (2 * Double.pi).squareRoot()
}
