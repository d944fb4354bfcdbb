import HybrixCore
import HybrixNumerics

extension ONNXValue {
  /// Elements `indices` arranged as `shape`, with `fill` where an index is −1.
  func gathering(_ indices: [Int], shape: [Int], fill: ONNXValue?) -> ONNXValue {
    switch self {
    case .float(let t):
      let f = fill?.floatTensor?.scalars.first ?? 0
      return .float(Tensor(shape: shape, scalars: indices.map { $0 >= 0 ? t.scalars[$0] : f }))
    case .int(_, let v):
      let f = fill?.intValues?.first ?? 0
      return .int(shape: shape, values: indices.map { $0 >= 0 ? v[$0] : f })
    }
  }
}

extension ONNXKernels {
  /// Pad in `constant`, `reflect` or `edge` mode (pads as an input from opset 11, with
  /// opset 18's `axes`; as attributes before). Negative pads crop.
  static func pad(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.value(0, "data")
    let rank = x.shape.count
    var pads: [Int64]
    var fill: ONNXValue? = nil
    if n.opset < 11 {
      pads = try n.intList("pads") ?? []
      fill = .float(Tensor(shape: [], scalars: [try n.float("value", default: 0)]))
    } else {
      pads = try n.ints(1, "pads").values
      fill = n.optional(2)
      if let axes = try n.optionalInts(3, "axes") {
        guard pads.count == 2 * axes.count else {
          throw n.mismatch("pads \(pads) for axes \(axes)", expected: "two pads per axis")
        }
        var full = [Int64](repeating: 0, count: 2 * rank)
        for (i, a) in axes.enumerated() {
          let axis = try normalizedAxis(a, rank: rank)
          (full[axis], full[rank + axis]) = (pads[i], pads[axes.count + i])
        }
        pads = full
      }
    }
    guard pads.count == 2 * rank, pads.allSatisfy({ abs($0) <= Int64(Int32.max) }) else {
      throw n.mismatch("pads \(pads) for rank \(rank)", expected: "\(2 * rank) pads within ±2³¹")
    }
    let mode = try n.string("mode", default: "constant")
    guard ["constant", "reflect", "edge"].contains(mode) else {
      throw ConfigError(path: "attribute.mode", message: "mode '\(mode)'", expected: "supported: constant, reflect, edge")
    }
    var shape: [Int] = []
    var tables: [[Int]] = []
    for d in 0..<rank {
      let (size, begin) = (x.shape[d], Int(pads[d]))
      let out = size + begin + Int(pads[rank + d])
      guard out >= 0, mode == "constant" || size > 0 || out == 0 else {
        throw n.mismatch("pads \(pads) for input \(x.shape)", expected: "a non-negative output size")
      }
      shape.append(out)
      _ = try n.elementCount(shape, "the output of \(n.name)")
      tables.append(
        (0..<out).map { o in
          var i = o - begin
          switch mode {
          case "edge": return min(size - 1, max(0, i))
          case "reflect":
            guard size > 1 else { return 0 }
            let period = 2 * (size - 1)
            i = ((i % period) + period) % period
            return i < size ? i : period - i
          default: return i >= 0 && i < size ? i : -1
          }
        })
    }
    let strides = rowMajorStrides(x.shape)
    var flat = stridedIndices(shape: shape, strides: [Int](repeating: 0, count: rank))
    var counter = [Int](repeating: 0, count: rank)
    for k in flat.indices {
      var offset = 0
      for d in 0..<rank {
        let i = tables[d][counter[d]]
        if i < 0 {
          offset = -1
          break
        }
        offset += i * strides[d]
      }
      flat[k] = offset
      var axis = rank - 1
      while axis >= 0 {
        counter[axis] += 1
        if counter[axis] < shape[axis] { break }
        counter[axis] = 0
        axis -= 1
      }
    }
    return [x.gathering(flat, shape: shape, fill: fill)]
  }

  /// GatherElements: `out[i] = data[i with axis coordinate replaced by indices[i]]`.
  static func gatherElements(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.value(0, "data")
    let (shape, indices) = try n.ints(1, "indices")
    let axis = try normalizedAxis(try n.int("axis", default: 0), rank: x.shape.count)
    guard shape.count == x.shape.count else {
      throw n.mismatch("indices \(shape) for data \(x.shape)", expected: "indices of the data's rank")
    }
    let strides = rowMajorStrides(x.shape)
    // Offset of each index position in the data, without the axis term.
    let base = stridedIndices(shape: shape, strides: strides.enumerated().map { $0.offset == axis ? 0 : $0.element })
    let dim = Int64(x.shape[axis])
    var flat = base
    for (k, raw) in indices.enumerated() {
      guard raw >= -dim, raw < dim else {
        throw n.mismatch("index \(raw) on axis \(axis) of size \(dim)", expected: "indices in \(-dim)..<\(dim)")
      }
      flat[k] += Int(raw < 0 ? raw + dim : raw) * strides[axis]
    }
    for d in shape.indices where d != axis && shape[d] > x.shape[d] {
      throw n.mismatch("indices \(shape) for data \(x.shape)", expected: "index dimensions within the data's")
    }
    return [x.gathering(flat, shape: shape)]
  }

  /// Trilu: keeps the upper (`upper` = 1) or lower triangle of the last two axes, shifted by
  /// the optional diagonal offset `k`.
  static func trilu(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.value(0, "input")
    guard x.shape.count >= 2 else { throw n.mismatch("input \(x.shape)", expected: "rank ≥ 2") }
    let k = try n.optionalInts(1, "k")?.first ?? 0
    let upper = try n.int("upper", default: 1) != 0
    let (rows, cols) = (x.shape[x.shape.count - 2], x.shape[x.shape.count - 1])
    let flat = (0..<x.count).map { e -> Int in
      let (i, j) = (Int64((e / max(1, cols)) % max(1, rows)), Int64(e % max(1, cols)))
      let keep = upper ? j - i >= k : j - i <= k
      return keep ? e : -1
    }
    return [x.gathering(flat, shape: x.shape, fill: nil)]
  }

  /// DepthToSpace (`DCR` or `CRD` mode) and SpaceToDepth with `blocksize`, as reshape and
  /// transpose of NCHW.
  static func depthSpace(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.value(0, "input")
    let b = Int(clamping: try n.int("blocksize", default: 0))
    guard x.shape.count == 4, b >= 1 else {
      throw n.mismatch("input \(x.shape) with blocksize \(b)", expected: "NCHW input and blocksize ≥ 1")
    }
    let (batch, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let split: [Int], perm: [Int], out: [Int]
    if n.opType == "SpaceToDepth" {
      guard h % b == 0, w % b == 0 else { throw n.mismatch("input \(x.shape)", expected: "H and W divisible by \(b)") }
      (split, perm) = ([batch, c, h / b, b, w / b, b], [0, 3, 5, 1, 2, 4])
      out = [batch, c * b * b, h / b, w / b]
    } else {
      guard c % (b * b) == 0 else { throw n.mismatch("input \(x.shape)", expected: "C divisible by \(b * b)") }
      let crd = try n.string("mode", default: "DCR") == "CRD"
      split = crd ? [batch, c / (b * b), b, b, h, w] : [batch, b, b, c / (b * b), h, w]
      perm = crd ? [0, 1, 4, 2, 5, 3] : [0, 3, 4, 1, 5, 2]
      out = [batch, c / (b * b), h * b, w * b]
    }
    let strides = rowMajorStrides(split)
    let indices = stridedIndices(shape: perm.map { split[$0] }, strides: perm.map { strides[$0] })
    return [x.gathering(indices, shape: out)]
  }
}
