import HybrixCore
import HybrixNumerics

extension ONNXExecutor {
  /// Conv: `Y[N, M, out…] = X[N, C, in…] ⊛ W[M, C/group, kernel…] (+ B[M])`, any number of
  /// spatial axes, with groups, strides, dilations, explicit or automatic padding.
  ///
  /// Exact 2-D convolutions with symmetric padding use ``BatchedConvolution/conv2d(_:weight:bias:options:)``;
  /// every other case forms, per group, the `[N·∏out, (C/group)·∏kernel]` patch matrix and
  /// multiplies it by the group's weight columns: through the node's ``ProductArithmetic`` when
  /// one is set (as ``Conv2d`` does), else by ``GEMM``.
  mutating func conv(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.float(0, "X")
    let w = try n.float(1, "W")
    let bias = try n.optionalFloat(2, "B")
    guard x.rank >= 3, w.rank == x.rank else {
      throw n.mismatch("input \(x.shape) and weight \(w.shape)", expected: "X[N, C, spatial…] and W[M, C/group, kernel…]")
    }
    let kernel = Array(w.shape[2...])
    if let k = try n.sizes("kernel_shape", least: 1), k != kernel {
      throw ConfigError(
        path: "attribute.kernel_shape", message: "kernel_shape \(k) but the weight \(w.shape) has kernel \(kernel)",
        expected: "the weight's spatial dimensions")
    }
    let group = try n.int("group", default: 1)
    let (m, cg) = (w.shape[0], w.shape[1])
    guard group >= 1, group <= Int64(m), Int(group) * cg == x.shape[1], m % Int(group) == 0 else {
      throw ConfigError(
        path: "attribute.group", message: "group \(group) with input \(x.shape) and weight \(w.shape)",
        expected: "C = W[1] × group and M divisible by group")
    }
    if let bias, bias.shape != [m] {
      throw n.mismatch("bias \(bias.shape) for weight \(w.shape)", expected: "B[\(m)]")
    }
    let g = Int(group)
    let window = try ONNXWindow(n, input: Array(x.shape[2...]), kernel: kernel)
    let outShape = [x.shape[0], m] + window.output
    _ = try n.elementCount(outShape, "the output of \(n.name)")
    _ = try n.elementCount(
      [x.shape[0], window.outputCount, cg, window.kernelCount], "the patch matrix of \(n.name)")
    let arithmetic = hasArithmetic(n.name)
    if !arithmetic, x.rank == 4, window.padBegin == window.padEnd {
      let options = Conv2DOptions(
        strideH: window.strides[0], strideW: window.strides[1], padH: window.padBegin[0],
        padW: window.padBegin[1], dilationH: window.dilations[0], dilationW: window.dilations[1], groups: g)
      return [.float(BatchedConvolution.conv2d(x, weight: w, bias: bias, options: options))]
    }
    let (batch, og) = (x.shape[0], m / g)
    let k = cg * window.kernelCount
    let positions = window.outputCount
    let taps = window.taps()
    let plane = window.input.reduce(1, *)
    var y = [Float](repeating: 0, count: batch * m * positions)
    let options2D: Conv2DOptions? =
      x.rank == 4 && window.padBegin == window.padEnd
      ? Conv2DOptions(
        strideH: window.strides[0], strideW: window.strides[1], padH: window.padBegin[0],
        padW: window.padBegin[1], dilationH: window.dilations[0], dilationW: window.dilations[1], groups: g)
      : nil
    for grp in 0..<g {
      var patches: [Float]
      if let options2D {
        // Rows of patches from the fast column unfolding, transposed (same values).
        patches = BatchedConvolution.patchRows(
          x, channels: grp * cg..<((grp + 1) * cg), kh: kernel[0], kw: kernel[1], options: options2D)
      } else {
      patches = [Float](repeating: 0, count: batch * positions * k)
      for img in 0..<batch {
        for c in 0..<cg {
          let base = (img * x.shape[1] + grp * cg + c) * plane
          for p in 0..<positions {
            let row = (img * positions + p) * k + c * window.kernelCount
            for q in 0..<window.kernelCount {
              let t = taps[p * window.kernelCount + q]
              if t >= 0 { patches[row + q] = x.scalars[base + t] }
            }
          }
        }
      }
      }
      let a = Tensor(shape: [batch * positions, k], scalars: patches)
      let yg: Tensor
      if let viaArithmetic = productWithArithmetic(n.name, a, columns: (grp * og)..<((grp + 1) * og)) {
        yg = viaArithmetic
      } else {
        let wg = Tensor(shape: [og, k], scalars: Array(w.scalars[(grp * og * k)..<((grp + 1) * og * k)]))
        yg = GEMM.multiply(a, wg, transposeB: true)
      }
      y.withUnsafeMutableBufferPointer { yb in
        yg.scalars.withUnsafeBufferPointer { gb in
          for img in 0..<batch {
            for j in 0..<og {
              let channel = grp * og + j
              let dst = (img * m + channel) * positions
              let b = bias?.scalars[channel] ?? 0
              let src = img * positions * og + j
              for p in 0..<positions { yb[dst + p] = gb[src + p * og] + b }
            }
          }
        }
      }
    }
    return [.float(Tensor(shape: outShape, scalars: y))]
  }
}
