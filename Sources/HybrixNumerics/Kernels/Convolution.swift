/// Geometry of a 2-D convolution or pooling window over NCHW tensors (PyTorch `Conv2d` semantics).
public struct Conv2DOptions: Hashable, Sendable {
  /// Step between window positions, in pixels (height, width).
  public var stride: (h: Int, w: Int) { (strideH, strideW) }
  public var strideH: Int, strideW: Int
  /// Zeros added on each side, in pixels (symmetric: top = bottom, left = right).
  public var padH: Int, padW: Int
  /// Spacing between kernel taps, in pixels; 1 is a dense kernel.
  public var dilationH: Int, dilationW: Int
  /// Channel groups: input and output channels split into `groups` independent convolutions
  /// (`groups == inChannels` is depthwise).
  public var groups: Int

  public init(stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1) {
    self.init(strideH: stride, strideW: stride, padH: padding, padW: padding, dilationH: dilation, dilationW: dilation, groups: groups)
  }

  public init(strideH: Int, strideW: Int, padH: Int, padW: Int, dilationH: Int = 1, dilationW: Int = 1, groups: Int = 1) {
    precondition(strideH > 0 && strideW > 0 && dilationH > 0 && dilationW > 0 && groups > 0, "conv options must be positive")
    precondition(padH >= 0 && padW >= 0, "negative padding")
    (self.strideH, self.strideW, self.padH, self.padW) = (strideH, strideW, padH, padW)
    (self.dilationH, self.dilationW, self.groups) = (dilationH, dilationW, groups)
  }

  /// Output (height, width) for an input of `h`×`w` and a `kh`×`kw` kernel:
  /// `⌊(h + 2·pad − dilation·(k − 1) − 1) / stride⌋ + 1`.
  public func outputSize(h: Int, w: Int, kh: Int, kw: Int) -> (h: Int, w: Int) {
    let oh = (h + 2 * padH - dilationH * (kh - 1) - 1) / strideH + 1
    let ow = (w + 2 * padW - dilationW * (kw - 1) - 1) / strideW + 1
    return (max(0, oh), max(0, ow))
  }
}

/// 2-D convolution (cross-correlation, as in every DL framework) by im2col + GEMM.
///
/// Each image and group is unfolded into a `[C/g·kh·kw, OH·OW]` column matrix (Chellapilla et
/// al., "High Performance Convolutional Neural Networks for Document Processing", 2006) and
/// multiplied by the group's `[O/g, C/g·kh·kw]` weights with ``GEMM/sgemm``.
public enum Convolution {
  /// `y[n, o, oy, ox] = bias[o] + Σ x[n, c, oy·s − p + ky·d, ox·s − p + kx·d] · w[o, c, ky, kx]`.
  ///
  /// - Parameters:
  ///   - x: Input `[N, C, H, W]`.
  ///   - weight: `[O, C / groups, kh, kw]`; `O` must be a multiple of `groups`.
  ///   - bias: `[O]`, or nil.
  /// - Returns: `[N, O, OH, OW]`, see ``Conv2DOptions/outputSize(h:w:kh:kw:)``.
  /// - Complexity: 2·N·O·OH·OW·(C/g)·kh·kw flops plus an im2col buffer of (C/g)·kh·kw·OH·OW floats.
  public static func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, options: Conv2DOptions = .init()) -> Tensor {
    precondition(x.rank == 4 && weight.rank == 4, "conv2d needs NCHW input and OIHW weights, got \(x.shape), \(weight.shape)")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, cg, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
    let g = options.groups
    precondition(c == cg * g && o % g == 0, "channels \(c) in, \(o) out do not split into \(g) groups of \(cg)")
    if let bias { precondition(bias.shape == [o], "bias shape \(bias.shape), expected [\(o)]") }
    let (oh, ow) = options.outputSize(h: h, w: w, kh: kh, kw: kw)
    let og = o / g, rows = cg * kh * kw, cols = oh * ow
    var y = [Float](repeating: 0, count: n * o * cols)
    var columns = [Float](repeating: 0, count: rows * cols)
    x.scalars.withUnsafeBufferPointer { xp in
      weight.scalars.withUnsafeBufferPointer { wp in
        columns.withUnsafeMutableBufferPointer { colp in
          y.withUnsafeMutableBufferPointer { yp in
            guard let xb = xp.baseAddress, let wb = wp.baseAddress, let cb = colp.baseAddress, let yb = yp.baseAddress,
              rows > 0, cols > 0
            else { return }
            for img in 0..<n {
              for grp in 0..<g {
                im2col(xb + (img * c + grp * cg) * h * w, channels: cg, h: h, w: w, kh: kh, kw: kw, options: options, into: cb)
                GEMM.sgemm(
                  m: og, n: cols, k: rows, a: wb + grp * og * rows, lda: rows, b: cb, ldb: cols,
                  c: yb + (img * o + grp * og) * cols, ldc: cols)
              }
            }
          }
        }
      }
    }
    if let bias {
      for img in 0..<n {
        for ch in 0..<o {
          let base = (img * o + ch) * cols
          for i in 0..<cols { y[base + i] += bias.scalars[ch] }
        }
      }
    }
    return Tensor(shape: [n, o, oh, ow], scalars: y)
  }

  /// Unfolds one `[channels, h, w]` image into `[channels·kh·kw, OH·OW]` columns (zeros where the
  /// window hangs over the padding).
  public static func im2col(
    _ x: UnsafePointer<Float>, channels: Int, h: Int, w: Int, kh: Int, kw: Int, options: Conv2DOptions,
    into cols: UnsafeMutablePointer<Float>
  ) {
    let (oh, ow) = options.outputSize(h: h, w: w, kh: kh, kw: kw)
    var row = 0
    for ch in 0..<channels {
      let plane = x + ch * h * w
      for ky in 0..<kh {
        for kx in 0..<kw {
          let out = cols + row * oh * ow
          for oy in 0..<oh {
            let iy = oy * options.strideH - options.padH + ky * options.dilationH
            let dst = out + oy * ow
            if iy < 0 || iy >= h {
              for ox in 0..<ow { dst[ox] = 0 }
              continue
            }
            let src = plane + iy * w
            for ox in 0..<ow {
              let ix = ox * options.strideW - options.padW + kx * options.dilationW
              dst[ox] = (ix >= 0 && ix < w) ? src[ix] : 0
            }
          }
          row += 1
        }
      }
    }
  }

  /// The adjoint of ``im2col(_:channels:h:w:kh:kw:options:into:)``: adds each column entry back
  /// into the pixel it was read from (used for the input gradient of a convolution).
  public static func col2imAdding(
    _ cols: UnsafePointer<Float>, channels: Int, h: Int, w: Int, kh: Int, kw: Int, options: Conv2DOptions,
    into x: UnsafeMutablePointer<Float>
  ) {
    let (oh, ow) = options.outputSize(h: h, w: w, kh: kh, kw: kw)
    var row = 0
    for ch in 0..<channels {
      let plane = x + ch * h * w
      for ky in 0..<kh {
        for kx in 0..<kw {
          let src = cols + row * oh * ow
          for oy in 0..<oh {
            let iy = oy * options.strideH - options.padH + ky * options.dilationH
            if iy < 0 || iy >= h { continue }
            for ox in 0..<ow {
              let ix = ox * options.strideW - options.padW + kx * options.dilationW
              if ix >= 0 && ix < w { plane[iy * w + ix] += src[oy * ow + ox] }
            }
          }
          row += 1
        }
      }
    }
  }
}
