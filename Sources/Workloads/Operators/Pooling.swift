import HybrixCore

extension GraphBuilder {
  /// Max or average pooling over the spatial axes of `N × C × spatial…`.
  ///
  /// Output size per axis is ⌊(in + pads − dilation·(k−1) − 1) / stride⌋ + 1, or the ceiling when
  /// `ceilMode` (ONNX `ceil_mode`); each output element costs one operation per window element.
  public mutating func pool(
    _ name: String, _ function: String, _ x: TensorID, kernel: [Int], strides: [Int]? = nil,
    pads: [Int]? = nil, dilations: [Int]? = nil, ceilMode: Bool = false
  ) throws(ConfigError) -> TensorID {
    let xs = dims(x)
    let spatial = xs.count - 2
    let s = strides ?? [Int](repeating: 1, count: spatial)
    let p = pads ?? [Int](repeating: 0, count: 2 * spatial)
    let d = dilations ?? [Int](repeating: 1, count: spatial)
    guard spatial >= 1, kernel.count == spatial, s.count == spatial, p.count == 2 * spatial,
      d.count == spatial, kernel.allSatisfy({ $0 >= 1 }), s.allSatisfy({ $0 >= 1 }),
      p.allSatisfy({ $0 >= 0 }), d.allSatisfy({ $0 >= 1 })
    else {
      throw Self.shapeError(
        name, "kernel \(kernel), strides \(s), pads \(p) for input \(xs)",
        expected: "one kernel size and stride ≥ 1 and two pads ≥ 0 per spatial axis")
    }
    var out = Array(xs.prefix(2))
    for i in 0..<spatial {
      let span = try Self.window(kernel[i], dilation: d[i], name)
      let padded = try Self.sum([xs[2 + i], p[i], p[spatial + i]], "padded input", name)
      guard padded >= span else {
        throw Self.shapeError(
          name, "pooling window \(span) exceeds padded input \(padded) on spatial axis \(i)",
          expected: "an input at least as large as the window", hint: "check the image size")
      }
      var size = ceilMode ? (padded - span + s[i] - 1) / s[i] + 1 : (padded - span) / s[i] + 1
      // ONNX: with ceil mode, the last window must start inside the input or left padding.
      if ceilMode, (size - 1) * s[i] >= xs[2 + i] + p[i] { size -= 1 }
      out.append(size)
    }
    return try window(name, function, x, outDims: out, kernel: kernel, strides: s, pads: p)
  }

  /// Global pooling: one value per channel (`N × C × 1 × …`).
  public mutating func globalPool(_ name: String, _ function: String, _ x: TensorID)
    throws(ConfigError) -> TensorID
  {
    let xs = dims(x)
    guard xs.count >= 3 else {
      throw Self.shapeError(name, "input \(xs)", expected: "N × C × spatial…")
    }
    let kernel = Array(xs[2...])
    return try window(
      name, function, x, outDims: Array(xs.prefix(2)) + kernel.map { _ in 1 }, kernel: kernel,
      strides: kernel, pads: [Int](repeating: 0, count: 2 * kernel.count))
  }

  private mutating func window(
    _ name: String, _ function: String, _ x: TensorID, outDims: [Int], kernel: [Int],
    strides: [Int], pads: [Int]
  ) throws(ConfigError) -> TensorID {
    let y = try tensor(name, outDims, role: .activation)
    let windowSize = try Self.count(kernel, "window size", name)
    let ops = try Self.count([shape(y).elementCount, windowSize], "operation count", name)
    var attributes = OperatorAttributes()
    attributes.kernel = kernel
    attributes.strides = strides
    attributes.pads = pads
    attributes.function = function
    append(
      Operator(
        name: name, kind: .pooling, inputs: [x], outputs: [y], vectorOps: ops,
        operands: OperandElements(
          activationsIn: shape(x).elementCount, out: shape(y).elementCount),
        attributes: attributes))
    return y
  }
}
