import Foundation
import HybrixCore

/// Rows read from a store: column names and values.
public struct ResultTable: Sendable {
  public var columns: [String]
  public var rows: [[SQLiteValue]]

  /// The value of `column` in row `i`, or `.null`.
  public func value(_ column: String, row i: Int) -> SQLiteValue {
    guard let c = columns.firstIndex(of: column), rows.indices.contains(i) else { return .null }
    return rows[i][c]
  }
}

extension ResultStore {
  /// The columns `hybrix results list` shows, before the swept parameters.
  public static let listColumns = [
    "point", "model", "batch", "precision", "architecture", "strategy", "objective", "status", "latency_ms",
    "energy_mj", "area_mm2",
  ]

  /// The swept parameter paths found in the store, in order of first appearance.
  public func parameterPaths() throws(ConfigError) -> [String] {
    let rows = try lockedDatabase { db throws(ConfigError) in
      try db.rows("SELECT j.key AS key, min(p.point) AS first FROM points p, json_each(p.parameters) j GROUP BY j.key ORDER BY first, j.key")
    }
    return rows.compactMap { $0["key"]?.text }
  }

  /// Rows of the store's `results` view — every column of `points` plus one column per swept
  /// parameter, named by its path (`"tiers.reram0.adc_bits"`) — filtered by the SQL expression
  /// `where`, ordered by plan index then hash.
  ///
  /// - Parameter columns: the columns to return; `nil` for ``listColumns`` and the parameters.
  public func query(where filter: String? = nil, columns: [String]? = nil) throws(ConfigError) -> ResultTable {
    let parameters = try parameterPaths()
    let all = PointRecord.columns.map(\.name) + parameters
    let chosen = columns ?? {
      let list = Self.listColumns
      return Array(list[..<7]) + parameters + Array(list[7...])
    }()
    for c in chosen where !all.contains(c) {
      throw ConfigError(
        path: "--columns", message: "no column \"\(c)\"", expected: "one of \(all.joined(separator: ", "))",
        hint: NearestName.suggestion(for: c, among: all).map { "did you mean \($0)?" })
    }
    return try lockedDatabase { db throws(ConfigError) in
      let extra = parameters.map { p in
        "json_extract(parameters, \(PointRecord.quotedSQL("$.\"\(p)\""))) AS \(Self.quotedName(p))"
      }
      try db.execute("DROP VIEW IF EXISTS temp.results")
      try db.execute("CREATE TEMP VIEW results AS SELECT points.*\(extra.map { ", " + $0 }.joined()) FROM points")
      let selected = chosen.map(Self.quotedName).joined(separator: ", ")
      let whereClause = filter.map { " WHERE \($0)" } ?? ""
      let statement: SQLiteStatement
      do throws(ConfigError) {
        statement = try db.prepare("SELECT \(selected) FROM results\(whereClause) ORDER BY point, hash")
      } catch {
        throw ConfigError(
          path: "--where", message: "\(filter ?? ""): \(error.message.components(separatedBy: ": ").last ?? error.message)",
          expected: "an SQL condition on the columns \(all.joined(separator: ", "))",
          hint: "quote parameter columns: --where '\"tiers.reram0.adc_bits\" = 8 AND energy_mj < 5'")
      }
      var rows: [[SQLiteValue]] = []
      while try statement.step() { rows.append((0..<chosen.count).map(statement.value)) }
      return ResultTable(columns: chosen, rows: rows)
    }
  }

  static func quotedName(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
