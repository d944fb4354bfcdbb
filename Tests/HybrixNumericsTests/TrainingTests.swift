import HybrixCore
import Testing

@testable import HybrixNumerics

/// Checks `backward` of `layer` against central finite differences of `L = Σ r ⊙ f(x)` (sum in
/// Float64) for up to `samples` entries of the input and of every parameter tensor.
/// Passes when `|analytic − numeric| ≤ tolerance · max(1, |analytic|, |numeric|)`.
func gradientCheck(
  _ layer: some Layer, input x: Tensor, seed: UInt64, step eps: Float = 1e-2, tolerance: Float = 1e-2,
  samples: Int = 12, sourceLocation: SourceLocation = #_sourceLocation
) {
  var rng = SplitMix64(seed: seed)
  var probe = layer
  let y = probe.forward(x, training: true)
  let r = Tensor.randomNormal(y.shape, rng: &rng)
  let dx = probe.backward(r)
  let grads = probe.gradients

  func loss(_ l: some Layer, _ input: Tensor) -> Double {
    var copy = l
    let out = copy.forward(input, training: true)
    return zip(out.scalars, r.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
  }
  func check(_ analytic: Float, _ plus: Double, _ minus: Double, _ what: String) {
    let numeric = Float((plus - minus) / (2 * Double(eps)))
    let err = abs(analytic - numeric) / max(1, abs(analytic), abs(numeric))
    #expect(err <= tolerance, "\(type(of: layer)) \(what): analytic \(analytic), numeric \(numeric)", sourceLocation: sourceLocation)
  }
  for _ in 0..<min(samples, x.count) {
    let i = Int(rng.next() % UInt64(x.count))
    var xp = x, xm = x
    xp.scalars[i] += eps
    xm.scalars[i] -= eps
    check(dx.scalars[i], loss(layer, xp), loss(layer, xm), "dx[\(i)]")
  }
  let params = layer.parameters
  for (t, p) in params.enumerated() {
    for _ in 0..<min(samples, p.count) {
      let i = Int(rng.next() % UInt64(p.count))
      var lp = layer, lm = layer
      var pp = params, pm = params
      pp[t].scalars[i] += eps
      pm[t].scalars[i] -= eps
      lp.parameters = pp
      lm.parameters = pm
      check(grads[t].scalars[i], loss(lp, x), loss(lm, x), "param \(t)[\(i)]")
    }
  }
}

/// Entries at least 0.1 away from 0 (so ReLU kinks are further than the finite-difference step).
func awayFromZero(_ shape: [Int], rng: inout SplitMix64) -> Tensor {
  Tensor.randomNormal(shape, rng: &rng).map { $0 >= 0 ? $0 + 0.1 : $0 - 0.1 }
}

/// Synthetic, seeded, linearly separable 2-class points in 2-D: label = [x·(1, −2) + 0.3 > 0],
/// with points within 0.1 of the boundary dropped.
func separableData(count: Int, seed: UInt64) -> (x: Tensor, labels: [Int]) {
  var rng = SplitMix64(seed: seed)
  var xs: [Float] = []
  var labels: [Int] = []
  while labels.count < count {
    let a = Float(rng.nextGaussian()), b = Float(rng.nextGaussian())
    let score = a - 2 * b + 0.3
    if abs(score) < 0.1 { continue }
    xs += [a, b]
    labels.append(score > 0 ? 1 : 0)
  }
  return (Tensor(shape: [count, 2], scalars: xs), labels)
}

func trainMLP(seed: UInt64, steps: Int, optimizer: some Optimizer) -> (model: Sequential, accuracy: Double) {
  var rng = SplitMix64(seed: seed)
  var model = Sequential([
    Linear(inputs: 2, outputs: 16, rng: &rng), ReLU(), Linear(inputs: 16, outputs: 2, rng: &rng),
  ])
  var opt = optimizer
  let (x, labels) = separableData(count: 256, seed: seed &+ 1)
  var order: [Int] = []
  for step in 0..<steps {
    let batch = 32
    if (step * batch) % x.shape[0] == 0 { order = Batching.shuffledIndices(count: x.shape[0], rng: &rng) }
    let start = (step * batch) % x.shape[0]
    let idx = Array(order[start..<(start + batch)])
    model.trainStep(Batching.gather(x, rows: idx), labels: idx.map { labels[$0] }, optimizer: &opt)
  }
  let predicted = model.predict(x)
  let correct = zip(predicted, labels).filter { $0 == $1 }.count
  return (model, Double(correct) / Double(labels.count))
}

@Suite struct TrainingTests {
  @Test func linearGradients() {
    var rng = SplitMix64(seed: 1)
    gradientCheck(Linear(inputs: 5, outputs: 4, rng: &rng), input: .randomNormal([3, 5], rng: &rng), seed: 2)
  }

  @Test(arguments: [
    Conv2DOptions(),
    Conv2DOptions(stride: 2, padding: 1),
    Conv2DOptions(padding: 2, dilation: 2, groups: 2),
    Conv2DOptions(stride: 2, padding: 1, groups: 4),  // depthwise
  ])
  func conv2dGradients(_ options: Conv2DOptions) {
    var rng = SplitMix64(seed: 3)
    var conv = Conv2d(inChannels: 4, outChannels: 4, kernel: 3, options: options, rng: &rng)
    conv.bias = .randomNormal([4], rng: &rng)
    gradientCheck(conv, input: .randomNormal([2, 4, 6, 5], rng: &rng), seed: 4)
  }

  @Test func reluGradients() {
    var rng = SplitMix64(seed: 5)
    gradientCheck(ReLU(), input: awayFromZero([4, 6], rng: &rng), seed: 6)
  }

  @Test func maxPoolGradients() {
    // Distinct values 0.05 apart: no window has a near-tie within the finite-difference step.
    var rng = SplitMix64(seed: 7)
    let values = Batching.shuffledIndices(count: 2 * 2 * 5 * 5, rng: &rng).map { Float($0) * 0.05 }
    let x = Tensor(shape: [2, 2, 5, 5], scalars: values)
    gradientCheck(MaxPool2d(kernel: 2), input: x, seed: 8)
    gradientCheck(MaxPool2d(kernel: 3, stride: 2, padding: 1), input: x, seed: 9)
  }

  @Test func batchNormGradients() {
    var rng = SplitMix64(seed: 10)
    var bn = BatchNorm2d(channels: 3)
    bn.gamma = .randomNormal([3], rng: &rng)
    bn.beta = .randomNormal([3], rng: &rng)
    gradientCheck(bn, input: .randomNormal([4, 3, 2, 2], rng: &rng), seed: 11, step: 1e-2, tolerance: 2e-2)
  }

  @Test func flattenAndSmallConvNetGradients() {
    var rng = SplitMix64(seed: 12)
    gradientCheck(Flatten(), input: .randomNormal([2, 3, 2, 2], rng: &rng), seed: 13)
    let net = Sequential([
      Conv2d(inChannels: 2, outChannels: 3, kernel: 3, options: .init(padding: 1), rng: &rng),
      BatchNorm2d(channels: 3), ReLU(), MaxPool2d(kernel: 2), Flatten(),
      Linear(inputs: 3 * 2 * 2, outputs: 3, rng: &rng),
    ])
    gradientCheck(net, input: .randomNormal([3, 2, 4, 4], rng: &rng), seed: 14, tolerance: 3e-2)
  }

  @Test func crossEntropyGradient() {
    var rng = SplitMix64(seed: 15)
    let logits = Tensor.randomNormal([3, 4], rng: &rng)
    let labels = [2, 0, 3]
    let (loss, grad) = SoftmaxCrossEntropy.lossAndGradient(logits: logits, labels: labels)
    #expect(loss > 0)
    let eps: Float = 1e-2
    for i in 0..<logits.count {
      var p = logits, m = logits
      p.scalars[i] += eps
      m.scalars[i] -= eps
      let numeric = (SoftmaxCrossEntropy.lossAndGradient(logits: p, labels: labels).loss
        - SoftmaxCrossEntropy.lossAndGradient(logits: m, labels: labels).loss) / (2 * eps)
      #expect(abs(numeric - grad.scalars[i]) <= 1e-3)
    }
  }

  @Test func sgdWithMomentumLearnsSeparableProblem() {
    let (_, accuracy) = trainMLP(seed: 42, steps: 200, optimizer: SGD(learningRate: 0.05, momentum: 0.9))
    #expect(accuracy >= 0.95)
  }

  @Test func adamLearnsSeparableProblem() {
    let (_, accuracy) = trainMLP(seed: 43, steps: 200, optimizer: Adam(learningRate: 0.01))
    #expect(accuracy >= 0.95)
  }

  @Test func sameSeedGivesBitIdenticalWeights() {
    let a = trainMLP(seed: 7, steps: 40, optimizer: Adam(learningRate: 0.01)).model.parameters
    let b = trainMLP(seed: 7, steps: 40, optimizer: Adam(learningRate: 0.01)).model.parameters
    let c = trainMLP(seed: 8, steps: 40, optimizer: Adam(learningRate: 0.01)).model.parameters
    #expect(a == b)
    #expect(a != c)
  }

  @Test func shuffleIsAPermutationAndSeeded() {
    var r1 = SplitMix64(seed: 3), r2 = SplitMix64(seed: 3)
    let p = Batching.shuffledIndices(count: 50, rng: &r1)
    #expect(p.sorted() == Array(0..<50))
    #expect(p == Batching.shuffledIndices(count: 50, rng: &r2))
    #expect(p != Array(0..<50))
  }

  @Test func batchNormInferenceUsesRunningStatistics() {
    var bn = BatchNorm2d(channels: 1, momentum: 1)
    let x = Tensor(shape: [4, 1, 1, 1], scalars: [1, 2, 3, 4])
    _ = bn.forward(x, training: true)
    #expect(bn.runningMean.scalars == [2.5])
    #expect(abs(bn.runningVariance.scalars[0] - 5.0 / 3) < 1e-6)  // unbiased
    let y = bn.forward(x, training: false)
    #expect(abs(y.scalars[0] - (1 - 2.5) / (5.0 / 3 + 1e-5).squareRoot()) < 1e-5)
  }
}
