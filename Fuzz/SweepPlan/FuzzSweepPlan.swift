import Foundation
import FuzzDriver
import HybrixCore
import Sweep

/// libFuzzer entry point for the sweep-plan loader (`hybrix sweep PLAN`): any text must give a
/// plan (whose points are then numbered and hashed, as `hybrix sweep` does, when there are at
/// most 64: beyond that the work only repeats (2 000 points ran at 55 inputs/s), and the loader bounds it at
/// ``SweepPlan/maxPoints``) or ConfigErrors, never a crash. Relative paths in a plan resolve
/// against an empty folder.
public func fuzzSweepPlan(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let text = data.map { String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self) } ?? ""
  if let plan = try? SweepPlan.load(yaml: text, file: "fuzz.yaml", folder: emptyFolder), plan.pointCount <= 64 {
    _ = plan.points().count
  }
  return 0
}

let emptyFolder: String = {
  let path = NSTemporaryDirectory() + "hybrix-fuzz-empty"
  try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}()

@main enum Main {
  static func main() { runLibFuzzer { data, size in fuzzSweepPlan(data, size) } }
}
