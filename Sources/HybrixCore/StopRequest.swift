import Dispatch
import Foundation

/// Why and when a long command was asked to stop early: Ctrl-C (SIGINT) or `--time-limit`.
/// One mechanism for every command that stops cleanly: `hybrix sweep` and `hybrix explore`.
///
/// The work polls ``isRequested`` (a sweep before each point; a search through its budget,
/// `SearchBudget.stop`), so a stop lets the work under way finish and be reported. Work can
/// take longer than a second (a large model's search), so ``startWatchdog(grace:onTimeout:)``
/// gives the command a hard stop: `grace` after the request, it calls `onTimeout` on its own
/// thread (never on the cooperative pool, which the workers may be holding), whatever the
/// workers are doing.
public final class StopRequest: @unchecked Sendable {
  // @unchecked: every field is read and written under `lock`.
  public enum Reason: String, Sendable {
    case interrupted = "interrupted (Ctrl-C)"
    case timeLimit = "stopped at the time limit"
  }

  private let lock = NSLock()
  private var reasonValue: Reason?
  private var requestedAt: ContinuousClock.Instant?
  private var finishedValue = false
  private let deadline: ContinuousClock.Instant?
  private var signalSource: (any DispatchSourceSignal)?

  /// A stop that comes by itself `timeLimit` seconds from now (never when nil).
  public init(timeLimitSeconds: Double? = nil) {
    deadline = timeLimitSeconds.map { ContinuousClock.now.advanced(by: .nanoseconds(Int64(min($0 * 1e9, 9e18)))) }
  }

  /// Asks for a stop (the first reason is kept).
  public func request(_ reason: Reason) {
    lock.withLock {
      if reasonValue == nil {
        reasonValue = reason
        requestedAt = .now
      }
    }
  }

  /// The reason a stop was asked for, once it was (or the time limit has passed).
  public var reason: Reason? {
    if let deadline, ContinuousClock.now >= deadline { request(.timeLimit) }
    return lock.withLock { reasonValue }
  }

  public var isRequested: Bool { reason != nil }

  /// Marks the run as finished: the watchdog will not fire.
  public func finish() { lock.withLock { finishedValue = true } }

  private var isFinished: Bool { lock.withLock { finishedValue } }

  /// Turns SIGINT (Ctrl-C) into a stop request: the first one stops the work cleanly, a second
  /// one ends the process at once (exit status 130, as the shell's default would).
  public func installInterruptHandler() {
    signal(SIGINT, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: DispatchQueue(label: "hybrix.sigint"))
    source.setEventHandler { [weak self] in
      guard let self else { return }
      if self.isRequested { exit(130) }
      self.request(.interrupted)
    }
    source.resume()
    signalSource = source
  }

  /// Watches on its own thread; `grace` seconds after a stop request, unless ``finish()`` was
  /// called first, calls `onTimeout` once with the reason.
  public func startWatchdog(grace: Double, onTimeout: @escaping @Sendable (Reason) -> Void) {
    let thread = Thread { [self] in
      while !isFinished {
        if let reason, let since = lock.withLock({ requestedAt }),
          ContinuousClock.now - since >= .nanoseconds(Int64(grace * 1e9))
        {
          if !isFinished { onTimeout(reason) }
          return
        }
        usleep(10_000)
      }
    }
    thread.name = "hybrix stop watchdog"
    thread.start()
  }
}
