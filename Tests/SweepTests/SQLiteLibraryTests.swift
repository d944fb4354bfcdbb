import Foundation
import HybrixCore
import Testing

@testable import Sweep

/// The store's SQLite is loaded at run time (no build-time header); these check the loader.
@Suite struct SQLiteLibraryTests {
  @Test func theSystemLibraryLoadsAndAnswers() throws {
    let sqlite = try SQLiteLibrary.required()
    #expect(SQLiteLibrary.candidates.contains(sqlite.libraryName))
    // A real round trip through the loaded functions: an in-memory database computes 6 × 7.
    let database = try SQLiteDatabase(path: ":memory:")
    let rows = try database.rows("SELECT 6 * 7 AS answer, 'x' || ? AS text, ? AS real", [.text("y"), .real(0.5)])
    #expect(rows == [["answer": .integer(42), "text": .text("xy"), "real": .real(0.5)]])
  }

  @Test func aMissingLibraryIsOneMessageNamingTheDebianPackage() {
    let result = SQLiteLibrary.load(candidates: ["libhybrix-no-such-sqlite.so.0"])
    guard case .failure(let error) = result else {
      Issue.record("a library that does not exist was loaded")
      return
    }
    #expect(error.message.contains("hybrix sweep") && error.message.contains("libhybrix-no-such-sqlite.so.0"))
    #expect(error.hint?.contains("apt-get install libsqlite3-0") == true)
  }

  @Test func aLibraryWithoutTheFunctionsIsRefused() {
    // libm exists everywhere and exports no sqlite3_ function.
    let result = SQLiteLibrary.load(candidates: ["libm.so.6"])
    guard case .failure(let error) = result else {
      Issue.record("libm was taken for SQLite")
      return
    }
    #expect(error.hint?.contains("libm.so.6 has no sqlite3_open_v2") == true)
  }
}
