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
  /// For an `m` split: each part's realized copy of the whole weights.
  var copies: [Tensor] = []

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
        let y = parts[i].multiply(a, b.columns(r), role: role)
        for row in 0..<m {
          for (j, c) in r.enumerated() { out.scalars[row * n + c] = y.scalars[row * r.count + j] }
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
        let w = parts[i].realize(weights: weights.columns(r))
        for row in 0..<k {
          for (j, c) in r.enumerated() { out.scalars[row * n + c] = w.scalars[row * r.count + j] }
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
