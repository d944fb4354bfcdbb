import ArgumentParser
import Reports
import Workloads

/// `hybrix models`: the built-in workloads, one line each.
struct ModelsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "models", abstract: "List the built-in workloads (the model zoo).")

  @Flag(name: .long, help: "Print JSON instead of a table.")
  var json = false

  func run() throws {
    let entries = ModelZoo.all.map { m in
      ModelList.Entry(
        name: m.name, aliases: m.aliases, family: m.family.rawValue, defaultSize: m.defaultSize,
        publishedParameters: m.published.parameters, publishedMACs: m.published.macs,
        source: m.published.source, summary: m.summary)
    }
    if json {
      Terminal.print(try JSONOutput.encode(ModelList(models: entries)))
      return
    }
    var table = TextTable([
      .init("model"), .init("family"), .init("default size", .right), .init("params", .right),
      .init("description"),
    ])
    for e in entries {
      let size = e.family == ModelFamily.vision.rawValue ? "\(e.defaultSize)×\(e.defaultSize)" : "\(e.defaultSize) tok"
      table.add([e.name, e.family, size, NumberFormat.count(e.publishedParameters), e.summary])
    }
    Terminal.print(table.render())
  }
}

/// `hybrix models --json`, schema `hybrix.models` version 1.
struct ModelList: Codable {
  var schema = "hybrix.models"
  var schemaVersion = 1
  var models: [Entry]
  struct Entry: Codable {
    var name: String
    var aliases: [String]
    var family: String
    /// Default image side (vision, pixels) or sequence length (language, tokens).
    var defaultSize: Int
    var publishedParameters: Double
    var publishedMACs: Double?
    var source: String
    var summary: String
  }
}
