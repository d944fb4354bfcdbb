import HybrixCore

/// The convolution path used when a ``ProductArithmetic`` is set: each group's products are
/// formed over the whole batch as patch matrices, so a device model sees what a crossbar sees —
/// one input vector of (C/g)·kh·kw values per output pixel and the weights `[k, n]` as stored.
///
/// With P = N·OH·OW output pixels and X_g the `[P, k]` patch matrix of group g:
/// forward Y_g = X_g · B_g; input gradient dX_g = dY_g · B_gᵀ (then col2im); weight gradient
/// dB_g = X_gᵀ · dY_g, where B_g = W_gᵀ is `[k, O/g]`.
extension Conv2d {
  /// `[P, k]` patches of group `grp` for the whole batch, P = N·OH·OW in (image, oy, ox) order.
  ///
  /// Row p holds the window of output pixel p in ``Convolution/im2col(_:channels:h:w:kh:kw:options:into:)``
  /// order (channel, ky, kx), zeros in the padding: the transpose of im2col's columns, written
  /// directly so that each patch is one contiguous store.
  static func patches(_ x: Tensor, group grp: Int, kernel: (h: Int, w: Int), cg: Int, options: Conv2DOptions) -> Tensor {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow) = options.outputSize(h: h, w: w, kh: kernel.h, kw: kernel.w)
    let (kh, kw) = kernel
    let k = cg * kh * kw, cols = oh * ow
    let (sh, sw, ph, pw) = (options.strideH, options.strideW, options.padH, options.padW)
    let (dh, dw) = (options.dilationH, options.dilationW)
    let out = [Float](unsafeUninitializedCapacity: n * cols * k) { buffer, initialized in
      defer { initialized = n * cols * k }
      guard let ob = buffer.baseAddress, k > 0, cols > 0 else { return }
      x.scalars.withUnsafeBufferPointer { xp in
        guard let xb = xp.baseAddress else { return }
        for img in 0..<n {
          let image = xb + (img * c + grp * cg) * h * w
          for oy in 0..<oh {
            let y0 = oy &* sh &- ph
            for ox in 0..<ow {
              var dst = ob + ((img &* oh &+ oy) &* ow &+ ox) &* k
              let x0 = ox &* sw &- pw
              let inside = x0 >= 0 && x0 &+ (kw &- 1) &* dw < w  // every kx in the image
              for ch in 0..<cg {
                let plane = image + ch &* h &* w
                for ky in 0..<kh {
                  let iy = y0 &+ ky &* dh
                  if iy < 0 || iy >= h {
                    for kx in 0..<kw { dst[kx] = 0 }
                  } else if inside {
                    let src = plane + (iy &* w &+ x0)
                    for kx in 0..<kw { dst[kx] = src[kx &* dw] }
                  } else {
                    let src = plane + iy &* w
                    for kx in 0..<kw {
                      let ix = x0 &+ kx &* dw
                      dst[kx] = (ix >= 0 && ix < w) ? src[ix] : 0
                    }
                  }
                  dst += kw
                }
              }
            }
          }
        }
      }
    }
    return Tensor(shape: [n * cols, k], scalars: out)
  }

  /// The columns `[k, O/g]` of ``productWeights`` that belong to group `grp`.
  func groupWeights(_ b: Tensor, group grp: Int, og: Int) -> Tensor {
    b.columns((grp * og)..<((grp + 1) * og))
  }

  mutating func forwardWithArithmetic(_ x: Tensor, _ arith: inout any ProductArithmetic) -> Tensor {
    let (n, _, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, cg, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
    let g = options.groups, og = o / g
    let (oh, ow) = options.outputSize(h: h, w: w, kh: kh, kw: kw)
    let cols = oh * ow
    let b = productWeights
    var y = [Float](unsafeUninitializedCapacity: n * o * cols) { _, initialized in
      initialized = n * o * cols  // every element is written below, group by group
    }
    for grp in 0..<g {
      let xg = Self.patches(x, group: grp, kernel: (kh, kw), cg: cg, options: options)
      let yg = arith.multiply(xg, groupWeights(b, group: grp, og: og), role: .forward)  // [P, og]
      precondition(yg.shape == [n * cols, og], "arithmetic returned \(yg.shape), expected [\(n * cols), \(og)]")
      // [P, og] → NCHW plus bias, a pixel tile at a time so that reads and writes stay in cache.
      yg.scalars.withUnsafeBufferPointer { yp in
        y.withUnsafeMutableBufferPointer { dp in
          guard let src = yp.baseAddress, let dst = dp.baseAddress else { return }
          self.bias.scalars.withUnsafeBufferPointer { bp in
            for img in 0..<n {
              for p0 in stride(from: 0, to: cols, by: 64) {
                let p1 = min(cols, p0 + 64)
                for j in 0..<og {
                  let d = dst + (img * o + grp * og + j) * cols, bias = bp[grp * og + j]
                  let s = src + img * cols * og + j
                  for p in p0..<p1 { d[p] = s[p &* og] + bias }
                }
              }
            }
          }
        }
      }
    }
    return Tensor(shape: [n, o, oh, ow], scalars: y)
  }

  /// Returns (dx, dW) for `dy` through the arithmetic's input- and weight-gradient products.
  func backwardWithArithmetic(_ dy: Tensor, input x: Tensor, _ arith: inout any ProductArithmetic) -> (Tensor, Tensor) {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, cg, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
    let g = options.groups, og = o / g
    let (oh, ow) = options.outputSize(h: h, w: w, kh: kh, kw: kw)
    let cols = oh * ow, k = cg * kh * kw
    let b = productWeights
    var dx = [Float](repeating: 0, count: x.count)
    var dB = [Float](repeating: 0, count: k * o)
    for grp in 0..<g {
      var dyg = [Float](repeating: 0, count: n * cols * og)  // [P, og]
      for img in 0..<n {
        for j in 0..<og {
          let src = (img * o + grp * og + j) * cols
          for p in 0..<cols { dyg[(img * cols + p) * og + j] = dy.scalars[src + p] }
        }
      }
      let dY = Tensor(shape: [n * cols, og], scalars: dyg)
      let bg = groupWeights(b, group: grp, og: og)
      let dXg = arith.multiply(dY, bg.transposed(), role: .inputGradient)  // [P, k]
      let xg = Self.patches(x, group: grp, kernel: (kh, kw), cg: cg, options: options)
      let dBg = arith.multiply(xg.transposed(), dY, role: .weightGradient)  // [k, og]
      for r in 0..<k {
        for j in 0..<og { dB[r * o + grp * og + j] = dBg.scalars[r * og + j] }
      }
      // Back to [k, OH·OW] columns per image, then scatter into pixels.
      var columns = [Float](repeating: 0, count: k * cols)
      for img in 0..<n {
        for r in 0..<k {
          for p in 0..<cols { columns[r * cols + p] = dXg.scalars[(img * cols + p) * k + r] }
        }
        columns.withUnsafeBufferPointer { cp in
          dx.withUnsafeMutableBufferPointer { dp in
            guard let cb = cp.baseAddress, let db = dp.baseAddress else { return }
            Convolution.col2imAdding(
              cb, channels: cg, h: h, w: w, kh: kh, kw: kw, options: options,
              into: db + (img * c + grp * cg) * h * w)
          }
        }
      }
    }
    let dW = Tensor(shape: [k, o], scalars: dB).transposed().reshaped(weight.shape)
    return (Tensor(shape: x.shape, scalars: dx), dW)
  }
}
