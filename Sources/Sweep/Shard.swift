import HybrixCore

/// One deterministic slice of a sweep: shard `index` of `count` takes the points whose plan
/// index is `index` modulo `count` (round robin, so each shard gets a like mix of models).
public struct Shard: Hashable, Sendable, CustomStringConvertible {
  public var index: Int
  public var count: Int

  public init(index: Int, count: Int) throws(ConfigError) {
    guard count >= 1 else {
      throw ConfigError(path: "--shard", message: "\(index)/\(count)", expected: "a shard count ≥ 1")
    }
    guard (0..<count).contains(index) else {
      throw ConfigError(
        path: "--shard", message: "shard index \(index) is out of range for \(count) shards",
        expected: "an index in 0…\(count - 1) (shards count from 0, as Slurm's --array=0-\(count - 1) does)")
    }
    self.index = index
    self.count = count
  }

  /// Reads `i/N`.
  public init(parsing text: String) throws(ConfigError) {
    let parts = text.split(separator: "/").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard parts.count == 2, let i = parts[0], let n = parts[1] else {
      throw ConfigError(path: "--shard", message: "\"\(text)\"", expected: "INDEX/COUNT, e.g. 0/4")
    }
    try self.init(index: i, count: n)
  }

  /// The shard Slurm's job-array variables name (`SLURM_ARRAY_TASK_ID`, `SLURM_ARRAY_TASK_COUNT`,
  /// and `SLURM_ARRAY_TASK_MIN` when the array does not start at 0), or `nil` outside an array.
  public static func fromSlurm(_ environment: [String: String]) throws(ConfigError) -> Shard? {
    guard let idText = environment["SLURM_ARRAY_TASK_ID"] else { return nil }
    guard let id = Int(idText), let count = environment["SLURM_ARRAY_TASK_COUNT"].flatMap(Int.init) else {
      throw ConfigError(
        path: "SLURM_ARRAY_TASK_ID", message: "\(idText) with SLURM_ARRAY_TASK_COUNT \(environment["SLURM_ARRAY_TASK_COUNT"] ?? "unset")",
        expected: "integers set by sbatch --array", hint: "or pass --shard INDEX/COUNT")
    }
    let minimum = environment["SLURM_ARRAY_TASK_MIN"].flatMap(Int.init) ?? 0
    return try Shard(index: id - minimum, count: count)
  }

  public func contains(_ point: SweepPoint) -> Bool { point.index % count == index }

  public var description: String { "\(index)/\(count)" }
}
