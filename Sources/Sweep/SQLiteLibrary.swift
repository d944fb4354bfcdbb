#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import HybrixCore

/// The SQLite C library found at run time with `dlopen`, so that building Hybrix needs no SQLite
/// header (Debian's `libsqlite3-dev`) and everything but `hybrix sweep`/`results` works without it.
///
/// Loading tries `libsqlite3.so.0` (Debian `libsqlite3-0`, which the Swift toolchain on Linux
/// already needs), then `libsqlite3.so`, then macOS's `libsqlite3.dylib`. Only the functions the
/// results store calls are declared here, each with its C type from sqlite3.h, as in
/// ``BLASBackend`` (HybrixNumerics).
struct SQLiteLibrary: @unchecked Sendable {
  // @unchecked: only immutable C function pointers, which are safe to share.
  typealias Handle = OpaquePointer  // sqlite3*
  typealias Statement = OpaquePointer  // sqlite3_stmt*
  typealias CString = UnsafePointer<CChar>

  let open_v2: @convention(c) (CString?, UnsafeMutablePointer<Handle?>?, Int32, CString?) -> Int32
  let close: @convention(c) (Handle?) -> Int32
  let errmsg: @convention(c) (Handle?) -> CString?
  let busy_timeout: @convention(c) (Handle?, Int32) -> Int32
  // The callback argument is always NULL here, so it is declared as a plain pointer.
  let exec: @convention(c) (Handle?, CString?, OpaquePointer?, UnsafeMutableRawPointer?, OpaquePointer?) -> Int32
  let prepare_v2: @convention(c) (Handle?, CString?, Int32, UnsafeMutablePointer<Statement?>?, OpaquePointer?) -> Int32
  let finalize: @convention(c) (Statement?) -> Int32
  let reset: @convention(c) (Statement?) -> Int32
  let clear_bindings: @convention(c) (Statement?) -> Int32
  let bind_null: @convention(c) (Statement?, Int32) -> Int32
  let bind_int64: @convention(c) (Statement?, Int32, Int64) -> Int32
  let bind_double: @convention(c) (Statement?, Int32, Double) -> Int32
  // The destructor is always SQLITE_TRANSIENT ((void *)-1), so it is declared as a plain pointer.
  let bind_text: @convention(c) (Statement?, Int32, CString?, Int32, UnsafeRawPointer?) -> Int32
  let step: @convention(c) (Statement?) -> Int32
  let column_count: @convention(c) (Statement?) -> Int32
  let column_name: @convention(c) (Statement?, Int32) -> CString?
  let column_type: @convention(c) (Statement?, Int32) -> Int32
  let column_int64: @convention(c) (Statement?, Int32) -> Int64
  let column_double: @convention(c) (Statement?, Int32) -> Double
  let column_text: @convention(c) (Statement?, Int32) -> UnsafePointer<UInt8>?

  /// File name of the library that was loaded.
  let libraryName: String

  // Constants from sqlite3.h.
  static let ok: Int32 = 0
  static let corrupt: Int32 = 11
  static let notADatabase: Int32 = 26
  static let row: Int32 = 100
  static let done: Int32 = 101
  static let openReadOnly: Int32 = 0x1
  static let openReadWrite: Int32 = 0x2
  static let openCreate: Int32 = 0x4
  static let openNoMutex: Int32 = 0x8000
  static let integerType: Int32 = 1
  static let floatType: Int32 = 2
  static let nullType: Int32 = 5
  /// SQLITE_TRANSIENT: SQLite copies the bound text before the call returns.
  static var transient: UnsafeRawPointer? { UnsafeRawPointer(bitPattern: -1) }

  /// Library names tried in order.
  static let candidates = ["libsqlite3.so.0", "libsqlite3.so", "libsqlite3.dylib", "/usr/lib/libsqlite3.dylib"]

  /// The process-wide library, or the error that says why it could not be loaded.
  static let shared: Result<SQLiteLibrary, ConfigError> = load()

  /// The process-wide library; throws one clear error naming the package when it is missing.
  static func required() throws(ConfigError) -> SQLiteLibrary {
    try shared.get()
  }

  /// Loads the first candidate that exports every function the store calls.
  static func load(candidates: [String] = SQLiteLibrary.candidates) -> Result<SQLiteLibrary, ConfigError> {
    var problems: [String] = []
    for name in candidates {
      guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
        problems.append(dlerror().map { String(cString: $0) } ?? "\(name): cannot be opened")
        continue
      }
      do {
        // The handle stays open for the life of the process: the function pointers point into it.
        return .success(try SQLiteLibrary(handle: handle, name: name))
      } catch {
        problems.append(error.message)
        dlclose(handle)
      }
    }
    return .failure(
      ConfigError(
        message: "cannot load the SQLite library that `hybrix sweep` and `hybrix results` need (tried \(candidates.joined(separator: ", ")))",
        hint: "install Debian's libsqlite3-0: apt-get install libsqlite3-0 (every other command works without it)"
          + (problems.isEmpty ? "" : "; \(problems.joined(separator: "; "))")))
  }

  private init(handle: UnsafeMutableRawPointer, name: String) throws(ConfigError) {
    func symbol<F>(_ symbolName: String) throws(ConfigError) -> F {
      guard let address = dlsym(handle, symbolName) else {
        throw ConfigError(message: "\(name) has no \(symbolName)")
      }
      return unsafeBitCast(address, to: F.self)
    }
    libraryName = name
    open_v2 = try symbol("sqlite3_open_v2")
    close = try symbol("sqlite3_close")
    errmsg = try symbol("sqlite3_errmsg")
    busy_timeout = try symbol("sqlite3_busy_timeout")
    exec = try symbol("sqlite3_exec")
    prepare_v2 = try symbol("sqlite3_prepare_v2")
    finalize = try symbol("sqlite3_finalize")
    reset = try symbol("sqlite3_reset")
    clear_bindings = try symbol("sqlite3_clear_bindings")
    bind_null = try symbol("sqlite3_bind_null")
    bind_int64 = try symbol("sqlite3_bind_int64")
    bind_double = try symbol("sqlite3_bind_double")
    bind_text = try symbol("sqlite3_bind_text")
    step = try symbol("sqlite3_step")
    column_count = try symbol("sqlite3_column_count")
    column_name = try symbol("sqlite3_column_name")
    column_type = try symbol("sqlite3_column_type")
    column_int64 = try symbol("sqlite3_column_int64")
    column_double = try symbol("sqlite3_column_double")
    column_text = try symbol("sqlite3_column_text")
  }
}
