/// Max, average and global-average pooling over NCHW tensors (PyTorch `MaxPool2d`/`AvgPool2d`
/// semantics with `ceil_mode = false`).
public enum Pooling {
  /// Window maximum; padded positions never win. Also returns, for every output element, the
  /// flat index into `x.scalars` of the element it copied (the route for the gradient).
  ///
  /// - Parameters:
  ///   - x: `[N, C, H, W]`.
  ///   - kernel: Window side, in pixels.
  ///   - stride: Step, in pixels (defaults to `kernel`).
  ///   - padding: Implicit −∞ border, in pixels.
  public static func maxPool2dWithIndices(_ x: Tensor, kernel: Int, stride: Int? = nil, padding: Int = 0) -> (output: Tensor, indices: [Int]) {
    precondition(x.rank == 4, "maxPool2d needs NCHW, got \(x.shape)")
    let options = Conv2DOptions(stride: stride ?? kernel, padding: padding)
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow) = options.outputSize(h: h, w: w, kh: kernel, kw: kernel)
    let count = n * c * oh * ow
    var indices = [Int](repeating: -1, count: count)
    // Raw buffers: indexing the arrays inside the window loops (a uniqueness check per store and a
    // bounds check per load) made pooling a sixth of a small CNN's inference time.
    let out = [Float](unsafeUninitializedCapacity: count) { ob, initialized in
      defer { initialized = count }
      x.scalars.withUnsafeBufferPointer { xs in
        indices.withUnsafeMutableBufferPointer { ib in
          var o = 0
          for plane in 0..<(n * c) {
            let base = plane * h * w
            for oy in 0..<oh {
              for ox in 0..<ow {
                var best = -Float.infinity
                var bestIndex = -1
                for ky in 0..<kernel {
                  let iy = oy * options.strideH - padding + ky
                  if iy < 0 || iy >= h { continue }
                  for kx in 0..<kernel {
                    let ix = ox * options.strideW - padding + kx
                    if ix < 0 || ix >= w { continue }
                    let v = xs[base + iy * w + ix]
                    if v > best || bestIndex < 0 {
                      best = v
                      bestIndex = base + iy * w + ix
                    }
                  }
                }
                ob[o] = best
                ib[o] = bestIndex
                o += 1
              }
            }
          }
        }
      }
    }
    return (Tensor(shape: [n, c, oh, ow], scalars: out), indices)
  }

  /// Window maximum, see ``maxPool2dWithIndices(_:kernel:stride:padding:)``.
  public static func maxPool2d(_ x: Tensor, kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
    maxPool2dWithIndices(x, kernel: kernel, stride: stride, padding: padding).output
  }

  /// Window mean over the in-bounds pixels only (`count_include_pad = false`).
  public static func avgPool2d(_ x: Tensor, kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
    precondition(x.rank == 4, "avgPool2d needs NCHW, got \(x.shape)")
    let options = Conv2DOptions(stride: stride ?? kernel, padding: padding)
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow) = options.outputSize(h: h, w: w, kh: kernel, kw: kernel)
    var out = [Float](repeating: 0, count: n * c * oh * ow)
    var o = 0
    for plane in 0..<(n * c) {
      let base = plane * h * w
      for oy in 0..<oh {
        for ox in 0..<ow {
          var sum: Float = 0
          var count = 0
          for ky in 0..<kernel {
            let iy = oy * options.strideH - padding + ky
            if iy < 0 || iy >= h { continue }
            for kx in 0..<kernel {
              let ix = ox * options.strideW - padding + kx
              if ix < 0 || ix >= w { continue }
              sum += x.scalars[base + iy * w + ix]
              count += 1
            }
          }
          out[o] = count > 0 ? sum / Float(count) : 0
          o += 1
        }
      }
    }
    return Tensor(shape: [n, c, oh, ow], scalars: out)
  }

  /// Mean over each `H×W` plane: `[N, C, H, W]` → `[N, C, 1, 1]`.
  public static func globalAvgPool2d(_ x: Tensor) -> Tensor {
    precondition(x.rank == 4, "globalAvgPool2d needs NCHW, got \(x.shape)")
    let planes = x.shape[0] * x.shape[1]
    let size = x.shape[2] * x.shape[3]
    var out = [Float](repeating: 0, count: planes)
    for p in 0..<planes where size > 0 {
      var s: Float = 0
      for i in 0..<size { s += x.scalars[p * size + i] }
      out[p] = s / Float(size)
    }
    return Tensor(shape: [x.shape[0], x.shape[1], 1, 1], scalars: out)
  }
}
