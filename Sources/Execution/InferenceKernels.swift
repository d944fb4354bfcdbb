import HybrixCore
import HybrixNumerics

/// Inference-only loops for the layers around the convolutions — batch norm (optionally fused
/// with the ReLU after it), ReLU and max pooling — over raw buffers into uninitialised storage,
/// without what training keeps for the backward pass (inputs, arg-max indices). Each gives the
/// same values, bit for bit, as the training layer's inference-mode forward pass.
public enum InferenceKernels {
  /// `max(0, x)` elementwise (NaN gives 0, as ``HybrixNumerics/Activations/relu(_:)``).
  public static func relu(_ x: Tensor) -> Tensor {
    let count = x.count
    let y = [Float](unsafeUninitializedCapacity: count) { out, initialized in
      x.scalars.withUnsafeBufferPointer { xs in
        for i in 0..<count { out[i] = max(0, xs[i]) }
      }
      initialized = count
    }
    return Tensor(shape: x.shape, scalars: y)
  }

  /// `scale·x + shift` per channel of `x` `[N, C, …]` with scale = γ/√(var + ε) and
  /// shift = β − mean·scale (``HybrixNumerics/Normalization/batchNormInference``'s formula),
  /// then `max(0, ·)` when `relu`.
  public static func batchNorm(
    _ x: Tensor, mean: Tensor, variance: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float, relu: Bool
  ) -> Tensor {
    precondition(x.rank >= 2, "batch norm needs [N, C, …], got \(x.shape)")
    let (n, c) = (x.shape[0], x.shape[1])
    for t in [mean, variance, gamma, beta] { precondition(t.shape == [c], "per-channel tensor \(t.shape), expected [\(c)]") }
    let inner = x.shape.dropFirst(2).reduce(1, *)
    var scale = [Float](repeating: 0, count: c), shift = [Float](repeating: 0, count: c)
    for ch in 0..<c {
      scale[ch] = gamma.scalars[ch] / (variance.scalars[ch] + epsilon).squareRoot()
      shift[ch] = beta.scalars[ch] - mean.scalars[ch] * scale[ch]
    }
    let count = x.count
    let y = [Float](unsafeUninitializedCapacity: count) { out, initialized in
      x.scalars.withUnsafeBufferPointer { xs in
        for img in 0..<n {
          for ch in 0..<c {
            let (s, t) = (scale[ch], shift[ch])
            let base = (img * c + ch) * inner
            if relu {
              for i in base..<(base + inner) { out[i] = max(0, xs[i] * s + t) }
            } else {
              for i in base..<(base + inner) { out[i] = xs[i] * s + t }
            }
          }
        }
      }
      initialized = count
    }
    return Tensor(shape: x.shape, scalars: y)
  }

  /// Window maxima of `x` `[N, C, H, W]` (square `kernel`, `stride`, zero `padding` not taken
  /// into the maximum), as ``HybrixNumerics/Pooling/maxPool2d(_:kernel:stride:padding:)``: the
  /// first in-bounds value of the window, replaced by each later one that is greater.
  public static func maxPool(_ x: Tensor, kernel: Int, stride: Int, padding: Int) -> Tensor {
    precondition(x.rank == 4, "maxPool needs NCHW, got \(x.shape)")
    let options = Conv2DOptions(stride: stride, padding: padding)
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow) = options.outputSize(h: h, w: w, kh: kernel, kw: kernel)
    let count = n * c * oh * ow
    if padding == 0, oh > 0, ow > 0, kernel > 0 {
      return Tensor(shape: [n, c, oh, ow], scalars: maxPoolInside(x, kernel: kernel, stride: stride, oh: oh, ow: ow))
    }
    let y = [Float](unsafeUninitializedCapacity: count) { out, initialized in
      x.scalars.withUnsafeBufferPointer { xs in
        var o = 0
        for plane in 0..<(n * c) {
          let base = plane * h * w
          for oy in 0..<oh {
            let y0 = max(0, oy * stride - padding), y1 = min(h, oy * stride - padding + kernel)
            for ox in 0..<ow {
              let x0 = max(0, ox * stride - padding), x1 = min(w, ox * stride - padding + kernel)
              var best = -Float.infinity
              var first = true
              for iy in y0..<max(y0, y1) {
                for ix in x0..<max(x0, x1) {
                  let v = xs[base + iy * w + ix]
                  if first || v > best {
                    best = v
                    first = false
                  }
                }
              }
              out[o] = best
              o += 1
            }
          }
        }
      }
      initialized = count
    }
    return Tensor(shape: [n, c, oh, ow], scalars: y)
  }

  /// ``maxPool(_:kernel:stride:padding:)`` without padding, where every window lies inside the
  /// plane: a row of outputs at a time, starting from each window's first value and taking each
  /// later one where it is greater, in the same (ky, kx) order — the same result bit for bit
  /// (NaN included), with the output row as the inner loop.
  static func maxPoolInside(_ x: Tensor, kernel: Int, stride: Int, oh: Int, ow: Int) -> [Float] {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let count = n * c * oh * ow
    return [Float](unsafeUninitializedCapacity: count) { out, initialized in
      defer { initialized = count }
      x.scalars.withUnsafeBufferPointer { xb in
        guard let xs = xb.baseAddress, let ys = out.baseAddress else { return }
        for plane in 0..<(n * c) {
          for oy in 0..<oh {
            let dst = ys + (plane * oh + oy) * ow
            let top = xs + plane * h * w + oy * stride * w
            for ox in 0..<ow { dst[ox] = top[ox &* stride] }
            for ky in 0..<kernel {
              let row = top + ky * w
              for kx in 0..<kernel where ky > 0 || kx > 0 {
                let src = row + kx
                for ox in 0..<ow {
                  let v = src[ox &* stride]
                  dst[ox] = v > dst[ox] ? v : dst[ox]
                }
              }
            }
          }
        }
      }
    }
  }
}
