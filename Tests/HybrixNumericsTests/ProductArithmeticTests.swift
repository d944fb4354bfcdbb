import HybrixCore
import Testing

@testable import HybrixNumerics

/// Exact products that also record which roles were asked for, with which shapes.
struct RecordingArithmetic: ProductArithmetic {
  var calls: [(ProductRole, [Int], [Int])] = []
  var name: String { "recording" }
  mutating func multiply(_ a: Tensor, _ b: Tensor, role: ProductRole) -> Tensor {
    calls.append((role, a.shape, b.shape))
    return GEMM.multiply(a, b)
  }
}

@Suite struct ProductArithmeticTests {
  /// The arithmetic path with exact products computes what the fast path computes.
  @Test(arguments: [
    Conv2DOptions(stride: 1, padding: 1), Conv2DOptions(stride: 2, padding: 1, dilation: 1, groups: 2),
    Conv2DOptions(strideH: 1, strideW: 2, padH: 0, padW: 1, dilationH: 2, dilationW: 1, groups: 4),
  ])
  func convolutionPathsAgree(_ options: Conv2DOptions) {
    var rng = SplitMix64(seed: 11)
    var fast = Conv2d(inChannels: 4, outChannels: 8, kernel: 3, options: options, rng: &rng)
    fast.bias = Tensor.randomNormal([8], rng: &rng)
    var slow = fast
    slow.arithmetic = RecordingArithmetic()
    let x = Tensor.randomNormal([3, 4, 9, 7], rng: &rng)
    let y1 = fast.forward(x, training: true), y2 = slow.forward(x, training: true)
    #expect(y1.shape == y2.shape)
    #expect(maxRelativeError(y1, y2) <= 1e-5)
    let dy = Tensor.randomNormal(y1.shape, rng: &rng)
    let dx1 = fast.backward(dy), dx2 = slow.backward(dy)
    #expect(maxRelativeError(dx1, dx2) <= 1e-5)
    for (g1, g2) in zip(fast.gradients, slow.gradients) { #expect(maxRelativeError(g1, g2) <= 1e-5) }
    let recorded = (slow.arithmetic as? RecordingArithmetic)?.calls ?? []
    let g = options.groups
    #expect(recorded.map(\.0) == Array(repeating: .forward, count: g) + Array(repeating: [.inputGradient, .weightGradient], count: g).flatMap { $0 })
    // Forward products see one (C/g)·kh·kw input vector per output pixel and [k, O/g] weights.
    #expect(recorded.first.map { $0.1[1] == 4 / g * 9 && $0.2 == [4 / g * 9, 8 / g] } == true)
  }

  @Test func linearPathsAgree() {
    var rng = SplitMix64(seed: 12)
    var fast = Linear(inputs: 7, outputs: 5, rng: &rng)
    fast.bias = Tensor.randomNormal([5], rng: &rng)
    var slow = fast
    slow.arithmetic = RecordingArithmetic()
    let x = Tensor.randomNormal([6, 7], rng: &rng)
    #expect(maxRelativeError(fast.forward(x, training: true), slow.forward(x, training: true)) <= 1e-6)
    let dy = Tensor.randomNormal([6, 5], rng: &rng)
    #expect(maxRelativeError(fast.backward(dy), slow.backward(dy)) <= 1e-6)
    for (g1, g2) in zip(fast.gradients, slow.gradients) { #expect(maxRelativeError(g1, g2) <= 1e-6) }
    let calls = (slow.arithmetic as? RecordingArithmetic)?.calls ?? []
    #expect(calls.map(\.0) == [.forward, .weightGradient, .inputGradient])
    #expect(calls.first.map { $0.1 == [6, 7] && $0.2 == [7, 5] } == true)
  }

  /// ``ProductLayer/productWeights`` and its setter are inverse, and the forward product of
  /// the matrix reproduces the layer (for a 1×1 image, a convolution is a matrix product).
  @Test func productWeightsRoundTrip() {
    var rng = SplitMix64(seed: 13)
    var conv = Conv2d(inChannels: 6, outChannels: 4, kernel: 1, options: .init(groups: 2), rng: &rng)
    let m = conv.productWeights
    #expect(m.shape == [3, 4])
    let before = conv.weight
    conv.setProductWeights(m)
    #expect(conv.weight == before)
    var lin = Linear(inputs: 3, outputs: 2, rng: &rng)
    let x = Tensor.randomNormal([4, 3], rng: &rng)
    #expect(maxRelativeError(GEMM.multiply(x, lin.productWeights), lin.forward(x, training: false)) <= 1e-6)
    lin.setProductWeights(lin.productWeights.map { $0 * 2 })
    #expect(maxRelativeError(GEMM.multiply(x, lin.productWeights), lin.forward(x, training: false)) <= 1e-6)
    #expect(Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]).transposed() == Tensor(shape: [3, 2], scalars: [1, 4, 2, 5, 3, 6]))
  }
}
