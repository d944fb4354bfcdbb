extension Tensor {
  /// Index of the largest entry along the last axis, one per row (first index on ties) — the
  /// predicted class of `[N, classes]` logits. Empty for a last axis of size 0.
  public func argmaxLastAxis() -> [Int] {
    let classes = shape.last ?? 0
    guard classes > 0 else { return [] }
    return stride(from: 0, to: count, by: classes).map { start in
      var best = start
      for i in start..<(start + classes) where scalars[i] > scalars[best] { best = i }
      return best - start
    }
  }
}
