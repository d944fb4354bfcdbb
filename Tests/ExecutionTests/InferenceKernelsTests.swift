import HybrixCore
import HybrixNumerics
import Testing

@testable import Execution

/// The chain's inference kernels against the training layers' inference output, bit for bit.
@Suite struct InferenceKernelsTests {
  /// Max pooling, windows inside the plane (the row-at-a-time path) and with padding (the
  /// general path), on odd and even planes, with NaN and ±0 among the values.
  @Test(arguments: [(2, 2, 0), (3, 2, 0), (3, 1, 0), (2, 1, 0), (3, 3, 0), (3, 2, 1), (2, 2, 1)])
  func maxPoolIsTheLayersInferenceOutput(kernel: Int, stride: Int, padding: Int) {
    var rng = SplitMix64(seed: UInt64(kernel * 100 + stride * 10 + padding))
    for (h, w) in [(7, 7), (8, 6), (28, 28), (3, 5)] {
      let count = 3 * 2 * h * w
      let values: [Float] = (0..<count).map { i in
        i % 37 == 5 ? .nan : i % 29 == 3 ? -0.0 : i % 31 == 7 ? 0 : Float(rng.nextGaussian())
      }
      let x = Tensor(shape: [3, 2, h, w], scalars: values)
      var layer = MaxPool2d(kernel: kernel, stride: stride, padding: padding)
      let expected = layer.forward(x, training: false)
      let actual = InferenceKernels.maxPool(x, kernel: kernel, stride: stride, padding: padding)
      #expect(actual.shape == expected.shape, "\(h)×\(w)")
      #expect(actual.scalars.map(\.bitPattern) == expected.scalars.map(\.bitPattern), "k\(kernel) s\(stride) p\(padding) \(h)×\(w)")
      #expect(actual.count > 0)
    }
  }
}
