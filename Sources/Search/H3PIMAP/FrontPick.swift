import HybrixCore

/// Which point of a front a report shows: `hybrix explore --pick`.
public enum FrontPick: String, Sendable, CaseIterable, Codable {
  /// The point nearest the ideal point (each objective's best on the front) after scaling every
  /// objective to the front's range: the knee of a convex front.
  case knee
  case minLatency = "min-latency"
  case minEnergy = "min-energy"
  case minEDP = "min-edp"

  public static func parse(_ text: String) throws(ConfigError) -> FrontPick {
    guard let p = FrontPick(rawValue: text.lowercased()) else {
      throw ConfigError(
        path: "--pick", message: "unknown rule \"\(text)\"", expected: allCases.map(\.rawValue).joined(separator: ", "),
        hint: NearestName.suggestion(for: text, among: allCases.map(\.rawValue)).map { "did you mean \($0)?" })
    }
    return p
  }

  /// The index of the picked point among `costs` judged on `objectives` (for the knee); `nil`
  /// for no points. Ties go to the earlier point.
  public func pick(_ costs: [CostVector], objectives: [Metric]) -> Int? {
    guard !costs.isEmpty else { return nil }
    func argmin(_ f: (CostVector) -> Double) -> Int {
      var best = 0
      for i in costs.indices where f(costs[i]) < f(costs[best]) { best = i }
      return best
    }
    switch self {
    case .minLatency: return argmin { $0.latency.seconds }
    case .minEnergy: return argmin { $0.energy.joules }
    case .minEDP: return argmin { $0.value(.edp) }
    case .knee:
      let lo = objectives.map { m in costs.map { $0.value(m) }.min() ?? 0 }
      let hi = objectives.map { m in costs.map { $0.value(m) }.max() ?? 0 }
      return argmin { c in
        objectives.indices.reduce(0.0) { sum, i in
          let span = hi[i] - lo[i]
          let x = span > 0 ? (c.value(objectives[i]) - lo[i]) / span : 0
          return sum + x * x
        }
      }
    }
  }
}

extension SplitSpace {
  /// A random point: per operator a uniformly random allowed tier, or (for a product, half the
  /// time) each part on a uniformly random allowed tier — the paper's random mappings.
  public func randomPoint(rng: inout some RandomNumberGenerator) -> SplitGenome {
    var r = SplitMix64(seed: rng.next())
    return NSGA2(population: 4, generations: 0).randomPoint(self, rng: &r)
  }
}
