import HybrixCore
import HybrixNumerics
import Testing

@testable import Execution

/// The batched inference convolution against the per-image reference
/// (``HybrixNumerics/Convolution/conv2d(_:weight:bias:options:)``) over strides, paddings,
/// dilations, groups, kernel sizes and batches that span several patch chunks.
@Suite struct BatchedConvolutionTests {
  struct Case: CustomStringConvertible {
    var n, c, h, w, o, k: Int
    var options: Conv2DOptions
    var bias: Bool
    var description: String { "n\(n) c\(c) \(h)×\(w) o\(o) k\(k) \(options) bias \(bias)" }
  }

  static let cases: [Case] = {
    var all: [Case] = []
    for (stride, pad, dilation) in [(1, 1, 1), (1, 0, 1), (2, 1, 1), (1, 2, 2), (2, 0, 1), (3, 2, 1), (1, 3, 1)] {
      for (k, groups) in [(3, 1), (1, 1), (3, 2), (5, 1)] {
        all.append(Case(
          n: 3, c: 4, h: 9, w: 7, o: 6, k: k,
          options: Conv2DOptions(
            strideH: stride, strideW: stride, padH: pad, padW: pad, dilationH: dilation, dilationW: dilation,
            groups: groups),
          bias: k != 1))
      }
    }
    return all
  }()

  @Test(arguments: cases)
  func matchesPerImageConvolution(_ c: Case) {
    var rng = SplitMix64(seed: 7)
    let x = Tensor(shape: [c.n, c.c, c.h, c.w], scalars: rng.gaussians(count: c.n * c.c * c.h * c.w))
    let wShape = [c.o, c.c / c.options.groups, c.k, c.k]
    let weight = Tensor(shape: wShape, scalars: rng.gaussians(count: wShape.reduce(1, *)))
    let bias = c.bias ? Tensor(shape: [c.o], scalars: rng.gaussians(count: c.o)) : nil
    let expected = Convolution.conv2d(x, weight: weight, bias: bias, options: c.options)
    let got = BatchedConvolution.conv2d(x, weight: weight, bias: bias, options: c.options)
    #expect(got.shape == expected.shape)
    let worst = zip(got.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? 0
    #expect(worst <= 1e-4, "largest difference \(worst)")
    #expect(got.count > 0)
  }

  /// Batches larger than one patch chunk give what image-by-image runs give.
  @Test func chunksAddUp() {
    var rng = SplitMix64(seed: 3)
    let (n, c, h, w) = (40, 16, 28, 28)  // 144·784 values of patches per image: 18 images per chunk
    let x = Tensor(shape: [n, c, h, w], scalars: rng.gaussians(count: n * c * h * w))
    let weight = Tensor(shape: [8, c, 3, 3], scalars: rng.gaussians(count: 8 * c * 9))
    let options = Conv2DOptions(strideH: 1, strideW: 1, padH: 1, padW: 1)
    #expect(BatchedConvolution.chunkElements / (c * 9 * h * w) < n)
    let got = BatchedConvolution.conv2d(x, weight: weight, bias: nil, options: options)
    let expected = Convolution.conv2d(x, weight: weight, bias: nil, options: options)
    let worst = zip(got.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? 0
    #expect(worst <= 1e-3, "largest difference \(worst)")
  }
}
