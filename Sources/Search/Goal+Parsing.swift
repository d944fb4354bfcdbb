import Foundation
import HybrixCore

extension Goal {
  /// A goal from the command line: `objectives` such as `latency` or `latency,energy`, and
  /// constraints such as `latency<=2ms`, `energy<=3mJ`, `area<=50mm2`, `edp<=1e-6`,
  /// `accuracy-drop<=1@1d` (points at a time after programming).
  public static func parse(objectives: String, constraints: [String] = []) throws(ConfigError) -> Goal {
    var metrics: [Metric] = []
    for part in objectives.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !part.isEmpty {
      guard let m = Metric(rawValue: part) else {
        throw ConfigError(
          path: "--objective", message: "unknown objective \"\(part)\"",
          expected: "one or more of \(Metric.allCases.map(\.rawValue).joined(separator: ", ")), comma-separated",
          hint: NearestName.suggestion(for: part, among: Metric.allCases.map(\.rawValue)).map { "did you mean \($0)?" })
      }
      guard !metrics.contains(m) else {
        throw ConfigError(path: "--objective", message: "\(part) named twice", expected: "each objective once")
      }
      metrics.append(m)
    }
    guard !metrics.isEmpty else {
      throw ConfigError(path: "--objective", message: "no objective given", expected: "e.g. latency, or latency,energy for a Pareto front")
    }
    return Goal(metrics, constraints: try constraints.map { text throws(ConfigError) in try Constraint.parse(text) })
  }
}

extension Constraint {
  /// `latency<=2ms`, `energy<=3mJ`, `area<=50mm2`, `edp<=1e-6`, `accuracy-drop<=1@1d`.
  public static func parse(_ text: String) throws(ConfigError) -> Constraint {
    let path = "--constraint"
    let examples = "latency<=2ms, energy<=3mJ, area<=50mm2, edp<=1e-6 (J·s), accuracy-drop<=1@1d"
    let compact = text.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "≤", with: "<=")
    guard let range = compact.range(of: "<=") else {
      throw ConfigError(path: path, message: "\"\(text)\" has no <=", expected: "METRIC<=LIMIT, e.g. \(examples)")
    }
    let name = compact[..<range.lowerBound].lowercased()
    let value = String(compact[range.upperBound...])
    if name == "accuracy-drop" || name == "accuracy" {
      let parts = value.split(separator: "@", maxSplits: 1).map(String.init)
      guard let points = Double(parts.first ?? ""), points.isFinite else {
        throw ConfigError(path: path, message: "\"\(text)\": \"\(parts.first ?? "")\" is not a number of points", expected: "accuracy-drop<=POINTS@TIME, e.g. accuracy-drop<=1@1d")
      }
      guard points >= 0 else {
        throw ConfigError(path: path, message: "\"\(text)\": negative drop", expected: "a drop ≥ 0 percentage points", hint: "the drop is reference minus mapped accuracy, in points")
      }
      let time = parts.count > 1 ? try Time.parse(parts[1], path: path) : Time.seconds(86_400)
      guard time.seconds >= 0 else {
        throw ConfigError(path: path, message: "\"\(text)\": negative time", expected: "a time ≥ 0 after programming, e.g. 1d")
      }
      return .accuracyDrop(points: points, at: time)
    }
    guard let metric = Metric(rawValue: name) else {
      throw ConfigError(
        path: path, message: "unknown metric \"\(name)\" in \"\(text)\"", expected: examples,
        hint: NearestName.suggestion(for: name, among: Metric.allCases.map(\.rawValue) + ["accuracy-drop"]).map { "did you mean \($0)?" })
    }
    let limit: Double
    switch metric {
    case .latency: limit = try Time.parse(value, path: path).seconds
    case .energy: limit = try Energy.parse(value, path: path).joules
    case .area: limit = try Area.parse(value, path: path).baseValue
    case .edp:
      guard let v = Double(value), v.isFinite else {
        throw ConfigError(path: path, message: "\"\(value)\" is not a number", expected: "EDP in joule-seconds, e.g. edp<=1e-6")
      }
      limit = v
    }
    guard limit > 0 else {
      throw ConfigError(path: path, message: "\"\(text)\": limit \(value)", expected: "a limit > 0", hint: "no mapping has zero or negative \(metric.rawValue)")
    }
    return .atMost(metric, limit)
  }
}
