import Foundation
import HybrixCore

/// A connection to one SQLite file through the system library (loaded at run time by
/// ``SQLiteLibrary``): just what the results store needs (statements, bindings, transactions),
/// with every failure as a ``ConfigError`` that names the file.
///
/// Not thread-safe: the store serialises its use.
final class SQLiteDatabase {
  let path: String
  let sqlite: SQLiteLibrary
  private var handle: OpaquePointer?

  /// Opens (or, unless `readOnly`, creates) the database at `path`.
  init(path: String, readOnly: Bool = false) throws(ConfigError) {
    self.path = path
    let sqlite = try SQLiteLibrary.required()
    self.sqlite = sqlite
    typealias C = SQLiteLibrary
    let flags = readOnly ? C.openReadOnly : (C.openReadWrite | C.openCreate)
    let code = sqlite.open_v2(path, &handle, flags | C.openNoMutex, nil)
    guard code == C.ok else {
      let message = handle.flatMap { sqlite.errmsg($0) }.map { String(cString: $0) } ?? "code \(code)"
      _ = sqlite.close(handle)
      handle = nil
      throw ConfigError(
        file: path, message: "cannot open the results store: \(message)",
        hint: readOnly ? "check the path; `hybrix sweep PLAN --store FILE` writes one" : nil)
    }
    _ = sqlite.busy_timeout(handle, 10_000)
  }

  deinit { _ = sqlite.close(handle) }

  func error(_ what: String, _ code: Int32) -> ConfigError {
    let message = handle.flatMap { sqlite.errmsg($0) }.map { String(cString: $0) } ?? "code \(code)"
    let corrupt = code == SQLiteLibrary.corrupt || code == SQLiteLibrary.notADatabase
    return ConfigError(
      file: path, message: "\(what): \(message)",
      hint: corrupt
        ? "the file is not a readable SQLite results store; run the sweep again into a new --store"
        : nil)
  }

  /// Runs one or more statements that return no rows.
  func execute(_ sql: String) throws(ConfigError) {
    let code = sqlite.exec(handle, sql, nil, nil, nil)
    guard code == SQLiteLibrary.ok else { throw error("cannot run \(sql.prefix(60))", code) }
  }

  func prepare(_ sql: String) throws(ConfigError) -> SQLiteStatement {
    var statement: OpaquePointer?
    let code = sqlite.prepare_v2(handle, sql, -1, &statement, nil)
    guard code == SQLiteLibrary.ok, let statement else { throw error("cannot prepare \(sql.prefix(60))", code) }
    return SQLiteStatement(database: self, statement: statement)
  }

  /// Runs `body` in one immediate transaction: all of it is written, or none.
  func transaction<T>(_ body: () throws(ConfigError) -> T) throws(ConfigError) -> T {
    try execute("BEGIN IMMEDIATE")
    do {
      let value = try body()
      try execute("COMMIT")
      return value
    } catch {
      try? execute("ROLLBACK")
      throw error
    }
  }

  /// Every row of `sql` as column name → value.
  func rows(_ sql: String, _ values: [SQLiteValue] = []) throws(ConfigError) -> [[String: SQLiteValue]] {
    let statement = try prepare(sql)
    try statement.bind(values)
    var result: [[String: SQLiteValue]] = []
    while try statement.step() {
      var row: [String: SQLiteValue] = [:]
      for i in 0..<statement.columnCount { row[statement.columnName(i)] = statement.value(i) }
      result.append(row)
    }
    return result
  }
}

/// One value in or out of SQLite.
public enum SQLiteValue: Hashable, Sendable {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)

  public var double: Double? {
    switch self {
    case .integer(let i): Double(i)
    case .real(let d): d
    default: nil
    }
  }

  public var text: String? { if case .text(let s) = self { s } else { nil } }
}

/// A prepared statement, finalised when released.
final class SQLiteStatement {
  private let database: SQLiteDatabase
  private let statement: OpaquePointer
  private var sqlite: SQLiteLibrary { database.sqlite }

  fileprivate init(database: SQLiteDatabase, statement: OpaquePointer) {
    self.database = database
    self.statement = statement
  }

  deinit { _ = database.sqlite.finalize(statement) }

  func bind(_ values: [SQLiteValue]) throws(ConfigError) {
    _ = sqlite.reset(statement)
    _ = sqlite.clear_bindings(statement)
    for (i, value) in values.enumerated() {
      let index = Int32(i + 1)
      let code: Int32 =
        switch value {
        case .null: sqlite.bind_null(statement, index)
        case .integer(let v): sqlite.bind_int64(statement, index, v)
        case .real(let v): sqlite.bind_double(statement, index, v)
        case .text(let v): sqlite.bind_text(statement, index, v, -1, SQLiteLibrary.transient)
        }
      guard code == SQLiteLibrary.ok else { throw database.error("cannot bind value \(i + 1)", code) }
    }
  }

  /// Advances to the next row: `true` while there is one.
  func step() throws(ConfigError) -> Bool {
    let code = sqlite.step(statement)
    if code == SQLiteLibrary.row { return true }
    if code == SQLiteLibrary.done { return false }
    throw database.error("cannot run a statement", code)
  }

  /// Binds `values`, runs the statement to its end and resets it.
  func run(_ values: [SQLiteValue]) throws(ConfigError) {
    try bind(values)
    while try step() {}
    _ = sqlite.reset(statement)
  }

  var columnCount: Int { Int(sqlite.column_count(statement)) }

  func columnName(_ i: Int) -> String {
    sqlite.column_name(statement, Int32(i)).map { String(cString: $0) } ?? "column \(i)"
  }

  func value(_ i: Int) -> SQLiteValue {
    let index = Int32(i)
    switch sqlite.column_type(statement, index) {
    case SQLiteLibrary.integerType: return .integer(sqlite.column_int64(statement, index))
    case SQLiteLibrary.floatType: return .real(sqlite.column_double(statement, index))
    case SQLiteLibrary.nullType: return .null
    default:
      guard let text = sqlite.column_text(statement, index) else { return .null }
      return .text(String(cString: text))
    }
  }
}
