import HybrixCore
import HybrixNumerics

extension ONNXKernels {
  /// MaxPool and AveragePool over any number of spatial axes, with pads, strides, dilations,
  /// `ceil_mode` and AveragePool's `count_include_pad`. MaxPool's optional second output holds
  /// the flat index of each maximum (row-major; column-major over the spatial axes under
  /// `storage_order` 1).
  static func pool(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.float(0, "X")
    guard x.rank >= 3 else { throw n.mismatch("input \(x.shape)", expected: "X[N, C, spatial…]") }
    guard let kernel = try n.sizes("kernel_shape", least: 1) else {
      throw ConfigError(
        path: "attribute.kernel_shape", message: "\(n.opType) without kernel_shape",
        expected: "one window size per spatial axis")
    }
    let ceil = try n.int("ceil_mode", default: 0) != 0
    let window = try ONNXWindow(n, input: Array(x.shape[2...]), kernel: kernel, ceilMode: ceil)
    let storageOrder = try n.int("storage_order", default: 0)
    let columnMajor = n.opType == "MaxPool" && storageOrder != 0
    let includePad = try n.int("count_include_pad", default: 0) != 0
    let outShape = Array(x.shape[..<2]) + window.output
    let count = try n.elementCount(outShape, "the output of \(n.name)")
    let planes = x.shape[0] * x.shape[1]
    let plane = window.input.reduce(1, *)
    let (positions, k) = (window.outputCount, window.kernelCount)
    _ = try n.elementCount([positions, k], "the window table of \(n.name)")
    let taps = window.taps()
    var y = [Float](repeating: 0, count: count)
    var indices = [Int64](repeating: 0, count: n.opType == "MaxPool" ? count : 0)
    for pl in 0..<planes {
      let base = pl * plane
      for p in 0..<positions {
        let row = taps[(p * k)..<((p + 1) * k)]
        let o = pl * positions + p
        if n.opType == "MaxPool" {
          var best = -Float.infinity
          var at = -1
          for t in row where t >= 0 && (at < 0 || x.scalars[base + t] > best) {
            best = x.scalars[base + t]
            at = t
          }
          y[o] = best
          indices[o] = Int64(base + (columnMajor ? window.columnMajor(max(0, at)) : max(0, at)))
        } else {
          var sum: Float = 0
          var valid = 0
          var padded = 0
          for t in row {
            if t >= 0 {
              sum += x.scalars[base + t]
              valid += 1
            }
            if t >= -1 { padded += 1 }
          }
          let divisor = includePad ? padded : valid
          y[o] = divisor > 0 ? sum / Float(divisor) : 0
        }
      }
    }
    let out = ONNXValue.float(Tensor(shape: outShape, scalars: y))
    return n.opType == "MaxPool" ? [out, .int(shape: outShape, values: indices)] : [out]
  }

  /// GlobalAveragePool and GlobalMaxPool: one value per (image, channel), spatial axes kept as 1.
  static func globalPool(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.float(0, "X")
    guard x.rank >= 2 else { throw n.mismatch("input \(x.shape)", expected: "X[N, C, spatial…]") }
    let planes = x.shape[0] * x.shape[1]
    let size = x.shape[2...].reduce(1, *)
    var y = [Float](repeating: 0, count: planes)
    for pl in 0..<planes {
      let values = x.scalars[(pl * size)..<((pl + 1) * size)]
      if n.opType == "GlobalMaxPool" {
        y[pl] = values.max() ?? 0
      } else {
        var sum = 0.0
        for v in values { sum += Double(v) }
        y[pl] = size > 0 ? Float(sum / Double(size)) : 0
      }
    }
    let shape = Array(x.shape[..<2]) + [Int](repeating: 1, count: x.rank - 2)
    return [.float(Tensor(shape: shape, scalars: y))]
  }
}
