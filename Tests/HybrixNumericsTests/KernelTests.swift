import Foundation
import HybrixCore
import Testing

@testable import HybrixNumerics

/// Direct 7-loop convolution in Float64: the oracle for im2col + GEMM.
func referenceConv(_ x: Tensor, _ w: Tensor, bias: Tensor?, _ o: Conv2DOptions) -> Tensor {
  let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
  let (oc, cg, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
  let (oh, ow) = o.outputSize(h: h, w: wd, kh: kh, kw: kw)
  let og = oc / o.groups
  var y = Tensor.zeros([n, oc, oh, ow])
  for b in 0..<n {
    for k in 0..<oc {
      let g = k / og
      for oy in 0..<oh {
        for ox in 0..<ow {
          var s = Double(bias?.scalars[k] ?? 0)
          for ci in 0..<cg {
            for ky in 0..<kh {
              for kx in 0..<kw {
                let iy = oy * o.strideH - o.padH + ky * o.dilationH
                let ix = ox * o.strideW - o.padW + kx * o.dilationW
                guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
                let xv = x.scalars[((b * c + g * cg + ci) * h + iy) * wd + ix]
                s += Double(xv) * Double(w.scalars[((k * cg + ci) * kh + ky) * kw + kx])
              }
            }
          }
          y.scalars[((b * oc + k) * oh + oy) * ow + ox] = Float(s)
        }
      }
    }
  }
  return y
}

@Suite struct KernelTests {
  struct ConvCase: CustomStringConvertible, Sendable {
    var c: Int, o: Int, h: Int, w: Int, k: Int, options: Conv2DOptions
    var description: String { "C\(c)→O\(o) \(h)×\(w) k\(k) \(options)" }
  }

  static let convCases: [ConvCase] = [
    ConvCase(c: 3, o: 4, h: 7, w: 6, k: 3, options: .init()),
    ConvCase(c: 3, o: 5, h: 9, w: 8, k: 3, options: .init(stride: 2, padding: 1)),
    ConvCase(c: 4, o: 6, h: 8, w: 8, k: 3, options: .init(padding: 2, dilation: 2, groups: 2)),
    ConvCase(c: 6, o: 6, h: 7, w: 7, k: 3, options: .init(stride: 2, padding: 1, groups: 6)),  // depthwise
    ConvCase(c: 2, o: 3, h: 5, w: 9, k: 1, options: .init(strideH: 1, strideW: 2, padH: 0, padW: 1)),
    ConvCase(c: 2, o: 2, h: 6, w: 5, k: 5, options: .init(padding: 2)),
  ]

  @Test(arguments: convCases) func convolutionMatchesDirectLoops(_ t: ConvCase) {
    var rng = SplitMix64(seed: UInt64(t.c * 100 + t.o * 10 + t.k))
    let x = Tensor.randomNormal([2, t.c, t.h, t.w], rng: &rng)
    let w = Tensor.randomNormal([t.o, t.c / t.options.groups, t.k, t.k], rng: &rng)
    let b = Tensor.randomNormal([t.o], rng: &rng)
    let expected = referenceConv(x, w, bias: b, t.options)
    let got = Convolution.conv2d(x, weight: w, bias: b, options: t.options)
    #expect(got.shape == expected.shape)
    #expect(maxRelativeError(got, expected) <= 1e-4, "\(t)")
  }

  @Test func maxAndAveragePooling() {
    let x = Tensor(shape: [1, 1, 4, 4], scalars: (0..<16).map { Float(($0 * 7) % 16) })
    // rows: [0 7 14 5] [12 3 10 1] [8 15 6 13] [4 11 2 9]
    #expect(Pooling.maxPool2d(x, kernel: 2).scalars == [12, 14, 15, 13])
    #expect(Pooling.avgPool2d(x, kernel: 2).scalars == [5.5, 7.5, 9.5, 7.5])
    // Padding 1, stride 2, kernel 3: corner windows see only in-bounds pixels.
    let (pooled, idx) = Pooling.maxPool2dWithIndices(x, kernel: 3, stride: 2, padding: 1)
    #expect(pooled.scalars == [12, 14, 15, 15])
    #expect(idx.map { x.scalars[$0] } == pooled.scalars)
    #expect(Pooling.avgPool2d(x, kernel: 3, stride: 2, padding: 1).scalars[0] == Float(0 + 7 + 12 + 3) / 4)
    #expect(Pooling.globalAvgPool2d(x).scalars == [7.5])
  }

  @Test func activationsMatchFormulas() {
    let x = Tensor(shape: [7], scalars: [-30, -2, -0.5, 0, 0.5, 2, 30])
    #expect(Activations.relu(x).scalars == [0, 0, 0, 0, 0.5, 2, 30])
    let gelu = Activations.gelu(x).scalars
    let sig = Activations.sigmoid(x).scalars
    let th = Activations.tanh(x).scalars
    for (i, v) in x.scalars.enumerated() {
      let d = Double(v)
      #expect(abs(Double(gelu[i]) - d * 0.5 * (1 + erf(d / 2.0.squareRoot()))) <= 1e-5)
      #expect(abs(Double(sig[i]) - 1 / (1 + exp(-d))) <= 1e-6)
      #expect(abs(Double(th[i]) - Foundation.tanh(d)) <= 1e-6)
    }
    #expect(sig.allSatisfy { $0.isFinite })
  }

  @Test func softmaxIsStableAndNormalised() {
    let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 1000, 1001, 1002])
    let s = Softmax.softmax(x)
    let ref: [Double] = { let e = [1.0, 2, 3].map { exp($0) }; let z = e.reduce(0, +); return e.map { $0 / z } }()
    for r in 0..<2 {
      for j in 0..<3 { #expect(abs(Double(s[r, j]) - ref[j]) <= 1e-6) }
    }
    let ls = Softmax.logSoftmax(x)
    for r in 0..<2 {
      for j in 0..<3 { #expect(abs(Double(ls[r, j]) - log(ref[j])) <= 1e-5) }
    }
  }

  @Test func batchNormMatchesLoop() {
    var rng = SplitMix64(seed: 5)
    let x = Tensor.randomNormal([2, 3, 2, 2], rng: &rng)
    let mean = Tensor(shape: [3], scalars: [0.1, -0.2, 0.3])
    let variance = Tensor(shape: [3], scalars: [1, 0.5, 2])
    let gamma = Tensor(shape: [3], scalars: [1, 2, -1])
    let beta = Tensor(shape: [3], scalars: [0, 0.5, 1])
    let y = Normalization.batchNormInference(x, mean: mean, variance: variance, gamma: gamma, beta: beta, epsilon: 1e-3)
    for n in 0..<2 {
      for c in 0..<3 {
        for i in 0..<2 {
          for j in 0..<2 {
            let ref = gamma.scalars[c] * (x[n, c, i, j] - mean.scalars[c]) / (variance.scalars[c] + 1e-3).squareRoot() + beta.scalars[c]
            #expect(abs(y[n, c, i, j] - ref) <= 1e-5)
          }
        }
      }
    }
  }

  @Test func layerNormMatchesLoop() {
    var rng = SplitMix64(seed: 6)
    let x = Tensor.randomNormal([3, 5], rng: &rng)
    let gamma = Tensor.randomNormal([5], rng: &rng)
    let beta = Tensor.randomNormal([5], rng: &rng)
    let y = Normalization.layerNorm(x, gamma: gamma, beta: beta)
    for r in 0..<3 {
      let row = (0..<5).map { Double(x[r, $0]) }
      let mean = row.reduce(0, +) / 5
      let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 5
      for j in 0..<5 {
        let ref = (row[j] - mean) / (variance + 1e-5).squareRoot() * Double(gamma[j]) + Double(beta[j])
        #expect(abs(Double(y[r, j]) - ref) <= 1e-5)
      }
    }
  }
}
