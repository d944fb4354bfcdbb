import ArgumentParser
import Foundation

@testable import HybrixCLI

/// The outcome of running `hybrix ARGS` in-process.
struct CLIResult {
  var exitCode: Int32
  var standardOutput: String
  var standardError: String
}

/// Runs the command line as `main` would, capturing its output and exit code.
func runHybrix(_ arguments: [String]) async -> CLIResult {
  let capture = OutputCapture()
  var code: Int32 = 0
  await Terminal.$capture.withValue(capture) {
    do {
      var command = try HybrixCommand.parseAsRoot(arguments)
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      code = HybrixCommand.exitCode(for: error).rawValue
      let message = HybrixCommand.fullMessage(for: error)
      if !message.isEmpty { capture.write(message + "\n", error: code != 0) }
    }
  }
  return CLIResult(
    exitCode: code, standardOutput: capture.standardOutput, standardError: capture.standardError)
}
