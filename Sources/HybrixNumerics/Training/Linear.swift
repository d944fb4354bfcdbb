import HybrixCore

/// Fully connected layer `y = x · Wᵀ + b` on `[N, inputs]` batches, or on `[N, …, inputs]`
/// (every leading position, e.g. every token, through the same weights).
public struct Linear: ProductLayer {
  /// `[outputs, inputs]` (PyTorch layout).
  public var weight: Tensor
  /// `[outputs]`.
  public var bias: Tensor
  private var weightGradient: Tensor
  private var biasGradient: Tensor
  private var input = Tensor.zeros([0, 0])
  /// The leading axes of the latest input (`[N]`, or `[N, tokens]`).
  private var leading: [Int] = [0]
  /// Arithmetic of every product; `nil` runs the exact ``GEMM`` fast path.
  public var arithmetic: (any ProductArithmetic)?

  /// He-initialised weights, zero bias (see ``Initializers/heNormal(_:fanIn:rng:)``).
  public init(inputs: Int, outputs: Int, rng: inout SplitMix64) {
    weight = Initializers.heNormal([outputs, inputs], fanIn: inputs, rng: &rng)
    bias = .zeros([outputs])
    weightGradient = .zeros([outputs, inputs])
    biasGradient = .zeros([outputs])
  }

  public mutating func forward(_ x3: Tensor, training: Bool) -> Tensor {
    precondition(x3.rank >= 2 && x3.shape.last == weight.shape[1], "Linear expects [N, \(weight.shape[1])], got \(x3.shape)")
    leading = Array(x3.shape.dropLast())
    let x = x3.rank == 2 ? x3 : x3.reshaped([x3.count / weight.shape[1], weight.shape[1]])
    input = x
    var y: Tensor
    if var arith = arithmetic {
      y = arith.multiply(x, weight.transposed(), role: .forward)
      arithmetic = arith
    } else {
      y = GEMM.multiply(x, weight, transposeB: true)
    }
    let o = bias.count
    for r in 0..<x.shape[0] {
      for j in 0..<o { y.scalars[r * o + j] += bias.scalars[j] }
    }
    return leading.count == 1 ? y : y.reshaped(leading + [o])
  }

  public mutating func backward(_ dy3: Tensor) -> Tensor {
    let dx = backward2d(dy3.rank == 2 ? dy3 : dy3.reshaped([input.shape[0], weight.shape[0]]))
    return leading.count == 1 ? dx : dx.reshaped(leading + [weight.shape[1]])
  }

  private mutating func backward2d(_ dy: Tensor) -> Tensor {
    if var arith = arithmetic {
      weightGradient = arith.multiply(dy.transposed(), input, role: .weightGradient)
      biasGradient = Self.biasGradient(dy)
      let dx = arith.multiply(dy, weight, role: .inputGradient)
      arithmetic = arith
      return dx
    }
    weightGradient = GEMM.multiply(dy, input, transposeA: true)
    biasGradient = Self.biasGradient(dy)
    return GEMM.multiply(dy, weight)
  }

  /// ∂L/∂bias: `dy` `[N, outputs]` summed over the batch.
  static func biasGradient(_ dy: Tensor) -> Tensor {
    let o = dy.shape[1]
    var db = [Float](repeating: 0, count: o)
    for r in 0..<dy.shape[0] {
      for j in 0..<o { db[j] += dy.scalars[r * o + j] }
    }
    return Tensor(shape: [o], scalars: db)
  }

  /// `[inputs, outputs]`, the transpose of ``weight``.
  public var productWeights: Tensor { weight.transposed() }

  public mutating func setProductWeights(_ matrix: Tensor) {
    precondition(matrix.shape == [weight.shape[1], weight.shape[0]], "Linear product weights \(matrix.shape)")
    weight = matrix.transposed()
  }

  public var parameters: [Tensor] {
    get { [weight, bias] }
    set {
      precondition(newValue.count == 2 && newValue[0].shape == weight.shape && newValue[1].shape == bias.shape, "Linear parameter shapes")
      weight = newValue[0]
      bias = newValue[1]
    }
  }
  public var gradients: [Tensor] { [weightGradient, biasGradient] }
}

/// Seeded weight initialisation.
public enum Initializers {
  /// Normal entries with standard deviation `√(2 / fanIn)`, the Kaiming/He initialisation for
  /// ReLU networks (He et al., "Delving Deep into Rectifiers", ICCV 2015, §2.2).
  public static func heNormal(_ shape: [Int], fanIn: Int, rng: inout SplitMix64) -> Tensor {
    Tensor.randomNormal(shape, std: (2 / Float(max(1, fanIn))).squareRoot(), rng: &rng)
  }
}
