import Foundation

/// Softmax and log-softmax over the last axis, stabilised by subtracting the row maximum
/// (Goodfellow, Bengio & Courville, *Deep Learning*, 2016, §4.1).
public enum Softmax {
  /// `exp(x_i − max) / Σ_j exp(x_j − max)` along the last axis; rows sum to 1.
  public static func softmax(_ x: Tensor) -> Tensor {
    rowwise(x) { row, out in
      let m = row.max() ?? 0
      var s: Float = 0
      for i in row.indices {
        out[i] = exp(row[i] - m)
        s += out[i]
      }
      for i in row.indices { out[i] /= s }
    }
  }

  /// `x_i − max − log Σ_j exp(x_j − max)` along the last axis.
  public static func logSoftmax(_ x: Tensor) -> Tensor {
    rowwise(x) { row, out in
      let m = row.max() ?? 0
      var s: Float = 0
      for v in row { s += exp(v - m) }
      // (x_i − m) is exact near the maximum; adding m back into the log-sum first would round
      // it to the spacing of Float32 at |m| (6e-5 at 1000).
      let logSum = log(s)
      for i in row.indices { out[i] = (row[i] - m) - logSum }
    }
  }

  static func rowwise(_ x: Tensor, _ body: (ArraySlice<Float>, inout ArraySlice<Float>) -> Void) -> Tensor {
    precondition(x.rank >= 1, "softmax needs rank ≥ 1")
    let d = x.shape[x.rank - 1]
    var out = [Float](repeating: 0, count: x.count)
    guard d > 0 else { return Tensor(shape: x.shape, scalars: out) }
    for start in stride(from: 0, to: x.count, by: d) {
      var slice = out[start..<(start + d)]
      body(x.scalars[start..<(start + d)], &slice)
      out[start..<(start + d)] = slice
    }
    return Tensor(shape: x.shape, scalars: out)
  }
}
