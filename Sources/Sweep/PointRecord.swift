import Foundation
import Reports

/// One row of the results store: a point's inputs, its headline figures with their units in the
/// column names, and its full `hybrix.map` JSON report.
///
/// Rows hold no timings or timestamps, so a sweep run twice, resumed, or split into shards and
/// merged gives identical rows.
public struct PointRecord: Hashable, Sendable, Codable {
  public var hash: String
  public var point: Int
  public var plan: String
  public var model: String
  public var batch: Int
  public var seq: Int?
  public var imageSize: Int?
  public var phase: String
  public var precision: String
  public var architecture: String
  /// The swept fields of this point as a JSON object, path → value.
  public var parameters: String
  public var strategy: String
  public var objective: String
  public var status: String
  public var reason: String?
  public var latencyS: Double?
  public var energyJ: Double?
  public var edpJS: Double?
  public var throughputPerS: Double?
  public var areaMM2: Double?
  public var toolVersion: String
  public var report: String?

  /// The columns in store order, with their SQL types.
  static let columns: [(name: String, type: String)] = [
    ("hash", "TEXT PRIMARY KEY"), ("point", "INTEGER NOT NULL"), ("plan", "TEXT NOT NULL"),
    ("model", "TEXT NOT NULL"), ("batch", "INTEGER NOT NULL"), ("seq", "INTEGER"), ("image_size", "INTEGER"),
    ("phase", "TEXT NOT NULL"), ("precision", "TEXT NOT NULL"), ("architecture", "TEXT NOT NULL"),
    ("parameters", "TEXT NOT NULL"), ("strategy", "TEXT NOT NULL"), ("objective", "TEXT NOT NULL"),
    ("status", "TEXT NOT NULL"), ("reason", "TEXT"), ("latency_s", "REAL"), ("latency_ms", "REAL"),
    ("energy_j", "REAL"), ("energy_mj", "REAL"), ("edp_js", "REAL"), ("throughput_per_s", "REAL"),
    ("area_mm2", "REAL"), ("tool_version", "TEXT NOT NULL"), ("report", "TEXT"),
  ]

  /// Columns that describe where a point sat in its plan rather than what it computed: two
  /// plans may share a point, so merging compares every other column.
  static let placementColumns: Set<String> = ["point", "plan"]

  init(point: SweepPoint, plan: String, outcome: PointRunner.Outcome) {
    hash = point.hash
    self.point = point.index
    self.plan = plan
    model = point.workload.model
    batch = point.workload.batch
    seq = point.workload.sequenceLength
    imageSize = point.workload.imageSize
    phase = point.workload.phase.rawValue
    precision = point.precision.description
    architecture = point.architectureLabel
    parameters = Self.json(point.parameters)
    strategy = point.strategy
    objective = point.objective
    status = outcome.status.rawValue
    reason = outcome.reason
    if let r = outcome.report, r.result.feasible {
      latencyS = r.result.latencySeconds
      energyJ = r.result.energyJoules
      edpJS = r.result.edpJouleSeconds
      throughputPerS = r.result.throughputSamplesPerSecond
    }
    areaMM2 = outcome.report?.architecture.areaMM2
    toolVersion = HybrixVersion.current
    report = outcome.json
  }

  /// `{"path": value, …}` in the plan's order, values as numbers where they read as numbers.
  static func json(_ settings: [ParameterSetting]) -> String {
    let items = settings.map { s -> String in
      let numeric = Double(s.value)?.isFinite == true && s.value.allSatisfy { "0123456789+-.eE".contains($0) }
      let value = numeric ? s.value : quoted(s.value)
      return "\(quoted(s.path)): \(value)"
    }
    return "{" + items.joined(separator: ", ") + "}"
  }

  static func quoted(_ text: String) -> String {
    let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
    return String(decoding: data, as: UTF8.self)
  }

  var values: [SQLiteValue] {
    func int(_ v: Int?) -> SQLiteValue { v.map { .integer(Int64($0)) } ?? .null }
    func real(_ v: Double?) -> SQLiteValue { v.map { .real($0) } ?? .null }
    func text(_ v: String?) -> SQLiteValue { v.map { .text($0) } ?? .null }
    return [
      .text(hash), int(point), .text(plan), .text(model), int(batch), int(seq), int(imageSize), .text(phase),
      .text(precision), .text(architecture), .text(parameters), .text(strategy), .text(objective), .text(status),
      text(reason), real(latencyS), real(latencyS.map { $0 * 1e3 }), real(energyJ), real(energyJ.map { $0 * 1e3 }),
      real(edpJS), real(throughputPerS), real(areaMM2), .text(toolVersion), text(report),
    ]
  }
}
