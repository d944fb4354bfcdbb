extension Tensor {
  /// Columns `range` of a rank-2 tensor, as a new `[rows, range.count]` tensor (a weight
  /// matrix's output columns: one convolution group, one tier's share of a split operator).
  public func columns(_ range: Range<Int>) -> Tensor {
    precondition(rank == 2 && range.lowerBound >= 0 && range.upperBound <= shape[1], "columns \(range) of \(shape)")
    let (r, c, w) = (shape[0], shape[1], range.count)
    var out = [Float](repeating: 0, count: r * w)
    scalars.withUnsafeBufferPointer { s in
      out.withUnsafeMutableBufferPointer { o in
        for i in 0..<r {
          for j in 0..<w { o[i * w + j] = s[i * c + range.lowerBound + j] }
        }
      }
    }
    return Tensor(shape: [r, w], scalars: out)
  }

  /// Rows `range` of a rank-2 tensor, as a new `[range.count, columns]` tensor.
  public func rows(_ range: Range<Int>) -> Tensor {
    precondition(rank == 2 && range.lowerBound >= 0 && range.upperBound <= shape[0], "rows \(range) of \(shape)")
    let c = shape[1]
    return Tensor(shape: [range.count, c], scalars: Array(scalars[(range.lowerBound * c)..<(range.upperBound * c)]))
  }
}
