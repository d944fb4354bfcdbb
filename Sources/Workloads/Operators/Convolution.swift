import HybrixCore

extension GraphBuilder {
  /// Convolution over `N × C × spatial…` input with weight `C_out × C_in/groups × kernel…`.
  ///
  /// Output size per spatial axis is ⌊(in + pad_begin + pad_end − dilation·(k − 1) − 1) / stride⌋ + 1.
  /// Grouped and depthwise convolution lower to `groups` independent GEMMs (im2col), which is how
  /// a crossbar holds them.
  public mutating func conv(
    _ name: String, _ x: TensorID, weight w: TensorID, bias: TensorID? = nil,
    strides: [Int]? = nil, pads: [Int]? = nil, dilations: [Int]? = nil, groups: Int = 1
  ) throws(ConfigError) -> TensorID {
    let xs = dims(x)
    let ws = dims(w)
    let spatial = xs.count - 2
    guard spatial >= 1, ws.count == xs.count else {
      throw Self.shapeError(
        name, "input \(xs) and weight \(ws) ranks do not match",
        expected: "input N×C×spatial and weight C_out×C_in/groups×kernel of the same rank")
    }
    guard groups >= 1, xs[1] % groups == 0, ws[0] % groups == 0, xs[1] / groups == ws[1] else {
      throw Self.shapeError(
        name, "\(xs[1]) input channels, weight \(ws), groups \(groups)",
        expected: "C_in = weight[1] × groups and C_out divisible by groups")
    }
    let kernel = Array(ws[2...])
    let s = strides ?? [Int](repeating: 1, count: spatial)
    let d = dilations ?? [Int](repeating: 1, count: spatial)
    let p = pads ?? [Int](repeating: 0, count: 2 * spatial)
    guard s.count == spatial, d.count == spatial, p.count == 2 * spatial,
      s.allSatisfy({ $0 >= 1 }), d.allSatisfy({ $0 >= 1 }), p.allSatisfy({ $0 >= 0 })
    else {
      throw Self.shapeError(
        name, "strides \(s), dilations \(d), pads \(p) for \(spatial) spatial axes",
        expected: "\(spatial) strides ≥ 1, \(spatial) dilations ≥ 1 and \(2 * spatial) pads ≥ 0")
    }
    var outSpatial: [Int] = []
    for i in 0..<spatial {
      let span = try Self.window(kernel[i], dilation: d[i], name)
      let padded = try Self.sum([xs[2 + i], p[i], p[spatial + i]], "padded input", name)
      guard padded >= span else {
        throw Self.shapeError(
          name, "kernel span \(span) exceeds padded input \(padded) on spatial axis \(i)",
          expected: "an input at least as large as the kernel", hint: "check the image size")
      }
      outSpatial.append((padded - span) / s[i] + 1)
    }
    let outDims = [xs[0], ws[0]] + outSpatial
    let y = try tensor(name, outDims, role: .activation)
    let pixels = try Self.count([xs[0]] + outSpatial, "output pixels", name)
    let window = try Self.count(kernel, "kernel size", name)
    let gemm = MatMulShape(
      batch: groups, m: pixels, k: ws[1] * window, n: ws[0] / groups)
    let macs = try Self.count([groups, gemm.m, gemm.k, gemm.n], "MAC count", name)
    var params = shape(w).elementCount
    var inputs = [x, w]
    if let bias {
      params += shape(bias).elementCount
      inputs.append(bias)
    }
    var attributes = OperatorAttributes()
    attributes.kernel = kernel
    attributes.strides = s
    attributes.pads = p
    attributes.dilations = d
    attributes.groups = groups
    append(
      Operator(
        name: name, kind: .conv, inputs: inputs, outputs: [y], matmul: gemm,
        secondOperand: isStatic(w) ? .staticWeight : .dynamic, macs: macs,
        vectorOps: bias == nil ? 0 : shape(y).elementCount, parameterCount: params,
        operands: OperandElements(
          activationsIn: shape(x).elementCount, weights: params, out: shape(y).elementCount),
        attributes: attributes))
    return y
  }

  /// Convenience for the zoo: a square 2-D convolution that creates its own weight.
  public mutating func conv2d(
    _ name: String, _ x: TensorID, out: Int, kernel: Int, stride: Int = 1, pad: Int? = nil,
    groups: Int = 1, bias: Bool = false
  ) throws(ConfigError) -> TensorID {
    let cin = dims(x).count > 1 ? dims(x)[1] : 0
    let w = try weight("\(name).weight", [out, cin / max(groups, 1), kernel, kernel])
    let b = bias ? try weight("\(name).bias", [out]) : nil
    let p = pad ?? kernel / 2
    return try conv(
      name, x, weight: w, bias: b, strides: [stride, stride], pads: [p, p, p, p], groups: groups)
  }
}
