/// The hypervolume of a set of points under minimisation: the measure of the region that some
/// point dominates and that the reference point bounds. Points not strictly better than the
/// reference on every objective add nothing.
///
/// - Complexity: two objectives O(n log n) (a sweep); more by slicing along the last objective,
///   O(n^(d-1) log n) — meant for fronts of at most a few hundred points.
public enum Hypervolume {
  public static func of(_ points: [[Double]], reference: [Double]) -> Double {
    let d = reference.count
    let inside = points.filter { $0.count == d && zip($0, reference).allSatisfy { $0 < $1 } }
    guard !inside.isEmpty, d > 0 else { return 0 }
    if d == 1 { return reference[0] - (inside.map { $0[0] }.min() ?? reference[0]) }
    if d == 2 {
      var volume = 0.0
      var bestY = reference[1]
      for p in inside.sorted(by: { $0[0] != $1[0] ? $0[0] < $1[0] : $0[1] < $1[1] }) where p[1] < bestY {
        volume += (reference[0] - p[0]) * (bestY - p[1])
        bestY = p[1]
      }
      return volume
    }
    let sorted = inside.sorted { $0[d - 1] < $1[d - 1] }
    var volume = 0.0
    for i in sorted.indices {
      let top = i + 1 < sorted.count ? sorted[i + 1][d - 1] : reference[d - 1]
      let depth = top - sorted[i][d - 1]
      guard depth > 0 else { continue }
      volume += depth * of(sorted[0...i].map { Array($0.prefix(d - 1)) }, reference: Array(reference.prefix(d - 1)))
    }
    return volume
  }

  /// The hypervolume of `points` after mapping the box from `ideal` to `reference` onto the unit
  /// cube: 1 means a single point at the ideal.
  public static func normalised(_ points: [[Double]], ideal: [Double], reference: [Double]) -> Double {
    let span = zip(ideal, reference).map { $1 - $0 }
    guard span.allSatisfy({ $0 > 0 }) else { return 0 }
    let scaled = points.map { p in zip(zip(p, ideal), span).map { ($0.0 - $0.1) / $1 } }
    return of(scaled, reference: [Double](repeating: 1, count: span.count))
  }
}
