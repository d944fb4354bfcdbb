import HybrixCore

/// Seeded sample order and mini-batch assembly.
public enum Batching {
  /// A permutation of `0..<count` by Fisher–Yates, drawing each index with Lemire's
  /// multiply-shift (bias below count / 2⁶⁴), so results depend only on `rng`'s outputs.
  ///
  /// Implemented here rather than with `shuffle(using:)`, whose algorithm the standard library
  /// does not promise to keep, so a seed gives the same order on every Swift version.
  public static func shuffledIndices(count: Int, rng: inout some RandomNumberGenerator) -> [Int] {
    var order = Array(0..<count)
    var i = count - 1
    while i > 0 {
      let j = Int(truncatingIfNeeded: UInt64(i + 1).multipliedFullWidth(by: rng.next()).high)
      order.swapAt(i, j)
      i -= 1
    }
    return order
  }

  /// Rows `indices` of `x` along its first axis, stacked into a new batch.
  public static func gather(_ x: Tensor, rows indices: [Int]) -> Tensor {
    precondition(x.rank >= 1, "gather needs rank ≥ 1")
    let rowSize = x.shape.dropFirst().reduce(1, *)
    var out = [Float]()
    out.reserveCapacity(indices.count * rowSize)
    for r in indices {
      precondition((0..<x.shape[0]).contains(r), "row \(r) outside 0..<\(x.shape[0])")
      out.append(contentsOf: x.scalars[(r * rowSize)..<((r + 1) * rowSize)])
    }
    return Tensor(shape: [indices.count] + x.shape.dropFirst(), scalars: out)
  }
}
