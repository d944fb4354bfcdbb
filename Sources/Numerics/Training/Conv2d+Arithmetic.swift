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
  static func patches(_ x: Tensor, group grp: Int, kernel: (h: Int, w: Int), cg: Int, options: Conv2DOptions) -> Tensor {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow) = options.outputSize(h: h, w: w, kh: kernel.h, kw: kernel.w)
    let k = cg * kernel.h * kernel.w, cols = oh * ow
    var columns = [Float](repeating: 0, count: k * cols)
    var out = [Float](repeating: 0, count: n * cols * k)
    x.scalars.withUnsafeBufferPointer { xp in
      columns.withUnsafeMutableBufferPointer { cp in
        out.withUnsafeMutableBufferPointer { op in
          guard let xb = xp.baseAddress, let cb = cp.baseAddress, let ob = op.baseAddress, k > 0, cols > 0 else { return }
          for img in 0..<n {
            Convolution.im2col(
              xb + (img * c + grp * cg) * h * w, channels: cg, h: h, w: w, kh: kernel.h, kw: kernel.w,
              options: options, into: cb)
            let dst = ob + img * cols * k
            for r in 0..<k {
              for p in 0..<cols { dst[p * k + r] = cb[r * cols + p] }
            }
          }
        }
      }
    }
    return Tensor(shape: [n * cols, k], scalars: out)
  }

  /// The columns `[k, O/g]` of ``productWeights`` that belong to group `grp`.
  func groupWeights(_ b: Tensor, group grp: Int, og: Int) -> Tensor {
    let k = b.shape[0], o = b.shape[1]
    var out = [Float](repeating: 0, count: k * og)
    for r in 0..<k {
      for j in 0..<og { out[r * og + j] = b.scalars[r * o + grp * og + j] }
    }
    return Tensor(shape: [k, og], scalars: out)
  }

  mutating func forwardWithArithmetic(_ x: Tensor, _ arith: inout any ProductArithmetic) -> Tensor {
    let (n, _, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, cg, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
    let g = options.groups, og = o / g
    let (oh, ow) = options.outputSize(h: h, w: w, kh: kh, kw: kw)
    let cols = oh * ow
    let b = productWeights
    var y = [Float](repeating: 0, count: n * o * cols)
    for grp in 0..<g {
      let xg = Self.patches(x, group: grp, kernel: (kh, kw), cg: cg, options: options)
      let yg = arith.multiply(xg, groupWeights(b, group: grp, og: og), role: .forward)  // [P, og]
      for img in 0..<n {
        for j in 0..<og {
          let dst = (img * o + grp * og + j) * cols, bias = self.bias.scalars[grp * og + j]
          for p in 0..<cols { y[dst + p] = yg.scalars[(img * cols + p) * og + j] + bias }
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
