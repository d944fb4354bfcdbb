import ArgumentParser
import Foundation
import HybrixCore
import Sweep

/// `hybrix results list|query|merge|plot`: read and join sweep results stores.
struct ResultsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "results",
    abstract: "List, query, merge and plot sweep results stores.",
    subcommands: [ResultsListCommand.self, ResultsQueryCommand.self, ResultsMergeCommand.self, ResultsPlotCommand.self])
}

struct ResultsMergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Join shard stores into one (idempotent; two different rows for one hash are an error).")

  @Argument(help: "The store to write (created if absent).")
  var output: String

  @Argument(help: "The stores to merge into it.")
  var inputs: [String]

  func run() throws {
    try reportingErrors {
      guard !inputs.isEmpty else {
        throw ConfigError(message: "no stores to merge", expected: "hybrix results merge OUT A B …")
      }
      let out = try ResultStore(path: output)
      var added = 0
      for input in inputs { added += try out.merge(from: input) }
      Terminal.print("\(output): \(added) rows added from \(inputs.count) store\(inputs.count == 1 ? "" : "s"), \(try out.count()) rows in all")
    }
  }
}
