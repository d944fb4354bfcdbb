import ArgumentParser
import Foundation
import HybrixCore

/// The root command: `hybrix <subcommand>`.
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
public struct HybrixCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "hybrix",
    abstract: "Map neural networks onto heterogeneous AI accelerators and predict their cost.",
    discussion: """
      Hybrix reads a workload (a built-in model or an ONNX file) and reports its operators, \
      MACs, parameters, traffic and arithmetic intensity. Run `hybrix models` for the built-in \
      workloads.
      """,
    version: "hybrix \(HybrixVersionString.value)",
    subcommands: [ModelsCommand.self, ArchsCommand.self, InspectCommand.self, MapCommand.self, ExploreCommand.self, AccuracyCommand.self, TrainCommand.self, SweepCommand.self, ResultsCommand.self, CompileCommand.self, ReproduceCommand.self, CompareCommand.self])

  public init() {}

  /// Parses the process's arguments and runs the chosen subcommand, awaiting asynchronous ones
  /// (ArgumentParser's own `main()` picks its synchronous form when called across modules).
  public static func runMain() async {
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      exit(withError: error)
    }
  }
}

enum HybrixVersionString {
  static let value = "0.1.0"
}

/// Runs `body`, turning a user-input error into one message on standard error and a non-zero
/// exit code (`ExitCode.validationFailure`, 64), never a crash or a stack trace.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let error as ExitCode {
    throw error
  } catch let error as ConfigError {
    Terminal.error(error.description)
    throw ExitCode.validationFailure
  } catch let error as ConfigErrors {
    Terminal.error(error.description)
    throw ExitCode.validationFailure
  }
}

/// ``reportingErrors(_:)`` for asynchronous commands.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
  do {
    return try await body()
  } catch let error as ExitCode {
    throw error
  } catch let error as ConfigError {
    Terminal.error(error.description)
    throw ExitCode.validationFailure
  } catch let error as ConfigErrors {
    Terminal.error(error.description)
    throw ExitCode.validationFailure
  }
}

/// Collects what a command prints, for tests that run commands in-process.
final class OutputCapture: @unchecked Sendable {
  private let lock = NSLock()
  private var outText = ""
  private var errText = ""
  var standardOutput: String { lock.withLock { outText } }
  var standardError: String { lock.withLock { errText } }
  func write(_ text: String, error: Bool) {
    lock.withLock { if error { errText += text } else { outText += text } }
  }
}

/// The only place that writes to the terminal.
enum Terminal {
  /// When set (by tests), output goes here instead of the process's streams.
  @TaskLocal static var capture: OutputCapture?

  static func print(_ text: String) {
    if let capture { capture.write(text + "\n", error: false) } else { Swift.print(text) }
  }

  static func error(_ text: String) { writeError("error: " + text + "\n") }

  static func warning(_ text: String) { writeError("warning: " + text + "\n") }

  /// The one line on standard error when a command ends with exit status 2 (no mapping meets
  /// the constraints): the first reason, so that a run whose report went to a file or a pipe
  /// still says why it failed.
  static func infeasible(_ reasons: [String]) {
    let first = reasons.first ?? "nothing feasible was found"
    let more = reasons.count > 1 ? " (and \(reasons.count - 1) more reason\(reasons.count == 2 ? "" : "s") in the report)" : ""
    error("no mapping meets the constraints: " + first + more)
  }

  private static func writeError(_ text: String) {
    if let capture { capture.write(text, error: true) } else {
      FileHandle.standardError.write(Data(text.utf8))
    }
  }

  /// Whether standard output is a terminal (progress and colour only then).
  static var isInteractive: Bool { capture == nil && isatty(STDOUT_FILENO) != 0 }
}
