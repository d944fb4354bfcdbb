import Foundation
import HybrixCore
import HybrixNumerics

extension ONNXKernels {
  /// BatchNormalization in inference mode: `Y = scale · (X − mean) / √(var + ε) + B` per channel.
  static func batchNorm(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.float(0, "X")
    let params = [
      try n.float(1, "scale"), try n.float(2, "B"), try n.float(3, "input_mean"), try n.float(4, "input_var"),
    ]
    guard x.rank >= 2 else { throw n.mismatch("input \(x.shape)", expected: "X[N, C, …]") }
    let c = x.shape[1]
    for (i, p) in params.enumerated() where p.shape != [c] {
      throw ConfigError(
        path: "input[\(i + 1)]", message: "BatchNormalization parameter of shape \(p.shape) for input \(x.shape)",
        expected: "[\(c)]")
    }
    let epsilon = try n.float("epsilon", default: 1e-5)
    return [
      .float(
        InferenceKernels.batchNorm(
          x, mean: params[2], variance: params[3], gamma: params[0], beta: params[1], epsilon: epsilon,
          relu: false))
    ]
  }

  /// Mean and 1/√(variance + ε) of each of `groups` consecutive runs of `size` values (biased
  /// variance, accumulated in Float64).
  static func moments(_ x: [Float], groups: Int, size: Int, epsilon: Float) -> (mean: [Float], inv: [Float]) {
    var mean = [Float](repeating: 0, count: groups)
    var inv = [Float](repeating: 0, count: groups)
    for g in 0..<groups {
      var sum = 0.0
      for i in 0..<size { sum += Double(x[g * size + i]) }
      let mu = size > 0 ? sum / Double(size) : 0
      var squares = 0.0
      for i in 0..<size {
        let d = Double(x[g * size + i]) - mu
        squares += d * d
      }
      let variance = size > 0 ? squares / Double(size) : 0
      mean[g] = Float(mu)
      inv[g] = Float(1 / (variance + Double(epsilon)).squareRoot())
    }
    return (mean, inv)
  }

  /// LayerNormalization over the axes from `axis` on, with Scale and B broadcast to them; the
  /// optional Mean and InvStdDev outputs keep X's rank with the normalized axes set to 1.
  static func layerNorm(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.float(0, "X")
    let scale = try n.float(1, "Scale")
    let bias = try n.optionalFloat(2, "B")
    let axis = try normalizedAxis(try n.int("axis", default: -1), rank: x.rank)
    let epsilon = try n.float("epsilon", default: 1e-5)
    let size = x.shape[axis...].reduce(1, *)
    let groups = x.shape[..<axis].reduce(1, *)
    let (mean, inv) = moments(x.scalars, groups: groups, size: size, epsilon: epsilon)
    var y = x.scalars
    for g in 0..<groups {
      for i in 0..<size { y[g * size + i] = (y[g * size + i] - mean[g]) * inv[g] }
    }
    var scaled = try floatOperation(n, "Mul", Tensor(shape: x.shape, scalars: y), scale)
    if let bias { scaled = try floatOperation(n, "Add", scaled, bias) }
    guard scaled.shape == x.shape else {
      throw n.mismatch("Scale \(scale.shape) or B \(bias?.shape ?? []) for X \(x.shape)", expected: "shapes broadcastable to X")
    }
    let statShape = Array(x.shape[..<axis]) + [Int](repeating: 1, count: x.rank - axis)
    return [
      .float(scaled), .float(Tensor(shape: statShape, scalars: mean)),
      .float(Tensor(shape: statShape, scalars: inv)),
    ]
  }

  /// InstanceNormalization: each (image, channel) plane normalized, then `scale[c]`, `B[c]`.
  static func instanceNorm(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.float(0, "input")
    let scale = try n.float(1, "scale")
    let bias = try n.float(2, "B")
    guard x.rank >= 3, scale.shape == [x.shape[1]], bias.shape == [x.shape[1]] else {
      throw n.mismatch("input \(x.shape), scale \(scale.shape), B \(bias.shape)", expected: "X[N, C, …], scale[C], B[C]")
    }
    let c = x.shape[1]
    let size = x.shape[2...].reduce(1, *)
    let groups = x.shape[0] * c
    let (mean, inv) = moments(x.scalars, groups: groups, size: size, epsilon: try n.float("epsilon", default: 1e-5))
    var y = x.scalars
    for g in 0..<groups {
      let (s, b) = (scale.scalars[g % c], bias.scalars[g % c])
      for i in 0..<size { y[g * size + i] = (y[g * size + i] - mean[g]) * inv[g] * s + b }
    }
    return [.float(Tensor(shape: x.shape, scalars: y))]
  }

  /// Softmax, LogSoftmax and Hardmax. From opset 13 they act on the one axis `axis` (default
  /// −1); before, on the input flattened to 2-D at `axis` (default 1).
  static func softmax(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.float(0, "input")
    let modern = n.opset >= 13
    let axis = try normalizedAxis(try n.int("axis", default: modern ? -1 : 1), rank: max(1, x.rank))
    let outer = x.shape[..<min(axis, x.rank)].reduce(1, *)
    let (length, inner) =
      modern
      ? (x.rank == 0 ? 1 : x.shape[axis], x.shape[min(axis + 1, x.rank)...].reduce(1, *))
      : (x.shape[min(axis, x.rank)...].reduce(1, *), 1)
    // Softmax keeps each exp(v − top) from the sum's pass and divides it there: the same
    // operations as computing it twice, so the same results bit for bit.
    let kind = n.opType == "Softmax" ? 0 : n.opType == "LogSoftmax" ? 1 : 2
    var y = x.scalars
    x.scalars.withUnsafeBufferPointer { xs in
      y.withUnsafeMutableBufferPointer { ys in
        for o in 0..<outer {
          for i in 0..<inner {
            let base = o * length * inner + i
            var top = -Float.infinity
            var arg = 0
            for j in 0..<length where xs[base + j * inner] > top || j == 0 {
              top = xs[base + j * inner]
              arg = j
            }
            switch kind {
            case 0:
              var sum: Float = 0
              for j in 0..<length {
                let e = Foundation.exp(xs[base + j * inner] - top)
                ys[base + j * inner] = e
                sum += e
              }
              for j in 0..<length { ys[base + j * inner] /= sum }
            case 1:
              var sum: Float = 0
              for j in 0..<length { sum += Foundation.exp(xs[base + j * inner] - top) }
              let logSum = Foundation.log(sum)
              for j in 0..<length { ys[base + j * inner] = xs[base + j * inner] - top - logSum }
            default:
              for j in 0..<length { ys[base + j * inner] = j == arg ? 1 : 0 }
            }
          }
        }
      }
    }
    return [.float(Tensor(shape: x.shape, scalars: y))]
  }
}
