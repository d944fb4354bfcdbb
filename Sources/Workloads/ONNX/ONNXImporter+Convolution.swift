import HybrixCore

extension ONNXImporter.Converter {
  /// Strides, pads and dilations of a convolution or pooling window, with `auto_pad` resolved.
  struct WindowGeometry {
    var strides: [Int]
    var pads: [Int]
    var dilations: [Int]
    /// Whether explicit pads were given (`auto_pad` NOTSET), which is when `ceil_mode` applies.
    var explicitPads: Bool
  }

  /// Conv: `X[N, C, spatial…] ⊛ W[M, C/group, kernel…] (+ B[M])`.
  mutating func convertConv(_ n: NodeContext) throws(ConfigError) {
    let x = try tensor(n, 0, "X")
    let w = try tensor(n, 1, "W")
    let xs = dims(x)
    let ws = dims(w)
    guard xs.count >= 3, ws.count == xs.count else {
      throw ConfigError(
        message: "input \(xs) and weight \(ws)",
        expected: "X[N, C, spatial…] and W[M, C/group, kernel…] of the same rank ≥ 3")
    }
    let kernel = Array(ws[2...])
    if let k = try ints(n, "kernel_shape"), k != kernel {
      throw ConfigError(
        path: "attribute.kernel_shape",
        message: "kernel_shape \(k) but the weight \(ws) has kernel \(kernel)",
        expected: "the weight's spatial dimensions")
    }
    let group = try int(n, "group", default: 1)
    let (channels, overflow) = ws[1].multipliedReportingOverflow(by: group)
    guard group >= 1, !overflow, channels == xs[1], ws[0] % group == 0 else {
      throw ConfigError(
        path: "attribute.group", message: "group \(group) with input \(xs) and weight \(ws)",
        expected: "C = W[1] × group and M divisible by group")
    }
    let g = try geometry(n, input: Array(xs[2...]), kernel: kernel)
    let y = try builder.conv(
      n.name, x, weight: w, bias: input(n, 2)?.id, strides: g.strides, pads: g.pads,
      dilations: g.dilations, groups: group)
    setOutput(n, 0, y)
  }

  /// MaxPool, AveragePool and LpPool, with `ceil_mode` and MaxPool's optional indices output.
  mutating func convertPool(_ n: NodeContext) throws(ConfigError) {
    let x = try tensor(n, 0, "X")
    let xs = dims(x)
    guard xs.count >= 3 else {
      throw ConfigError(message: "input \(xs)", expected: "X[N, C, spatial…]")
    }
    guard let kernel = try ints(n, "kernel_shape") else {
      throw ConfigError(
        path: "attribute.kernel_shape", message: "\(n.opType) without kernel_shape",
        expected: "one window size per spatial axis")
    }
    guard kernel.count == xs.count - 2 else {
      throw ConfigError(
        path: "attribute.kernel_shape", message: "kernel_shape \(kernel) for input \(xs)",
        expected: "\(xs.count - 2) window sizes")
    }
    let g = try geometry(n, input: Array(xs[2...]), kernel: kernel)
    let ceil = try int(n, "ceil_mode", default: 0) != 0 && g.explicitPads
    let function = ["MaxPool": "maxpool", "AveragePool": "avgpool"][n.opType] ?? "lppool"
    let y = try builder.pool(
      n.name, function, x, kernel: kernel, strides: g.strides, pads: g.pads,
      dilations: g.dilations, ceilMode: ceil)
    setOutput(n, 0, y)
    if outputName(n, 1) != nil {
      let indices = try builder.move("\(n.name).indices", "pool-indices", [y], outDims: dims(y))
      setOutput(n, 1, indices, elemType: ONNXDataType.int64)
    }
  }

  /// Reads strides, pads, dilations and auto_pad, checking every size so that the builder's
  /// window arithmetic cannot overflow.
  func geometry(_ n: NodeContext, input: [Int], kernel: [Int]) throws(ConfigError) -> WindowGeometry {
    let rank = input.count
    let strides = try ints(n, "strides") ?? [Int](repeating: 1, count: rank)
    let dilations = try ints(n, "dilations") ?? [Int](repeating: 1, count: rank)
    var pads = try ints(n, "pads") ?? [Int](repeating: 0, count: 2 * rank)
    for (name, list, count, least) in [
      ("strides", strides, rank, 1), ("dilations", dilations, rank, 1), ("pads", pads, 2 * rank, 0),
      ("kernel_shape", kernel, rank, 1),
    ] {
      guard list.count == count, list.allSatisfy({ $0 >= least }) else {
        throw ConfigError(
          path: "attribute.\(name)", message: "\(name) \(list) for \(rank) spatial axes",
          expected: "\(count) values ≥ \(least)")
      }
    }
    let autoPad = try string(n, "auto_pad", default: "NOTSET")
    for i in 0..<rank {
      let what = "the window of spatial axis \(i)"
      let span = try Checked.sum(try Checked.product([dilations[i], kernel[i] - 1], what), 1, what)
      switch autoPad {
      case "NOTSET", "": break
      case "VALID": (pads[i], pads[rank + i]) = (0, 0)
      case "SAME_UPPER", "SAME_LOWER":
        let out = (input[i] - 1) / strides[i] + 1
        let reach = try Checked.sum(try Checked.product([out - 1, strides[i]], what), span, what)
        let total = max(0, reach - input[i])
        let small = total / 2
        let big = total - small
        (pads[i], pads[rank + i]) = autoPad == "SAME_UPPER" ? (small, big) : (big, small)
      default:
        throw ConfigError(
          path: "attribute.auto_pad", message: "auto_pad '\(autoPad)'",
          expected: "NOTSET, SAME_UPPER, SAME_LOWER or VALID")
      }
      let padded = try Checked.sum(
        [input[i], pads[i], pads[rank + i], strides[i]], "the padded size of spatial axis \(i)")
      _ = padded
    }
    let explicit = autoPad == "NOTSET" || autoPad.isEmpty
    return WindowGeometry(strides: strides, pads: pads, dilations: dilations, explicitPads: explicit)
  }
}
