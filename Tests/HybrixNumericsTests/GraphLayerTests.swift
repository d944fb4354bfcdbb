import HybrixCore
import Testing

@testable import HybrixNumerics

/// Checks `backward` of a join against central finite differences of `L = Σ r ⊙ f(xs)` for up to
/// `samples` entries of every input; returns the number of entries checked.
@discardableResult
func joinGradientCheck(
  _ join: some JoinLayer, inputs xs: [Tensor], seed: UInt64, step eps: Float = 1e-2,
  tolerance: Float = 1e-2, samples: Int = 12, sourceLocation: SourceLocation = #_sourceLocation
) -> Int {
  var rng = SplitMix64(seed: seed)
  var probe = join
  let y = probe.forward(xs, training: true)
  let r = Tensor.randomNormal(y.shape, rng: &rng)
  let dxs = probe.backward(r)
  #expect(dxs.count == xs.count && zip(dxs, xs).allSatisfy { $0.shape == $1.shape }, sourceLocation: sourceLocation)
  func loss(_ inputs: [Tensor]) -> Double {
    var copy = join
    let out = copy.forward(inputs, training: true)
    return zip(out.scalars, r.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
  }
  var checked = 0
  for k in xs.indices {
    for _ in 0..<min(samples, xs[k].count) {
      let i = Int(rng.next() % UInt64(xs[k].count))
      var plus = xs, minus = xs
      plus[k].scalars[i] += eps
      minus[k].scalars[i] -= eps
      let numeric = Float((loss(plus) - loss(minus)) / (2 * Double(eps)))
      let analytic = dxs[k].scalars[i]
      let err = abs(analytic - numeric) / max(1, abs(analytic), abs(numeric))
      #expect(err <= tolerance, "\(type(of: join)) input \(k)[\(i)]: analytic \(analytic), numeric \(numeric)", sourceLocation: sourceLocation)
      checked += 1
    }
  }
  return checked
}

@Suite struct GraphLayerTests {
  /// Each new layer's backward matches finite differences (12 entries of the input and of each
  /// parameter; relative error ≤ 1e-2 with a step of 1e-2, as the chain layers' checks).
  @Test func newLayersMatchFiniteDifferences() {
    var rng = SplitMix64(seed: 41)
    let tokens = Tensor.randomNormal([2, 5, 6], rng: &rng)
    gradientCheck(GELU(), input: tokens, seed: 1)
    var norm = LayerNorm(features: 6)
    norm.parameters = [Tensor.randomNormal([6], rng: &rng), Tensor.randomNormal([6], rng: &rng)]
    gradientCheck(norm, input: tokens, seed: 2)
    gradientCheck(SoftmaxLayer(), input: tokens, seed: 3)
    gradientCheck(Scale(0.25), input: tokens, seed: 4)
    gradientCheck(AddParameter(sampleShape: [5, 6], rng: &rng, std: 1), input: tokens, seed: 5)
    gradientCheck(Transpose(perm: [0, 2, 1]), input: tokens, seed: 6)
    gradientCheck(Reshape(sampleShape: [30]), input: tokens, seed: 7)
    gradientCheck(Linear(inputs: 6, outputs: 3, rng: &rng), input: tokens, seed: 8)
    gradientCheck(GlobalAvgPool2d(), input: Tensor.randomNormal([2, 3, 4, 5], rng: &rng), seed: 9)
  }

  /// The joins: a residual sum, a channel concatenation, and the product of two activations
  /// (exact and through an arithmetic), 12 entries of each input each.
  @Test func joinsMatchFiniteDifferences() {
    var rng = SplitMix64(seed: 42)
    let a = Tensor.randomNormal([2, 3, 4, 5], rng: &rng)
    let b = Tensor.randomNormal([2, 3, 4, 5], rng: &rng)
    var checked = joinGradientCheck(Sum(), inputs: [a, b], seed: 1)
    checked += joinGradientCheck(Concat(axis: 1), inputs: [a, Tensor.randomNormal([2, 2, 4, 5], rng: &rng)], seed: 2)
    checked += joinGradientCheck(Concat(axis: 3), inputs: [a, Tensor.randomNormal([2, 3, 4, 1], rng: &rng)], seed: 3)
    let q = Tensor.randomNormal([2, 3, 4, 5], rng: &rng)
    let k = Tensor.randomNormal([2, 3, 5, 6], rng: &rng)
    checked += joinGradientCheck(ActivationProduct(), inputs: [q, k], seed: 4)
    var viaArithmetic = ActivationProduct()
    viaArithmetic.arithmetic = ExactArithmetic()
    checked += joinGradientCheck(viaArithmetic, inputs: [q, k], seed: 5)
    #expect(checked == 10 * 12)
  }

  /// The activation product equals a per-batch GEMM, and with an arithmetic set it routes each
  /// batch matrix's forward product and both gradient products through it.
  @Test func activationProductIsABatchedGEMM() {
    var rng = SplitMix64(seed: 43)
    let q = Tensor.randomNormal([3, 4, 5], rng: &rng)
    let k = Tensor.randomNormal([3, 5, 2], rng: &rng)
    var p = ActivationProduct()
    let y = p.forward([q, k], training: true)
    #expect(y.shape == [3, 4, 2])
    for i in 0..<3 {
      let qi = Tensor(shape: [4, 5], scalars: Array(q.scalars[(i * 20)..<((i + 1) * 20)]))
      let ki = Tensor(shape: [5, 2], scalars: Array(k.scalars[(i * 10)..<((i + 1) * 10)]))
      #expect(Array(y.scalars[(i * 8)..<((i + 1) * 8)]) == GEMM.multiply(qi, ki).scalars)
    }
  }

  /// Transpose permutes like an index formula and its inverse restores the input.
  @Test func transposeFollowsTheIndexFormula() {
    var rng = SplitMix64(seed: 44)
    let x = Tensor.randomNormal([2, 3, 4, 5], rng: &rng)
    let perm = [0, 2, 3, 1]
    let y = Transpose.permute(x, perm)
    #expect(y.shape == [2, 4, 5, 3])
    var mismatches = 0
    for n in 0..<2 {
      for c in 0..<3 {
        for h in 0..<4 {
          for w in 0..<5 where y.scalars[((n * 4 + h) * 5 + w) * 3 + c] != x.scalars[((n * 3 + c) * 4 + h) * 5 + w] {
            mismatches += 1
          }
        }
      }
    }
    #expect(mismatches == 0)
    var t = Transpose(perm: perm)
    _ = t.forward(x, training: true)
    #expect(t.backward(y) == x)
  }
}
