import Dispatch
import Foundation
import HybrixCore
import Workloads

/// Runs the points of a plan (or of one shard of it) that its store does not hold yet, on `jobs`
/// worker threads, writing each finished point to the store in its own transaction.
public struct SweepRunner: Sendable {
  public var plan: SweepPlan
  public var store: ResultStore
  public var jobs: Int
  public var shard: Shard?

  public init(plan: SweepPlan, store: ResultStore, jobs: Int, shard: Shard? = nil) {
    self.plan = plan
    self.store = store
    self.jobs = max(1, jobs)
    self.shard = shard
  }

  /// Where a running sweep is.
  public struct Progress: Sendable {
    /// Points of this shard to run in this invocation (those not yet stored).
    public var total: Int
    public var done: Int
    /// Points of this shard found in the store and skipped.
    public var resumed: Int
    public var seconds: Double
  }

  public struct Summary: Sendable {
    public var planPoints: Int
    public var shardPoints: Int
    public var resumed: Int
    public var ran: Int
    public var byStatus: [String: Int]
    public var seconds: Double
    /// Where the time went (wall seconds, summed over workers): numbering and hashing the
    /// points and reading the stored hashes; running the points (the code `hybrix map` runs);
    /// building their rows and writing them. The last two are the sweep's own per-point
    /// overhead against `map` (docs/sweeps.md, "Performance").
    public var planSeconds: Double = 0
    public var mappingSeconds: Double = 0
    public var storeSeconds: Double = 0
  }

  /// Runs the sweep; `progress` is called after each point, from worker threads. Stops early,
  /// with every finished point stored, once `shouldStop` returns true.
  public func run(
    progress: @escaping @Sendable (Progress) -> Void = { _ in },
    shouldStop: @escaping @Sendable () -> Bool = { false }
  ) async throws(ConfigError) -> Summary {
    let started = Date()
    let all = plan.points()
    let mine = shard.map { s in all.filter { s.contains($0) } } ?? all
    let stored = try store.storedHashes()
    let todo = mine.filter { !stored.contains($0.hash) }
    let planSeconds = Date().timeIntervalSince(started)
    let state = RunState(total: todo.count, resumed: mine.count - todo.count)
    let workloads = WorkloadCache()
    let planName = plan.name
    let store = self.store
    // `jobs` workers, each taking the next point until none is left; the search code is
    // synchronous inside, so each worker keeps one thread of the cooperative pool busy.
    await withTaskGroup(of: Void.self) { group in
      for _ in 0..<min(jobs, max(1, todo.count)) {
        group.addTask {
          while !shouldStop(), let i = state.next() {
            let point = todo[i]
            let mappingStarted = Date()
            let outcome: PointRunner.Outcome
            switch workloads.load(point.workload) {
            case .success(let loaded): outcome = await PointRunner.run(point, workload: loaded)
            case .failure(let error): outcome = PointRunner.Outcome(status: .invalid, reason: error.description)
            }
            let storeStarted = Date()
            let record = PointRecord(point: point, plan: planName, outcome: outcome)
            do throws(ConfigError) { try store.insert(record) } catch {
              state.fail(error)
              return
            }
            state.addTimes(mapping: storeStarted.timeIntervalSince(mappingStarted), store: Date().timeIntervalSince(storeStarted))
            progress(state.finished(record.status, seconds: Date().timeIntervalSince(started)))
          }
        }
      }
    }
    if let error = state.error { throw error }
    return Summary(
      planPoints: all.count, shardPoints: mine.count, resumed: mine.count - todo.count, ran: state.done,
      byStatus: state.byStatus, seconds: Date().timeIntervalSince(started), planSeconds: planSeconds,
      mappingSeconds: state.mappingSeconds, storeSeconds: state.storeSeconds)
  }
}

/// The shared counters of one run, under a lock.
final class RunState: @unchecked Sendable {
  // @unchecked: every field is read and written under `lock`.
  private let lock = NSLock()
  private var nextIndex = 0
  private(set) var done = 0
  private(set) var byStatus: [String: Int] = [:]
  private(set) var error: ConfigError?
  private(set) var mappingSeconds = 0.0
  private(set) var storeSeconds = 0.0
  let total: Int
  let resumed: Int

  init(total: Int, resumed: Int) {
    self.total = total
    self.resumed = resumed
  }

  func next() -> Int? {
    lock.withLock {
      guard error == nil, nextIndex < total else { return nil }
      defer { nextIndex += 1 }
      return nextIndex
    }
  }

  func finished(_ status: String, seconds: Double) -> SweepRunner.Progress {
    lock.withLock {
      done += 1
      byStatus[status, default: 0] += 1
      return SweepRunner.Progress(total: total, done: done, resumed: resumed, seconds: seconds)
    }
  }

  func addTimes(mapping: Double, store: Double) {
    lock.withLock {
      mappingSeconds += mapping
      storeSeconds += store
    }
  }

  func fail(_ e: ConfigError) { lock.withLock { if error == nil { error = e } } }
}

/// Each workload of a sweep loaded once, shared by the workers.
final class WorkloadCache: @unchecked Sendable {
  // @unchecked: `entries` is read and written under `lock`.
  private let lock = NSLock()
  private var entries: [WorkloadRequest: Result<WorkloadRequest.Loaded, ConfigError>] = [:]

  func load(_ request: WorkloadRequest) -> Result<WorkloadRequest.Loaded, ConfigError> {
    if let hit = lock.withLock({ entries[request] }) { return hit }
    // Loaded outside the lock: two workers may build one graph twice, never block each other.
    let loaded = Result { () throws(ConfigError) in try request.load() }
    lock.withLock { entries[request] = loaded }
    return loaded
  }
}
