import Foundation
import HybrixCore

/// GELU in its exact form `x·Φ(x) = ½x(1 + erf(x/√2))` (Hendrycks & Gimpel 2016; ONNX `Gelu`
/// with `approximate = "none"`, PyTorch's default).
public struct GELU: Layer {
  private var input = Tensor.zeros([0])
  public init() {}

  public mutating func forward(_ x: Tensor, training: Bool) -> Tensor {
    input = x
    return x.map { 0.5 * $0 * (1 + Foundation.erf($0 * Float(0.5).squareRoot())) }
  }

  /// `dy · (Φ(x) + x·φ(x))`.
  public mutating func backward(_ dy: Tensor) -> Tensor {
    precondition(dy.count == input.count, "GELU.backward got \(dy.shape) for \(input.shape)")
    let invSqrt2Pi = 1 / Float(2 * Double.pi).squareRoot()
    var dx = dy
    for i in 0..<dx.count {
      let x = input.scalars[i]
      let cdf = 0.5 * (1 + Foundation.erf(x * Float(0.5).squareRoot()))
      let pdf = invSqrt2Pi * Foundation.exp(-0.5 * x * x)
      dx.scalars[i] *= cdf + x * pdf
    }
    return dx
  }
}

/// Layer normalisation over the last axis with a learned scale and shift (Ba et al. 2016;
/// ONNX `LayerNormalization` with `axis = -1`).
public struct LayerNorm: Layer {
  /// `[features]`.
  public var gamma: Tensor
  public var beta: Tensor
  public let epsilon: Float
  private var normalized = Tensor.zeros([0])
  private var inverseStd: [Float] = []
  private var gammaGradient: Tensor
  private var betaGradient: Tensor

  /// Scale 1, shift 0.
  public init(features: Int, epsilon: Float = 1e-5) {
    gamma = Tensor(repeating: 1, shape: [features])
    beta = .zeros([features])
    gammaGradient = .zeros([features])
    betaGradient = .zeros([features])
    self.epsilon = epsilon
  }

  public mutating func forward(_ x: Tensor, training: Bool) -> Tensor {
    let d = gamma.count
    precondition(x.shape.last == d, "LayerNorm over \(d) features got \(x.shape)")
    let rows = x.count / max(1, d)
    var xhat = x
    var y = x
    inverseStd = [Float](repeating: 0, count: rows)
    for r in 0..<rows {
      let base = r * d
      var mean: Float = 0
      for j in 0..<d { mean += x.scalars[base + j] }
      mean /= Float(d)
      var variance: Float = 0
      for j in 0..<d {
        let c = x.scalars[base + j] - mean
        variance += c * c
      }
      variance /= Float(d)
      let inv = 1 / (variance + epsilon).squareRoot()
      inverseStd[r] = inv
      for j in 0..<d {
        let h = (x.scalars[base + j] - mean) * inv
        xhat.scalars[base + j] = h
        y.scalars[base + j] = h * gamma.scalars[j] + beta.scalars[j]
      }
    }
    normalized = xhat
    return y
  }

  /// `dx = inv/d · (d·ĝ − Σĝ − x̂·Σ(ĝ·x̂))` with `ĝ = dy·γ`.
  public mutating func backward(_ dy: Tensor) -> Tensor {
    let d = gamma.count
    let rows = dy.count / max(1, d)
    var dgamma = [Float](repeating: 0, count: d)
    var dbeta = [Float](repeating: 0, count: d)
    var dx = dy
    for r in 0..<rows {
      let base = r * d
      var sum: Float = 0
      var dot: Float = 0
      for j in 0..<d {
        let g = dy.scalars[base + j]
        let h = normalized.scalars[base + j]
        dgamma[j] += g * h
        dbeta[j] += g
        let gh = g * gamma.scalars[j]
        sum += gh
        dot += gh * h
      }
      let scale = inverseStd[r] / Float(d)
      for j in 0..<d {
        let gh = dy.scalars[base + j] * gamma.scalars[j]
        dx.scalars[base + j] = scale * (Float(d) * gh - sum - normalized.scalars[base + j] * dot)
      }
    }
    gammaGradient = Tensor(shape: [d], scalars: dgamma)
    betaGradient = Tensor(shape: [d], scalars: dbeta)
    return dx
  }

  public var parameters: [Tensor] {
    get { [gamma, beta] }
    set {
      precondition(newValue.count == 2 && newValue.allSatisfy { $0.count == gamma.count }, "LayerNorm parameter shapes")
      gamma = newValue[0]
      beta = newValue[1]
    }
  }
  public var gradients: [Tensor] { [gammaGradient, betaGradient] }
}

/// Softmax over the last axis (max-subtracted), as a layer.
public struct SoftmaxLayer: Layer {
  private var output = Tensor.zeros([0])
  public init() {}

  public mutating func forward(_ x: Tensor, training: Bool) -> Tensor {
    output = Softmax.softmax(x)
    return output
  }

  /// `dx = y · (dy − Σ dy·y)` per row.
  public mutating func backward(_ dy: Tensor) -> Tensor {
    let d = output.shape.last ?? 1
    var dx = dy
    for r in 0..<(dy.count / max(1, d)) {
      let base = r * d
      var dot: Float = 0
      for j in 0..<d { dot += dy.scalars[base + j] * output.scalars[base + j] }
      for j in 0..<d { dx.scalars[base + j] = output.scalars[base + j] * (dy.scalars[base + j] - dot) }
    }
    return dx
  }
}

/// `y = factor · x` for a fixed factor (the 1/√d of scaled dot-product attention).
public struct Scale: Layer {
  public let factor: Float
  public init(_ factor: Float) { self.factor = factor }
  public mutating func forward(_ x: Tensor, training: Bool) -> Tensor { x.map { $0 * factor } }
  public mutating func backward(_ dy: Tensor) -> Tensor { dy.map { $0 * factor } }
}

/// `y = x + p` with a learned `p` shaped like one sample, broadcast over the batch (a learned
/// position embedding).
public struct AddParameter: Layer {
  /// Shaped like one sample (no batch axis).
  public var value: Tensor
  private var gradient: Tensor

  public init(sampleShape: [Int], rng: inout SplitMix64, std: Float = 0.02) {
    value = Tensor.randomNormal(sampleShape, std: std, rng: &rng)
    gradient = .zeros(sampleShape)
  }

  public mutating func forward(_ x: Tensor, training: Bool) -> Tensor {
    let s = value.count
    precondition(s > 0 && x.count % s == 0, "AddParameter \(value.shape) got \(x.shape)")
    var y = x
    for i in 0..<y.count { y.scalars[i] += value.scalars[i % s] }
    return y
  }

  public mutating func backward(_ dy: Tensor) -> Tensor {
    let s = value.count
    var g = [Float](repeating: 0, count: s)
    for i in 0..<dy.count { g[i % s] += dy.scalars[i] }
    gradient = Tensor(shape: value.shape, scalars: g)
    return dy
  }

  public var parameters: [Tensor] {
    get { [value] }
    set {
      precondition(newValue.count == 1 && newValue[0].count == value.count, "AddParameter shape")
      value = newValue[0]
    }
  }
  public var gradients: [Tensor] { [gradient] }
}
