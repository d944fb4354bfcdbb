import ArgumentParser

/// What one in-process run of the command line printed and how it ended.
package struct CommandOutcome: Sendable {
  package var exitCode: Int32
  package var standardOutput: String
  package var standardError: String
}

/// Runs `hybrix ARGUMENTS` inside this process as `main` would — parsing, running, and turning
/// an error into its message and exit code — with standard output and standard error captured
/// instead of written. The one runner the CLI and sweep tests share.
package func runHybrix(_ arguments: [String]) async -> CommandOutcome {
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
  return CommandOutcome(
    exitCode: code, standardOutput: capture.standardOutput, standardError: capture.standardError)
}
