/// Evaluation of small integer tensors (shapes, axes, indices) so that shape computations exported
/// as operators (Shape → Gather → Unsqueeze → Concat → Reshape) resolve to constants.
///
/// Every helper returns `nil` instead of trapping when sizes disagree or exceed
/// ``ONNXImporter/Converter/maxFoldedElements``: an unknown value only means a shape may have to
/// come from the file's declarations instead.
extension ONNXImporter.Converter {
  /// The element count of `dims` if it is at most the folding limit.
  static func foldableCount(_ dims: [Int]) -> Int? {
    var count = 1
    for d in dims {
      guard d >= 0 else { return nil }
      let (p, overflow) = count.multipliedReportingOverflow(by: d)
      guard !overflow, p <= maxFoldedElements else { return nil }
      count = p
    }
    return count
  }

  /// Row-major strides of `dims` (valid for foldable shapes, whose products fit).
  static func strides(_ dims: [Int]) -> [Int] {
    var strides = [Int](repeating: 0, count: dims.count)
    var s = 1
    for a in stride(from: dims.count - 1, through: 0, by: -1) {
      strides[a] = s
      s &*= dims[a]
    }
    return strides
  }

  /// Calls `body` with every multi-index of `dims` in row-major order; stops when it returns false.
  static func forEachIndex(_ dims: [Int], _ body: ([Int]) -> Bool) {
    guard let count = foldableCount(dims), count > 0 else { return }
    var index = [Int](repeating: 0, count: dims.count)
    for _ in 0..<count {
      guard body(index) else { return }
      var a = dims.count - 1
      while a >= 0 {
        index[a] += 1
        if index[a] < dims[a] { break }
        index[a] = 0
        a -= 1
      }
    }
  }

  /// `f` applied elementwise to numpy-broadcast operands.
  static func broadcastMap(
    _ operands: [(dims: [Int], ints: [Int])], out: [Int], _ f: ([Int]) -> Int?
  ) -> [Int]? {
    guard let count = foldableCount(out) else { return nil }
    let rank = out.count
    var operandStrides: [[Int]] = []
    for o in operands {
      guard o.dims.count <= rank, let c = foldableCount(o.dims), c == o.ints.count else { return nil }
      let own = strides(o.dims)
      var s = [Int](repeating: 0, count: rank)
      for (j, d) in o.dims.enumerated() where d != 1 { s[rank - o.dims.count + j] = own[j] }
      operandStrides.append(s)
    }
    var result: [Int] = []
    result.reserveCapacity(count)
    var args = [Int](repeating: 0, count: operands.count)
    var failed = false
    forEachIndex(out) { index in
      for (i, o) in operands.enumerated() {
        var offset = 0
        for a in 0..<rank { offset += index[a] * operandStrides[i][a] }
        guard offset < o.ints.count else {
          failed = true
          return false
        }
        args[i] = o.ints[offset]
      }
      guard let v = f(args) else {
        failed = true
        return false
      }
      result.append(v)
      return true
    }
    return failed || result.count != count ? nil : result
  }

  /// Values of an output of shape `outDims` whose element at each index is the input element
  /// at `source(index)` (transpose, slice, gather, expand, tile).
  static func remap(
    _ ints: [Int]?, inDims: [Int], outDims: [Int], _ source: ([Int]) -> [Int]?
  ) -> [Int]? {
    guard let ints, let inCount = foldableCount(inDims), inCount == ints.count,
      let count = foldableCount(outDims)
    else { return nil }
    let inStrides = strides(inDims)
    var result: [Int] = []
    result.reserveCapacity(count)
    var failed = false
    forEachIndex(outDims) { index in
      guard let src = source(index), src.count == inDims.count else {
        failed = true
        return false
      }
      var offset = 0
      for (a, i) in src.enumerated() {
        guard i >= 0, i < inDims[a] else {
          failed = true
          return false
        }
        offset += i * inStrides[a]
      }
      result.append(ints[offset])
      return true
    }
    return failed || result.count != count ? nil : result
  }

  /// Values of a concatenation along `axis`: for each outer index, each input's block in turn.
  static func concatenate(_ parts: [(dims: [Int], ints: [Int])], axis: Int) -> [Int]? {
    var result: [Int] = []
    guard let first = parts.first, axis < first.dims.count else { return nil }
    guard let outer = foldableCount(Array(first.dims[..<axis])) else { return nil }
    var blocks: [Int] = []
    for p in parts {
      guard p.dims.count == first.dims.count, let c = foldableCount(p.dims), c == p.ints.count,
        let block = foldableCount(Array(p.dims[axis...])), c == outer * block
      else { return nil }
      blocks.append(block)
    }
    guard let total = foldableCount([outer, blocks.reduce(0, +)]) else { return nil }
    result.reserveCapacity(total)
    for o in 0..<outer {
      for (p, block) in zip(parts, blocks) { result += p.ints[(o * block)..<((o + 1) * block)] }
    }
    return result
  }
}
