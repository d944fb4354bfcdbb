import Execution
import Foundation
import HybrixCore
import HybrixNumerics
import Mapping

/// Mirage's Table I experiment on Fashion-MNIST (issue 13 §4): the same model trained from the
/// same seeds with every product of the forward and both backward GEMMs through one arithmetic —
/// FP32, Mirage's RNS (moduli 31, 32, 33) with BFP groups of 16 and 4-bit mantissas
/// (`rns-mirage`), INT8 (`int8`) and a conventional 6-bit analog core (`analog6`) — and the
/// final test accuracy per arithmetic as a mean with its 95 % t-interval over the seeds.
///
/// Runs are independent and seeded, so they run side by side (one per core) with the same
/// results as one after another.
public struct MirageAccuracyStudy: Sendable {
  /// The arithmetics in the order reported, FP32 first (the reference of the drops).
  public static let arithmetics = ["fp32", "rns-mirage", "int8", "analog6"]

  public var model: String
  public var seeds: [UInt64]
  public var epochs: Int
  /// Training images (`nil`: all 60 000) and test images (`nil`: all 10 000).
  public var trainLimit: Int?
  public var testLimit: Int?
  public var dataFolder: String
  /// Where finished runs are kept and reused (`--cache`): an interrupted study resumes.
  public var cache: TrainingRunCache?
  /// Written into each cached record ("hybrix 0.1.0").
  public var tool: String

  public init(
    model: String = "small-cnn", seeds: [UInt64] = [0, 1, 2], epochs: Int = 1, trainLimit: Int? = nil, testLimit: Int? = nil,
    dataFolder: String = FashionMNIST.defaultDirectory, cache: TrainingRunCache? = nil, tool: String = "hybrix"
  ) {
    self.cache = cache
    self.tool = tool
    self.model = model
    self.seeds = seeds
    self.epochs = epochs
    self.trainLimit = trainLimit
    self.testLimit = testLimit
    self.dataFolder = dataFolder
  }

  /// One arithmetic's accuracies over the seeds.
  public struct Row: Sendable, Hashable {
    public var arithmetic: String
    /// Final test accuracy per seed, as fractions, in seed order.
    public var accuracies: [Double]
    /// Mean and 95 % t-interval over the seeds (the accuracy probe's statistics).
    public var statistics: SampleStatistics { SampleStatistics(accuracies) }
  }

  public struct Outcome: Sendable {
    public var rows: [Row]
    public var trainSamples: Int
    public var testSamples: Int
    public var wallSeconds: Double
    /// Runs read from the cache instead of trained, with the tools that trained them.
    public var cachedRuns: Int = 0
    public var cachedTools: [String] = []
    /// Cached runs read from records without a numerics fingerprint (not checked against this build).
    public var uncheckedRuns: Int = 0
    /// Cached records of these runs that came from other numerics, and were trained again.
    public var staleRuns: Int = 0
    public func row(_ arithmetic: String) -> Row? { rows.first { $0.arithmetic == arithmetic } }
  }

  /// Trains every (arithmetic, seed) pair; `progress` gets a line per finished run and, while
  /// runs train, the batch each of them is at.
  public func run(progress: @escaping @Sendable (String) -> Void = { _ in }) async throws(ConfigError) -> Outcome {
    let start = ContinuousClock.now
    let train = try FashionMNIST.load(split: .train, directory: dataFolder, limit: trainLimit)
    let test = try FashionMNIST.load(split: .test, directory: dataFolder, limit: testLimit)
    let jobs = Self.arithmetics.flatMap { a in seeds.map { (a, $0) } }
    let width = max(1, min(ProcessInfo.processInfo.activeProcessorCount, jobs.count))
    var results: [Int: Double] = [:]
    var cachedTools: [String] = []
    var (unchecked, stale) = (0, 0)
    // With a cache, this build's fingerprint of each arithmetic's numerics (one optimizer step
    // each): records are checked against it and new ones carry it.
    var prints: [String: String] = [:]
    if cache != nil {
      for a in Self.arithmetics {
        progress("mirage accuracy: \(model) fingerprinting \(a) (one training step)")
        prints[a] = try TrainingRunCache.numericsFingerprint(model: model, configuration: configuration(arithmetic: a, seed: 0), train: train)
      }
    }
    // Cached runs first, so the progress line counts only what is left to train.
    var pending: [Int] = []
    for (i, (arithmetic, seed)) in jobs.enumerated() {
      if let record = try cache?.lookup(
        model: model, configuration: configuration(arithmetic: arithmetic, seed: seed), trainSamples: train.count,
        testSamples: test.count)
      {
        let reuse = record.reuse(numerics: prints[arithmetic] ?? "")
        guard reuse != .otherNumerics else {
          stale += 1
          progress("mirage accuracy: \(model) \(arithmetic) seed \(seed): the cached record came from other numerics; training again")
          pending.append(i)
          continue
        }
        if reuse == .unchecked { unchecked += 1 }
        results[i] = record.finalTestAccuracy
        cachedTools.append(record.tool)
        progress("mirage accuracy: \(model) \(arithmetic) seed \(seed): \(String(format: "%.2f", 100 * record.finalTestAccuracy)) % (from the cache, \(record.tool)\(reuse == .unchecked ? ", not checked: no fingerprint" : ""))")
      } else {
        pending.append(i)
      }
    }
    let board = RunBoard(model: model, total: jobs.count, done: jobs.count - pending.count, report: progress)
    do {
      try await withThrowingTaskGroup(of: (Int, Double).self) { group in
        var next = 0
        func add() {
          let i = pending[next]
          let (arithmetic, seed) = jobs[i]
          let study = self
          let numerics = prints[arithmetic]
          group.addTask {
            let run = "\(arithmetic) seed \(seed)"
            let accuracy = try study.train(arithmetic: arithmetic, seed: seed, train: train, test: test, numerics: numerics) { p in
              if p.batch % 10 == 0 || p.batch == p.batches { board.update(run, p) }
            }
            board.finish(run, accuracy: accuracy)
            return (i, accuracy)
          }
          next += 1
        }
        while next < min(width, pending.count) { add() }
        while let (i, accuracy) = try await group.next() {
          results[i] = accuracy
          if next < pending.count { add() }
        }
      }
    } catch let error as ConfigError {
      throw error
    } catch {
      throw ConfigError(message: "the Mirage accuracy study failed: \(error)")
    }
    let rows = Self.arithmetics.enumerated().map { k, a in
      Row(arithmetic: a, accuracies: seeds.indices.map { results[k * seeds.count + $0] ?? .nan })
    }
    let d = ContinuousClock.now - start
    return Outcome(
      rows: rows, trainSamples: train.count, testSamples: test.count,
      wallSeconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18,
      cachedRuns: cachedTools.count, cachedTools: Array(Set(cachedTools)).sorted(), uncheckedRuns: unchecked, staleRuns: stale)
  }

  /// The trainer's settings of one run: its defaults with this study's epochs, `arithmetic`
  /// and `seed`.
  public func configuration(arithmetic: String, seed: UInt64) -> TrainingConfiguration {
    var c = TrainingConfiguration()
    c.epochs = epochs
    c.arithmetic = arithmetic
    c.seed = seed
    return c
  }

  /// One training run: the zoo model from `seed`, SGD with the trainer's defaults, every product
  /// through `arithmetic`; the final test accuracy, kept in the cache when there is one.
  func train(
    arithmetic: String, seed: UInt64, train: Dataset, test: Dataset, numerics: String? = nil,
    progress: ((TrainingProgress) -> Void)? = nil
  ) throws(ConfigError) -> Double {
    let c = configuration(arithmetic: arithmetic, seed: seed)
    let start = ContinuousClock.now
    let report = try Trainer(c).trainZoo(model, on: train, test: test, progress: progress)
    guard let accuracy = report.finalTestAccuracy else {
      throw ConfigError(message: "training \(model) with \(arithmetic) gave no test accuracy")
    }
    let d = ContinuousClock.now - start
    try cache?.store(TrainingRunCache.Record(
      model: model, configuration: c, trainSamples: train.count, testSamples: test.count, finalTestAccuracy: accuracy,
      wallSeconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18, tool: tool, numerics: numerics))
    return accuracy
  }
}

/// The runs in flight and how far each is, as one progress line ("mirage accuracy: resnet20-fm,
/// 3 of 12 done · fp32 seed 1 batch 450/938 · int8 seed 0 evaluating"); called from the runs'
/// tasks.
private final class RunBoard: @unchecked Sendable {
  let model: String
  let total: Int
  let report: @Sendable (String) -> Void
  private let lock = NSLock()
  private var done: Int
  private var active: [(run: String, state: String)] = []

  init(model: String, total: Int, done: Int, report: @escaping @Sendable (String) -> Void) {
    self.model = model
    self.total = total
    self.done = done
    self.report = report
  }

  func update(_ run: String, _ p: TrainingProgress) {
    let state =
      p.phase == .evaluating
      ? "evaluating" : "epoch \(p.epoch)/\(p.epochs) batch \(p.batch)/\(p.batches)"
    let line: String = lock.withLock {
      if let k = active.firstIndex(where: { $0.run == run }) { active[k].state = state } else { active.append((run, state)) }
      return summary()
    }
    report(line)
  }

  func finish(_ run: String, accuracy: Double) {
    let line: String = lock.withLock {
      active.removeAll { $0.run == run }
      done += 1
      return "mirage accuracy: \(model) \(run): \(String(format: "%.2f", 100 * accuracy)) % · " + summary()
    }
    report(line)
  }

  /// Under the lock.
  private func summary() -> String {
    (["mirage accuracy: \(model), \(done) of \(total) runs done"] + active.map { "\($0.run) \($0.state)" })
      .joined(separator: " · ")
  }
}
