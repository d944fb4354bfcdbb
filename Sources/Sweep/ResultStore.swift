import Foundation
import HybrixCore
import Reports

/// The results of a sweep in one SQLite file: a `points` table with one row per point, keyed by
/// its content hash, and a `meta` table naming the format and the tool version that wrote it.
///
/// The file is in WAL mode and every row is written in its own transaction, so a process killed
/// at any moment leaves every finished point stored and no partial row; a resumed sweep skips
/// the stored hashes. Thread-safe: one lock serialises the connection.
public final class ResultStore: @unchecked Sendable {
  // @unchecked: the connection and statement are used under `lock` only.
  public static let format = "hybrix.sweep-store"
  public static let formatVersion = "1"

  public let path: String
  let database: SQLiteDatabase
  private let lock = NSLock()
  private var insertStatement: SQLiteStatement?
  private var sealed = false

  /// Opens the store at `path`, creating it unless `readOnly`; refuses a file written by another
  /// tool version or another format, and a file that is not SQLite.
  public init(path: String, readOnly: Bool = false) throws(ConfigError) {
    self.path = path
    if readOnly, !FileManager.default.fileExists(atPath: path) {
      throw ConfigError(file: path, message: "no such results store", hint: "`hybrix sweep PLAN --store \(path)` writes one")
    }
    database = try SQLiteDatabase(path: path, readOnly: readOnly)
    if !readOnly {
      try database.execute("PRAGMA journal_mode=WAL")
      // NORMAL in WAL mode: a commit survives the process being killed (only a power cut can
      // lose the last commits, and never corrupts the file).
      try database.execute("PRAGMA synchronous=NORMAL")
      try database.transaction { () throws(ConfigError) in
        try database.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        let columns = PointRecord.columns.map { "\($0.name) \($0.type)" }.joined(separator: ", ")
        try database.execute("CREATE TABLE IF NOT EXISTS points(\(columns))")
        let insert = try database.prepare("INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)")
        for (k, v) in [("format", Self.format), ("format_version", Self.formatVersion), ("tool_version", HybrixVersion.current)] {
          try insert.run([.text(k), .text(v)])
        }
      }
    }
    try checkMeta()
  }

  /// The store's `meta` table as a dictionary.
  public func meta() throws(ConfigError) -> [String: String] {
    let rows = try locked { () throws(ConfigError) in try database.rows("SELECT key, value FROM meta") }
    var result: [String: String] = [:]
    for row in rows { if let k = row["key"]?.text, let v = row["value"]?.text { result[k] = v } }
    return result
  }

  private func checkMeta() throws(ConfigError) {
    let meta: [String: String]
    do { meta = try self.meta() } catch {
      throw ConfigError(
        file: path, message: "not a hybrix results store (\(error.message))",
        hint: "a store is written by `hybrix sweep PLAN --store FILE`; if it was one, it is damaged: sweep again into a new file")
    }
    guard meta["format"] == Self.format, meta["format_version"] == Self.formatVersion else {
      throw ConfigError(
        file: path, message: "not a hybrix results store (format \(meta["format"] ?? "missing") \(meta["format_version"] ?? ""))",
        expected: "\(Self.format) version \(Self.formatVersion)")
    }
    guard meta["tool_version"] == HybrixVersion.current else {
      throw ConfigError(
        file: path, message: "written by hybrix \(meta["tool_version"] ?? "?"), this is hybrix \(HybrixVersion.current)",
        expected: "a store from the same tool version (results of two versions are not comparable)",
        hint: "sweep into a new --store, or use hybrix \(meta["tool_version"] ?? "?") to read this one")
    }
  }

  /// The hashes of the points already stored.
  public func storedHashes() throws(ConfigError) -> Set<String> {
    let rows = try locked { () throws(ConfigError) in try database.rows("SELECT hash FROM points") }
    return Set(rows.compactMap { $0["hash"]?.text })
  }

  /// Stores one point's row in its own transaction. A row whose hash is already stored is left
  /// as it is (points are pure functions of their hash), so nothing is written twice. After
  /// ``seal()`` nothing is written.
  public func insert(_ record: PointRecord) throws(ConfigError) {
    try locked { () throws(ConfigError) in
      guard !sealed else { return }
      if insertStatement == nil {
        let names = PointRecord.columns.map(\.name)
        insertStatement = try database.prepare(
          "INSERT OR IGNORE INTO points(\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))")
      }
      guard let insertStatement else { return }
      try database.transaction { () throws(ConfigError) in try insertStatement.run(record.values) }
    }
  }

  /// Waits for a write under way to commit, then refuses every later one: a sweep stopped while
  /// points are still running leaves exactly the points stored so far, each whole.
  public func seal() {
    lock.withLock { sealed = true }
  }

  /// Runs `body` with the connection, under the lock.
  func lockedDatabase<T>(_ body: (SQLiteDatabase) throws(ConfigError) -> T) throws(ConfigError) -> T {
    try locked { () throws(ConfigError) in try body(database) }
  }

  /// Runs `body` under the lock (`NSLock.withLock` would untype the error).
  private func locked<T>(_ body: () throws(ConfigError) -> T) throws(ConfigError) -> T {
    lock.lock()
    defer { lock.unlock() }
    return try body()
  }

  /// How many rows the store holds.
  public func count() throws(ConfigError) -> Int {
    let rows = try locked { () throws(ConfigError) in try database.rows("SELECT count(*) AS n FROM points") }
    if case .integer(let n) = rows.first?["n"] { return Int(n) }
    return 0
  }
}
