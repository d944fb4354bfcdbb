import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A child process for the sweep tests, started with `posix_spawn` and reaped with `waitpid`.
///
/// Not Foundation's `Process`: its `waitUntilExit` waits for a SIGCHLD its monitor thread can
/// miss when several children exit at once (the test process was seen hung for 15 minutes on a
/// zombie child it never reaped). Standard output and standard error go to files, so a child that
/// leaves daemons behind (the Slurm cluster script) cannot hold a pipe open either.
final class ChildProcess: @unchecked Sendable {
  // @unchecked: `waitStatus` is written only by the thread that calls `wait`/`isRunning`, as the tests do.
  let pid: pid_t
  let outputPath: String
  let errorPath: String
  private var waitStatus: Int32?

  struct SpawnFailed: Error, CustomStringConvertible {
    var description: String
  }

  /// Starts `executable` with `arguments`, the test's environment plus `environment`, standard
  /// input from /dev/null, in `directory` (default: the current one).
  init(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: String? = nil
  ) throws {
    let folder = NSTemporaryDirectory() + "hybrix-child-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    outputPath = folder + "/stdout"
    errorPath = folder + "/stderr"
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
    // In `directory` through coreutils' `env -C` (glibc's addchdir_np is not visible from Swift).
    let command = directory.map { ["/usr/bin/env", "-C", $0, executable] } ?? [executable]
    let argv = (command + arguments).map { strdup($0) } + [nil]
    let envp = env.map { strdup($0) } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var child: pid_t = 0
    let rc = posix_spawn(&child, command[0], &actions, nil, argv, envp)
    guard rc == 0 else { throw SpawnFailed(description: "posix_spawn \(command[0]): \(String(cString: strerror(rc)))") }
    pid = child
  }

  /// Whether the child has not exited yet (reaps it when it has).
  var isRunning: Bool {
    if waitStatus != nil { return false }
    var status: Int32 = 0
    if waitpid(pid, &status, WNOHANG) == pid {
      waitStatus = status
      return false
    }
    return true
  }

  /// Waits for the child to end and returns how: its exit code, or the signal that ended it.
  @discardableResult
  func wait() -> (exitCode: Int32?, signal: Int32?) {
    if waitStatus == nil {
      var status: Int32 = 0
      while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
      waitStatus = status
    }
    let status = waitStatus ?? 0
    let signal = status & 0x7f
    return signal == 0 ? ((status >> 8) & 0xff, nil) : (nil, signal)
  }

  func send(_ signal: Int32) { kill(pid, signal) }

  /// What the child wrote to standard output (read after `wait`).
  var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
  /// What the child wrote to standard error.
  var errorOutput: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

  /// Runs to the end: exit code (−1 when a signal ended it), standard output and standard error.
  static func run(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: String? = nil
  ) -> (status: Int32, output: String, error: String) {
    do {
      let child = try ChildProcess(executable, arguments, environment: environment, directory: directory)
      let end = child.wait()
      return (end.exitCode ?? -1, child.output, child.errorOutput)
    } catch {
      return (-1, "", "\(error)")
    }
  }
}
