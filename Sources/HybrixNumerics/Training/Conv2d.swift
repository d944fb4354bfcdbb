import HybrixCore

/// Trainable 2-D convolution on NCHW batches (groups, stride, padding and dilation supported);
/// forward and backward both go through im2col + ``GEMM``, or through ``arithmetic`` when set.
public struct Conv2d: ProductLayer {
  /// `[outChannels, inChannels / groups, kernel, kernel]`.
  public var weight: Tensor
  /// `[outChannels]`.
  public var bias: Tensor
  public let options: Conv2DOptions
  private var weightGradient: Tensor
  private var biasGradient: Tensor
  private var input = Tensor.zeros([0, 0, 0, 0])
  /// Arithmetic of every product; `nil` runs the exact im2col + GEMM fast path.
  public var arithmetic: (any ProductArithmetic)?

  /// He-initialised (fan-in = `inChannels / groups · kernel²`), zero bias.
  public init(inChannels: Int, outChannels: Int, kernel: Int, options: Conv2DOptions = .init(), rng: inout SplitMix64) {
    precondition(inChannels % options.groups == 0 && outChannels % options.groups == 0, "channels must divide into groups")
    let shape = [outChannels, inChannels / options.groups, kernel, kernel]
    weight = Initializers.heNormal(shape, fanIn: shape[1] * kernel * kernel, rng: &rng)
    bias = .zeros([outChannels])
    weightGradient = .zeros(shape)
    biasGradient = .zeros([outChannels])
    self.options = options
  }

  public mutating func forward(_ x: Tensor, training: Bool) -> Tensor {
    input = x
    if var arith = arithmetic {
      defer { arithmetic = arith }
      return forwardWithArithmetic(x, &arith)
    }
    return Convolution.conv2d(x, weight: weight, bias: bias, options: options)
  }

  public mutating func backward(_ dy: Tensor) -> Tensor {
    let x = input
    if var arith = arithmetic {
      let (dx, dw) = backwardWithArithmetic(dy, input: x, &arith)
      arithmetic = arith
      weightGradient = dw
      biasGradient = Self.biasGradient(dy)
      return dx
    }
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, cg, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
    let g = options.groups, og = o / g
    let (oh, ow) = options.outputSize(h: h, w: w, kh: kh, kw: kw)
    precondition(dy.shape == [n, o, oh, ow], "Conv2d.backward got \(dy.shape), expected \([n, o, oh, ow])")
    let rows = cg * kh * kw, cols = oh * ow
    var dx = [Float](repeating: 0, count: x.count)
    var dw = [Float](repeating: 0, count: weight.count)
    var columns = [Float](repeating: 0, count: rows * cols)
    var dColumns = [Float](repeating: 0, count: rows * cols)
    let opts = options
    x.scalars.withUnsafeBufferPointer { xp in
      dy.scalars.withUnsafeBufferPointer { dyp in
        weight.scalars.withUnsafeBufferPointer { wp in
          columns.withUnsafeMutableBufferPointer { colp in
            dColumns.withUnsafeMutableBufferPointer { dcolp in
              dx.withUnsafeMutableBufferPointer { dxp in
                dw.withUnsafeMutableBufferPointer { dwp in
                  guard let xb = xp.baseAddress, let dyb = dyp.baseAddress, let wb = wp.baseAddress,
                    let cb = colp.baseAddress, let dcb = dcolp.baseAddress, let dxb = dxp.baseAddress,
                    let dwb = dwp.baseAddress, rows > 0, cols > 0
                  else { return }
                  for img in 0..<n {
                    for grp in 0..<g {
                      let xg = xb + (img * c + grp * cg) * h * w
                      let dyg = dyb + (img * o + grp * og) * cols
                      // Columns are recomputed rather than cached: cheaper in memory, and
                      // im2col costs far less than the two GEMMs below.
                      Convolution.im2col(xg, channels: cg, h: h, w: w, kh: kh, kw: kw, options: opts, into: cb)
                      // dW_g += dY_g · colsᵀ
                      GEMM.sgemm(
                        m: og, n: rows, k: cols, a: dyg, lda: cols, b: cb, ldb: cols,
                        c: dwb + grp * og * rows, ldc: rows, beta: 1, transB: true)
                      // dCols = W_gᵀ · dY_g, then scatter back to pixels.
                      GEMM.sgemm(
                        m: rows, n: cols, k: og, a: wb + grp * og * rows, lda: rows, b: dyg, ldb: cols,
                        c: dcb, ldc: cols, transA: true)
                      Convolution.col2imAdding(dcb, channels: cg, h: h, w: w, kh: kh, kw: kw, options: opts, into: dxb + (img * c + grp * cg) * h * w)
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    weightGradient = Tensor(shape: weight.shape, scalars: dw)
    biasGradient = Self.biasGradient(dy)
    return Tensor(shape: x.shape, scalars: dx)
  }

  /// ∂L/∂bias: `dy` `[N, O, OH, OW]` summed over images and pixels.
  static func biasGradient(_ dy: Tensor) -> Tensor {
    let (n, o) = (dy.shape[0], dy.shape[1])
    let cols = dy.shape[2] * dy.shape[3]
    var db = [Float](repeating: 0, count: o)
    for img in 0..<n {
      for ch in 0..<o {
        let base = (img * o + ch) * cols
        for i in 0..<cols { db[ch] += dy.scalars[base + i] }
      }
    }
    return Tensor(shape: [o], scalars: db)
  }

  /// `[(C/g)·kh·kw, O]`: column j holds output channel j's kernel, flattened (C, kh, kw).
  public var productWeights: Tensor {
    weight.reshaped([weight.shape[0], weight.count / max(1, weight.shape[0])]).transposed()
  }

  public mutating func setProductWeights(_ matrix: Tensor) {
    precondition(matrix.shape == [weight.count / max(1, weight.shape[0]), weight.shape[0]], "Conv2d product weights \(matrix.shape)")
    weight = matrix.transposed().reshaped(weight.shape)
  }

  public var parameters: [Tensor] {
    get { [weight, bias] }
    set {
      precondition(newValue.count == 2 && newValue[0].shape == weight.shape && newValue[1].shape == bias.shape, "Conv2d parameter shapes")
      weight = newValue[0]
      bias = newValue[1]
    }
  }
  public var gradients: [Tensor] { [weightGradient, biasGradient] }
}
