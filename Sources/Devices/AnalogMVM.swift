import HybrixCore
import Numerics

/// One forward pass of an analog tile: quantize in → analog product → noise, quantize out.
///
/// For each input row x: α = max|x| under ABS_MAX (else 1); x̃ = DAC(x / (α·2ᵏ)); y = x̃·W
/// (the `matmul` closure); ỹ = ADC(y + σ_out·ξ); output ỹ·α·2ᵏ. Under ITERATIVE bound
/// management k starts at 0 and grows by one while any |y + σ_out·ξ| of that row reaches the ADC
/// bound (recomputed with fresh noise), up to the limit. All-zero rows give exactly 0.
/// Weights are in normalized units (LionHeart maps each column's max |w| to 1, see
/// ``forwardColumnScaled(_:weights:matmul:rng:)``) [aihwkit analog forward, `IBM/aihwkit`
/// src/aihwkit/simulator/parameters/io.py; RPUCuda `forward_backward_pass`].
public struct AnalogMVM: Sendable, Hashable {
  public var io: AnalogIO

  public init(io: AnalogIO = .lionHeart) { self.io = io }

  /// Statistics of the last call, for tests and reports.
  public struct Stats: Sendable, Hashable {
    /// Number of input rows recomputed at least once because the ADC saturated.
    public var rowsRescaled = 0
    /// Largest number of halvings applied to any row.
    public var maxHalvings = 0
  }

  /// Outputs [b, n] for inputs `x` [b, k] and weights [k, n].
  public func forward(
    _ x: Tensor, weights: Tensor, matmul: (Tensor, Tensor) -> Tensor, rng: inout SplitMix64
  ) -> Tensor {
    var stats = Stats()
    return forward(x, weights: weights, matmul: matmul, rng: &rng, stats: &stats)
  }

  public func forward(
    _ x: Tensor, weights: Tensor, matmul: (Tensor, Tensor) -> Tensor, rng: inout SplitMix64,
    stats: inout Stats
  ) -> Tensor {
    precondition(x.rank == 2 && weights.rank == 2 && x.shape[1] == weights.shape[0],
      "inputs \(x.shape) and weights \(weights.shape) do not chain")
    let (b, k, n) = (x.shape[0], x.shape[1], weights.shape[1])
    var out = [Float](repeating: 0, count: b * n)
    var alpha = [Float](repeating: 1, count: b)
    if io.noiseManagement == .absMax {
      for r in 0..<b { alpha[r] = x.scalars[(r * k)..<((r + 1) * k)].reduce(0) { max($0, abs($1)) } }
    }
    let limit: Int
    switch io.boundManagement {
    case .none: limit = 0
    case .iterative(let m): limit = max(0, m)
    }
    var pending = (0..<b).filter { alpha[$0] > 0 }
    var halvings = 0
    while !pending.isEmpty {
      let scale = Float(1 << halvings)
      var xin = [Float](repeating: 0, count: pending.count * k)
      for (i, r) in pending.enumerated() {
        let denom = alpha[r] * scale
        for j in 0..<k { xin[i * k + j] = io.dac.quantize(x.scalars[r * k + j] / denom) }
      }
      let y = matmul(Tensor(shape: [pending.count, k], scalars: xin), weights)
      var saturated: [Int] = []
      for (i, r) in pending.enumerated() {
        var hit = false
        for j in 0..<n {
          var v = y.scalars[i * n + j]
          if io.outputNoise > 0 { v += io.outputNoise * Float(rng.nextGaussian()) }
          if abs(v) >= io.adc.bound { hit = true }
          out[r * n + j] = io.adc.quantize(v) * alpha[r] * scale
        }
        if hit && halvings < limit { saturated.append(r) }
      }
      if !saturated.isEmpty {
        if halvings == 0 { stats.rowsRescaled += saturated.count }
        halvings += 1
        stats.maxHalvings = halvings
      }
      pending = saturated
    }
    return Tensor(shape: [b, n], scalars: out)
  }

  /// Column-wise weight scaling (aihwkit `weight_scaling_omega = 1`, column-wise): each column of
  /// `weights` is divided by its max |w| before the tile and the outputs multiplied back digitally.
  public func forwardColumnScaled(
    _ x: Tensor, weights: Tensor, matmul: (Tensor, Tensor) -> Tensor, rng: inout SplitMix64
  ) -> Tensor {
    let (k, n) = (weights.shape[0], weights.shape[1])
    var colMax = [Float](repeating: 0, count: n)
    for i in 0..<k { for j in 0..<n { colMax[j] = max(colMax[j], abs(weights.scalars[i * n + j])) } }
    var wn = weights
    for i in 0..<k { for j in 0..<n where colMax[j] > 0 { wn.scalars[i * n + j] /= colMax[j] } }
    var y = forward(x, weights: wn, matmul: matmul, rng: &rng)
    for r in 0..<y.shape[0] { for j in 0..<n { y.scalars[r * n + j] *= colMax[j] } }
    return y
  }
}
