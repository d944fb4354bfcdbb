import HybrixCore

/// The sliding-window geometry shared by Conv and the pooling operators: per spatial axis, the
/// kernel, stride, dilation, the padding before and after, and the output size.
///
/// `auto_pad` follows the ONNX specification: `SAME_UPPER`/`SAME_LOWER` give
/// `out = ⌈in / stride⌉` with the odd padding at the end (upper) or the start (lower); `VALID`
/// pads nothing; `NOTSET` uses `pads`. With explicit pads the output is
/// `⌊(in + begin + end − dilation·(k − 1) − 1) / stride⌋ + 1`, rounded up instead under
/// `ceil_mode`, where a last window that would start in the end padding is dropped.
struct ONNXWindow {
  var input: [Int]
  var kernel: [Int]
  var strides: [Int]
  var dilations: [Int]
  var padBegin: [Int]
  var padEnd: [Int]
  var output: [Int]
  /// ∏ output and ∏ kernel, checked for overflow.
  var outputCount = 0
  var kernelCount = 0

  /// Reads `strides`, `dilations`, `pads` and `auto_pad` of node `n` for `input` spatial sizes.
  init(_ n: ONNXNodeContext, input: [Int], kernel: [Int], ceilMode: Bool = false) throws(ConfigError) {
    let rank = input.count
    let strides = try n.sizes("strides", least: 1) ?? [Int](repeating: 1, count: rank)
    let dilations = try n.sizes("dilations", least: 1) ?? [Int](repeating: 1, count: rank)
    let pads = try n.sizes("pads", least: 0) ?? [Int](repeating: 0, count: 2 * rank)
    for (name, list, count) in [
      ("strides", strides, rank), ("dilations", dilations, rank), ("pads", pads, 2 * rank),
      ("kernel_shape", kernel, rank),
    ] where list.count != count {
      throw ConfigError(
        path: "attribute.\(name)", message: "\(name) \(list) for \(rank) spatial axes",
        expected: "\(count) values")
    }
    for k in kernel where k < 1 || k > Int(Int32.max) {
      throw ConfigError(path: "attribute.kernel_shape", message: "kernel \(kernel)", expected: "sizes ≥ 1")
    }
    self.input = input
    self.kernel = kernel
    self.strides = strides
    self.dilations = dilations
    padBegin = Array(pads[0..<rank])
    padEnd = Array(pads[rank...])
    output = []
    let autoPad = try n.string("auto_pad", default: "NOTSET")
    for i in 0..<rank {
      // Every factor is below 2³¹, so these products and sums stay far from Int.max.
      let span = dilations[i] * (kernel[i] - 1) + 1
      switch autoPad {
      case "NOTSET", "":
        let room = input[i] + padBegin[i] + padEnd[i] - span
        guard room >= 0 else {
          throw ConfigError(
            message: "\(n.opType) window of \(span) on axis \(i) is larger than the padded input "
              + "\(input[i] + padBegin[i] + padEnd[i])",
            expected: "a window that fits the padded input")
        }
        var out = room / strides[i] + 1
        if ceilMode {
          out = (room + strides[i] - 1) / strides[i] + 1
          if (out - 1) * strides[i] >= input[i] + padBegin[i] { out -= 1 }
        }
        output.append(out)
      case "VALID":
        padBegin[i] = 0
        padEnd[i] = 0
        let room = input[i] - span
        guard room >= 0 else {
          throw ConfigError(
            message: "\(n.opType) window of \(span) on axis \(i) is larger than the input \(input[i])",
            expected: "a window that fits the input (auto_pad VALID)")
        }
        output.append(room / strides[i] + 1)
      case "SAME_UPPER", "SAME_LOWER":
        let out = (input[i] + strides[i] - 1) / strides[i]
        let total = max(0, (out - 1) * strides[i] + span - input[i])
        let small = total / 2
        (padBegin[i], padEnd[i]) = autoPad == "SAME_UPPER" ? (small, total - small) : (total - small, small)
        output.append(out)
      default:
        throw ConfigError(
          path: "attribute.auto_pad", message: "auto_pad '\(autoPad)'",
          expected: "NOTSET, SAME_UPPER, SAME_LOWER or VALID")
      }
    }
    outputCount = try Checked.product(output, "the output positions of \(n.name)")
    kernelCount = try Checked.product(kernel, "the window of \(n.name)")
  }

  /// For output position `p` (row-major over ``output``) and kernel tap `q` (row-major over
  /// ``kernel``), entry `p·K + q` is the flat spatial input offset the tap reads, or −1 when it
  /// falls in the padding; −2 marks taps beyond the end padding (ceil mode only).
  func taps() -> [Int] {
    let rank = input.count
    let (outCount, k) = (outputCount, kernelCount)
    var table = [Int](repeating: -1, count: outCount * k)
    var o = [Int](repeating: 0, count: rank)
    for p in 0..<outCount {
      var rest = p
      for d in stride(from: rank - 1, through: 0, by: -1) {
        o[d] = rest % output[d]
        rest /= output[d]
      }
      for q in 0..<k {
        var restQ = q
        var offset = 0
        var scale = 1
        var state = 0  // 0 inside, 1 padding, 2 beyond padding
        for d in stride(from: rank - 1, through: 0, by: -1) {
          let kd = restQ % kernel[d]
          restQ /= kernel[d]
          let i = o[d] * strides[d] - padBegin[d] + kd * dilations[d]
          if i < 0 || i >= input[d] {
            state = max(state, i >= input[d] + padEnd[d] ? 2 : 1)
          }
          offset += i * scale
          scale *= input[d]
        }
        table[p * k + q] = state == 0 ? offset : -state
      }
    }
    return table
  }

  /// The column-major offset of row-major spatial offset `t` of the input.
  func columnMajor(_ t: Int) -> Int {
    var rest = t
    var index = [Int](repeating: 0, count: input.count)
    for d in stride(from: input.count - 1, through: 0, by: -1) {
      index[d] = rest % max(1, input[d])
      rest /= max(1, input[d])
    }
    var offset = 0
    for d in stride(from: input.count - 1, through: 0, by: -1) { offset = offset * input[d] + index[d] }
    return offset
  }
}
