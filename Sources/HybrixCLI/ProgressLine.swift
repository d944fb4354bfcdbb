import Foundation

/// One updating status line on standard error for long jobs (training, Monte-Carlo accuracy).
///
/// It draws only when standard error is a terminal and output is not captured by tests, at most
/// ten times a second, and ends with a newline in ``finish()``; piped or redirected runs stay
/// quiet. Thread-safe: updates may come from worker threads.
final class ProgressLine: @unchecked Sendable {
  // @unchecked: all mutable state is guarded by `lock`.
  private let lock = NSLock()
  private var lastDraw = Date.distantPast
  private var drawn = false
  private let enabled: Bool
  private let started = Date()

  init(enabled: Bool = Terminal.capture == nil && isatty(STDERR_FILENO) != 0) {
    self.enabled = enabled
  }

  /// Seconds since the line was created.
  var elapsed: Double { Date().timeIntervalSince(started) }

  /// Redraws the line with `text` (throttled unless `force`).
  func update(_ text: String, force: Bool = false) {
    guard enabled else { return }
    lock.lock()
    defer { lock.unlock() }
    let now = Date()
    guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
    lastDraw = now
    drawn = true
    FileHandle.standardError.write(Data(("\r\u{1B}[2K" + text).utf8))
  }

  /// `done/total` as a bar with a percentage, e.g. `[#####     ] 50 %`.
  static func bar(_ done: Int, _ total: Int, width: Int = 20) -> String {
    let fraction = total > 0 ? min(1, max(0, Double(done) / Double(total))) : 0
    let filled = Int((fraction * Double(width)).rounded(.down))
    return "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
      + "] " + String(format: "%3.0f %%", fraction * 100)
  }

  /// Clears the line so that what follows starts on a clean line.
  func finish() {
    guard enabled else { return }
    lock.lock()
    defer { lock.unlock() }
    if drawn { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    drawn = false
  }
}
