import ArgumentParser
import Foundation
import HybrixCore

@testable import HybrixCLI
@testable import Sweep

/// The repository's root, found from this file.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

/// A fresh folder for one test's stores.
func temporaryFolder(_ name: String = #function) -> String {
  let safe = name.filter { $0.isLetter || $0.isNumber }
  let path = NSTemporaryDirectory() + "hybrix-sweep-\(safe)-\(UUID().uuidString.prefix(8))"
  try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

/// Loads a plan from YAML text written in a test.
func plan(_ yaml: String) throws -> SweepPlan {
  try SweepPlan.load(yaml: yaml, file: "test.yaml", folder: repositoryRoot.path)
}

/// Every row of a store with every column, ordered by hash: what "row for row" compares.
func allRows(_ path: String) throws -> [[SQLiteValue]] {
  let store = try ResultStore(path: path, readOnly: true)
  let columns = PointRecord.columns.map(\.name)
  return try store.lockedDatabase { db throws(ConfigError) in
    try db.rows("SELECT * FROM points ORDER BY hash").map { row in columns.map { row[$0] ?? .null } }
  }
}

/// The `hybrix` executable that `swift build` put beside the test bundle.
var hybrixExecutable: String? {
  let candidates = [
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("hybrix").path,
    repositoryRoot.appendingPathComponent(".build/debug/hybrix").path,
  ]
  return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}
