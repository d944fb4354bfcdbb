import HybrixCore
import Workloads

/// Version 2's per-operator fields: the row order of an `n` split (H3PIMAP's Row Remap) and the
/// arrays by mode and segment (CMSwitch). What the file alone can check is checked on reading;
/// what needs the graph (the row count) or the tier (array capacity) when the plan is made or
/// priced (``CostModel``'s allocation checks).
extension MappingFile {
  /// A permutation of `0..<n`, given to an `n` split over several tiers.
  static func readRowOrder(
    _ value: JSONValue, at p: String, entry: OperatorEntry, _ r: JSONFieldReader
  ) throws(ConfigError) -> [Int] {
    guard entry.axis == .n, entry.shares.count > 1 else {
      throw r.error(
        p, "given to \(entry.shares.count == 1 ? "an operator on one tier" : "a split along \(entry.axis.rawValue)")",
        expected: "a row order only for a split along n over several tiers",
        hint: "drop rowOrder: rows matter only when output columns are divided between tiers")
    }
    let list = try r.array(value, at: p, expected: "an array of row indices")
    var seen = [Bool](repeating: false, count: list.count)
    var rows: [Int] = []
    rows.reserveCapacity(list.count)
    for (i, v) in list.enumerated() {
      let row = try r.integer(
        v, at: "\(p)[\(i)]", in: 0...max(0, list.count - 1),
        expected: "a row index in 0…\(max(0, list.count - 1)) (the array is a permutation)")
      guard !seen[row] else {
        throw r.error(
          "\(p)[\(i)]", "row \(row) a second time", expected: "each row once (a permutation of 0…\(list.count - 1))",
          hint: "write the mapping again with the tool that made it")
      }
      seen[row] = true
      rows.append(row)
    }
    return rows
  }

  /// Counts of a whole operator's arrays: compute ≥ 1, buffers ≥ 0, shared ≤ input buffers.
  static func readArrays(
    _ value: JSONValue, at p: String, entry: OperatorEntry, _ r: JSONFieldReader
  ) throws(ConfigError) -> Arrays {
    guard entry.shares.count == 1 else {
      throw r.error(
        p, "given to an operator split over \(entry.shares.count) tiers",
        expected: "arrays only for a whole operator on one tier", hint: "drop arrays, or place the operator on one CIM tier")
    }
    let keys = ["compute", "inputBuffers", "outputBuffers", "sharedInputBuffers", "segment"]
    let o = try r.object(value, at: p, keys: keys, what: "an object with \(keys.joined(separator: ", "))")
    func count(_ key: String, from low: Int) throws(ConfigError) -> Int {
      let expected = low == 1 ? "a count ≥ 1" : "a count ≥ 0"
      return try r.integer(
        try r.member(o, key, at: p, expected: expected), at: p + "." + key, in: low...Int(Int32.max), expected: expected)
    }
    let a = Arrays(
      compute: try count("compute", from: 1), inputBuffers: try count("inputBuffers", from: 0),
      outputBuffers: try count("outputBuffers", from: 0), sharedInputBuffers: try count("sharedInputBuffers", from: 0),
      segment: try count("segment", from: 0))
    guard a.sharedInputBuffers <= a.inputBuffers else {
      throw r.error(
        p + ".sharedInputBuffers", "\(a.sharedInputBuffers)", expected: "at most inputBuffers (\(a.inputBuffers))",
        hint: "shared input buffers are input buffers that are also the producer's output buffers")
    }
    return a
  }

  /// Segments are contiguous in graph order: the segment indices of the operators with arrays
  /// never decrease.
  static func checkSegmentOrder(_ entries: [OperatorEntry], _ r: JSONFieldReader) throws(ConfigError) {
    var last: (index: Int, segment: Int)?
    for (i, e) in entries.enumerated() {
      guard let a = e.arrays else { continue }
      if let last, a.segment < last.segment {
        throw r.error(
          "operators[\(i)](\(e.name)).arrays.segment", "\(a.segment) after segment \(last.segment) at operators[\(last.index)]",
          expected: "segment indices that never decrease in graph order",
          hint: "segments are contiguous runs of operators; write the program again with `hybrix compile --save-mapping`")
      }
      last = (i, a.segment)
    }
  }

  /// The allocations of the entries, with what each segment shares derived from its entries:
  /// its operators with arrays and its memory-mode arrays (shared buffers counted once).
  func allocations() -> [ArrayAllocation?] {
    var members: [Int: Int] = [:]
    var memory: [Int: Int] = [:]
    for e in operators {
      guard let a = e.arrays else { continue }
      members[a.segment, default: 0] += 1
      memory[a.segment, default: 0] += a.inputBuffers + a.outputBuffers - a.sharedInputBuffers
    }
    return operators.map { e in
      e.arrays.map { a in
        ArrayAllocation(
          compute: a.compute, inputBuffers: a.inputBuffers, outputBuffers: a.outputBuffers,
          sharedInputBuffers: a.sharedInputBuffers, segment: a.segment,
          segmentOperators: members[a.segment] ?? 1, segmentMemoryArrays: memory[a.segment] ?? 0)
      }
    }
  }

  /// The row order of `entry` for an operator with `rows` output columns (`op`'s `n`), after
  /// checking the count.
  static func rowOrder(
    of entry: OperatorEntry, index i: Int, rows: Int?, file: String
  ) throws(ConfigError) -> [Int]? {
    guard let order = entry.rowOrder else { return nil }
    guard let rows, rows == order.count else {
      throw ConfigError(
        file: file, path: "operators[\(i)](\(entry.name)).rowOrder",
        message: "\(order.count) rows, but operator \(entry.name) has \(rows.map { "\($0) output columns" } ?? "no matrix product")",
        expected: rows.map { "a permutation of 0…\($0 - 1)" } ?? "no rowOrder",
        hint: "the mapping was made for another model or size; map it again")
    }
    return order
  }
}
