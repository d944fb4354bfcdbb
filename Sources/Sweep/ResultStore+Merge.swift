import Foundation
import HybrixCore

extension ResultStore {
  /// Adds the rows of the store at `other` that this one lacks, in one transaction, and returns
  /// how many. A row whose hash is here already must match it in every column but its place in
  /// the plan (``PointRecord/placementColumns``); a different row is an error and nothing is
  /// added. Merging the same store twice adds nothing.
  public func merge(from other: String) throws(ConfigError) -> Int {
    let source = try ResultStore(path: other, readOnly: true)
    _ = source
    let compared = PointRecord.columns.map(\.name).filter { !PointRecord.placementColumns.contains($0) && $0 != "hash" }
    let names = PointRecord.columns.map(\.name).joined(separator: ", ")
    return try lockedDatabase { db throws(ConfigError) in
      try db.execute("ATTACH DATABASE \(PointRecord.quotedSQL(other)) AS source")
      defer { try? db.execute("DETACH DATABASE source") }
      let differing = compared.map { "m.\($0) IS NOT s.\($0)" }.joined(separator: " OR ")
      let conflicts = try db.rows(
        "SELECT s.hash AS hash FROM source.points s JOIN main.points m ON m.hash = s.hash WHERE \(differing) LIMIT 3")
      if !conflicts.isEmpty {
        let hashes = conflicts.compactMap { $0["hash"]?.text?.prefix(12) }.joined(separator: ", ")
        throw ConfigError(
          file: other, message: "rows for the same point differ from \(path)'s (hash \(hashes)…)",
          expected: "shard stores of one plan, run by one tool version",
          hint: "the two stores computed one point differently; merge into a new store and rerun the point")
      }
      return try db.transaction { () throws(ConfigError) in
        let before = try Self.rowCount(db)
        try db.execute("INSERT OR IGNORE INTO main.points(\(names)) SELECT \(names) FROM source.points")
        return try Self.rowCount(db) - before
      }
    }
  }

  static func rowCount(_ db: SQLiteDatabase) throws(ConfigError) -> Int {
    if case .integer(let n) = try db.rows("SELECT count(*) AS n FROM main.points").first?["n"] { return Int(n) }
    return 0
  }
}

extension PointRecord {
  /// `text` as an SQL string literal.
  static func quotedSQL(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}
