import HybrixNumerics

/// The products of an operator whose work a mapping splits across tiers, each share on its own
/// tier's arithmetic, along the same ``SplitAxis`` the cost model prices:
/// - `m`: each share of the rows of `X` runs against all of `W` (every tier holds its own
///   programmed copy of the weights);
/// - `n`: each share of the output columns, with its share of `W`;
/// - `k`: each share of the reduction, partial sums added digitally (exactly).
///
/// Shares become index ranges through ``ShareExtents``, as on the cost side; a share that
/// rounds to nothing is skipped.
struct SplitArithmetic: ProductArithmetic {
  var parts: [any ProductArithmetic]
  var fractions: [Double]
  var axis: SplitAxis
  /// For an `n` split: the output columns in share order (``Placement/rowOrder``); `nil`: 0..<n.
  var rowOrder: [Int]? = nil
  /// For an `m` split: each part's realized copy of the whole weights.
  var copies: [Tensor] = []

  /// The output columns share `i` holds along `n`.
  func columns(_ r: Range<Int>, of n: Int) -> [Int] {
    guard let rowOrder, rowOrder.count == n else { return Array(r) }
    return Array(rowOrder[r])
  }

  var name: String { "split(" + parts.map(\.name).joined(separator: ", ") + ")" }

  mutating func multiply(_ a: Tensor, _ b: Tensor, role: ProductRole) -> Tensor {
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    var out = Tensor.zeros([m, n])
    switch axis {
    case .m:
      for (i, r) in ShareExtents.ranges(count: m, fractions: fractions).enumerated() where !r.isEmpty {
        let w = i < copies.count && copies[i].shape == b.shape ? copies[i] : b
        let y = parts[i].multiply(a.rows(r), w, role: role)
        for e in 0..<(r.count * n) { out.scalars[r.lowerBound * n + e] = y.scalars[e] }
      }
    case .n:
      for (i, r) in ShareExtents.ranges(count: n, fractions: fractions).enumerated() where !r.isEmpty {
        let cols = columns(r, of: n)
        let y = parts[i].multiply(a, b.gatherColumns(cols), role: role)
        for row in 0..<m {
          for (j, c) in cols.enumerated() { out.scalars[row * n + c] = y.scalars[row * r.count + j] }
        }
      }
    case .k:
      for (i, r) in ShareExtents.ranges(count: k, fractions: fractions).enumerated() where !r.isEmpty {
        let y = parts[i].multiply(a.columns(r), b.rows(r), role: role)
        for e in 0..<(m * n) { out.scalars[e] += y.scalars[e] }
      }
    }
    return out
  }

  mutating func realize(weights: Tensor) -> Tensor {
    let (k, n) = (weights.shape[0], weights.shape[1])
    var out = weights
    switch axis {
    case .m:
      copies = parts.indices.map { parts[$0].realize(weights: weights) }
    case .n:
      for (i, r) in ShareExtents.ranges(count: n, fractions: fractions).enumerated() where !r.isEmpty {
        let cols = columns(r, of: n)
        let w = parts[i].realize(weights: weights.gatherColumns(cols))
        for row in 0..<k {
          for (j, c) in cols.enumerated() { out.scalars[row * n + c] = w.scalars[row * r.count + j] }
        }
      }
    case .k:
      for (i, r) in ShareExtents.ranges(count: k, fractions: fractions).enumerated() where !r.isEmpty {
        let w = parts[i].realize(weights: weights.rows(r))
        for e in 0..<w.count { out.scalars[r.lowerBound * n + e] = w.scalars[e] }
      }
    }
    return out
  }
}

extension Tensor {
  /// The columns `indices` of a rank-2 tensor, in that order (contiguous ranges as ``columns(_:)``).
  func gatherColumns(_ indices: [Int]) -> Tensor {
    if let first = indices.first, indices.last == first + indices.count - 1,
      indices.enumerated().allSatisfy({ $0.element == first + $0.offset })
    {
      return columns(first..<(first + indices.count))
    }
    let (k, n) = (shape[0], shape[1])
    var out = Tensor.zeros([k, indices.count])
    for row in 0..<k {
      for (j, c) in indices.enumerated() { out.scalars[row * indices.count + j] = scalars[row * n + c] }
    }
    return out
  }
}
