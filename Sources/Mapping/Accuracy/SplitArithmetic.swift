import HybrixNumerics

/// The products of an operator whose work a mapping splits across tiers: each share of the
/// output columns (``SplitAxis/columns``) or of the reduction rows (``SplitAxis/rows``, partial
/// sums added digitally) runs on its own tier's arithmetic.
///
/// Shares are turned into contiguous index ranges by rounding the cumulative fractions, so the
/// ranges cover every index exactly once; a share that rounds to nothing is skipped.
struct SplitArithmetic: ProductArithmetic {
  var parts: [any ProductArithmetic]
  var fractions: [Double]
  var axis: SplitAxis

  var name: String { "split(" + parts.map(\.name).joined(separator: ", ") + ")" }

  /// Contiguous ranges of `0..<count`, one per fraction.
  static func ranges(count: Int, fractions: [Double]) -> [Range<Int>] {
    let total = fractions.reduce(0, +)
    var out: [Range<Int>] = []
    var cumulative = 0.0
    var start = 0
    for (i, f) in fractions.enumerated() {
      cumulative += f
      let end = i == fractions.count - 1 ? count : min(count, Int((cumulative / total * Double(count)).rounded()))
      out.append(start..<max(start, end))
      start = max(start, end)
    }
    return out
  }

  mutating func multiply(_ a: Tensor, _ b: Tensor, role: ProductRole) -> Tensor {
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    var out = Tensor.zeros([m, n])
    switch axis {
    case .columns:
      for (i, r) in Self.ranges(count: n, fractions: fractions).enumerated() where !r.isEmpty {
        let y = parts[i].multiply(a, b.columns(r), role: role)
        for row in 0..<m {
          for (j, c) in r.enumerated() { out.scalars[row * n + c] = y.scalars[row * r.count + j] }
        }
      }
    case .rows:
      for (i, r) in Self.ranges(count: k, fractions: fractions).enumerated() where !r.isEmpty {
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
    case .columns:
      for (i, r) in Self.ranges(count: n, fractions: fractions).enumerated() where !r.isEmpty {
        let w = parts[i].realize(weights: weights.columns(r))
        for row in 0..<k {
          for (j, c) in r.enumerated() { out.scalars[row * n + c] = w.scalars[row * r.count + j] }
        }
      }
    case .rows:
      for (i, r) in Self.ranges(count: k, fractions: fractions).enumerated() where !r.isEmpty {
        let w = parts[i].realize(weights: weights.rows(r))
        for e in 0..<w.count { out.scalars[r.lowerBound * n + e] = w.scalars[e] }
      }
    }
    return out
  }
}
