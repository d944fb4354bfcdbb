/// Edit distance and nearest-name suggestions for "did you mean" hints.
public enum NearestName {
  /// Levenshtein distance between `a` and `b`, case-insensitive.
  public static func distance(_ a: String, _ b: String) -> Int {
    let x = Array(a.lowercased())
    let y = Array(b.lowercased())
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
      current[0] = i
      for j in 1...y.count {
        let cost = x[i - 1] == y[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      swap(&previous, &current)
    }
    return previous[y.count]
  }

  /// The candidate closest to `name`, if it is close enough to be a likely typo
  /// (distance at most a third of the longer name, or `name` is a prefix/substring of it).
  public static func suggestion(for name: String, among candidates: [String]) -> String? {
    let lowered = name.lowercased()
    if let contained = candidates.first(where: {
      $0.lowercased().hasPrefix(lowered) || (lowered.count >= 3 && $0.lowercased().contains(lowered))
    }) {
      return contained
    }
    guard let best = candidates.min(by: { distance(name, $0) < distance(name, $1) }) else {
      return nil
    }
    let d = distance(name, best)
    return d <= max(2, max(name.count, best.count) / 3) ? best : nil
  }
}
