import Foundation
import HybrixCore
import HybrixNumerics

extension ONNXKernels {
  static let reduceOperators: Set<String> = [
    "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceSumSquare", "ReduceL1",
    "ReduceL2", "ReduceLogSum", "ReduceLogSumExp",
  ]

  /// The reduced axes of `n` for an input of `rank`, or `nil` for "no reduction"
  /// (`noop_with_empty_axes`). Axes are an input for ReduceSum from opset 13 and for the other
  /// reductions from opset 18, an attribute before; absent axes reduce everything.
  static func reducedAxes(_ n: ONNXNodeContext, rank: Int, inputIndex: Int = 1) throws(ConfigError) -> Set<Int>? {
    let fromInput = n.opType == "ReduceSum" ? n.opset >= 13 : n.opset >= 18
    let axes = fromInput ? try n.optionalInts(inputIndex, "axes") : try n.intList("axes")
    if axes?.isEmpty ?? true {
      if try n.int("noop_with_empty_axes", default: 0) != 0 { return nil }
      return Set(0..<rank)
    }
    var set = Set<Int>()
    for a in axes ?? [] { set.insert(try normalizedAxis(a, rank: rank)) }
    return set
  }

  /// For each element of `shape`, the flat index of its output element when `axes` are
  /// reduced; and the output shape with (`keep`) or without the reduced axes.
  static func reductionMap(_ shape: [Int], axes: Set<Int>, keep: Bool) -> (map: [Int], kept: [Int], out: [Int]) {
    let kept = shape.indices.map { axes.contains($0) ? 1 : shape[$0] }
    let outStrides = rowMajorStrides(kept).enumerated().map { axes.contains($0.offset) ? 0 : $0.element }
    let out = keep ? kept : shape.indices.filter { !axes.contains($0) }.map { shape[$0] }
    return (stridedIndices(shape: shape, strides: outStrides), kept, out)
  }

  /// ReduceMean, ReduceSum, ReduceMax, ReduceMin, ReduceProd, ReduceSumSquare, ReduceL1,
  /// ReduceL2, ReduceLogSum and ReduceLogSumExp, with `keepdims` (default 1).
  static func reduce(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.float(0, "data")
    guard let axes = try reducedAxes(n, rank: x.rank) else { return [.float(x)] }
    let keep = try n.int("keepdims", default: 1) != 0
    let (map, kept, outShape) = reductionMap(x.shape, axes: axes, keep: keep)
    let outCount = kept.reduce(1, *)
    let reducedCount = axes.reduce(1) { $0 * x.shape[$1] }
    let op = n.opType
    let initial: Double =
      switch op {
      case "ReduceMax": -.infinity
      case "ReduceMin": .infinity
      case "ReduceProd": 1
      default: 0
      }
    var acc = [Double](repeating: initial, count: outCount)
    var top = [Double](repeating: -.infinity, count: outCount)
    if op == "ReduceLogSumExp" {
      for (i, v) in x.scalars.enumerated() { top[map[i]] = max(top[map[i]], Double(v)) }
    }
    for (i, f) in x.scalars.enumerated() {
      let v = Double(f)
      let o = map[i]
      switch op {
      case "ReduceMax": acc[o] = v.isNaN || acc[o].isNaN ? Double.nan : max(acc[o], v)
      case "ReduceMin": acc[o] = v.isNaN || acc[o].isNaN ? Double.nan : min(acc[o], v)
      case "ReduceProd": acc[o] *= v
      case "ReduceSumSquare", "ReduceL2": acc[o] += v * v
      case "ReduceL1": acc[o] += abs(v)
      case "ReduceLogSumExp": acc[o] += Foundation.exp(v - top[o])
      default: acc[o] += v
      }
    }
    let y = acc.enumerated().map { o, a -> Float in
      switch op {
      case "ReduceMean": Float(a / Double(max(1, reducedCount)))
      case "ReduceL2": Float(a.squareRoot())
      case "ReduceLogSum": Float(Foundation.log(a))
      case "ReduceLogSumExp": Float(Foundation.log(a) + (top[o].isFinite ? top[o] : 0))
      default: Float(a)
      }
    }
    return [.float(Tensor(shape: outShape, scalars: y))]
  }

  /// ArgMax and ArgMin along `axis`, first occurrence unless `select_last_index`.
  static func argExtreme(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.float(0, "data")
    let axis = try normalizedAxis(try n.int("axis", default: 0), rank: x.rank)
    let keep = try n.int("keepdims", default: 1) != 0
    let last = try n.int("select_last_index", default: 0) != 0
    let (outer, dim) = (x.shape[..<axis].reduce(1, *), x.shape[axis])
    let inner = x.shape[(axis + 1)...].reduce(1, *)
    var result = [Int64](repeating: 0, count: outer * inner)
    for o in 0..<outer {
      for i in 0..<inner {
        var best = 0
        for j in 0..<dim {
          let v = x.scalars[(o * dim + j) * inner + i]
          let b = x.scalars[(o * dim + best) * inner + i]
          let better = n.opType == "ArgMax" ? (last ? v >= b : v > b) : (last ? v <= b : v < b)
          if better { best = j }
        }
        result[o * inner + i] = Int64(best)
      }
    }
    var shape = x.shape
    if keep { shape[axis] = 1 } else { shape.remove(at: axis) }
    return [.int(shape: shape, values: result)]
  }
}
