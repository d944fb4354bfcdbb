import ArgumentParser
import Foundation
import HybrixCore
import Reports
import Sweep

/// The output options `results list` and `results query` share.
struct ResultsOutputOptions: ParsableArguments {
  @Argument(help: "The results store (SQLite).")
  var store: String

  @Option(name: .long, help: "An SQL condition on the columns, e.g. 'energy_mj < 5 AND status = \"ok\"'; swept parameters are columns named by their path, in double quotes.")
  var `where`: String?

  @Flag(name: .long, help: "Print CSV.")
  var csv = false

  @Flag(name: .long, help: "Print a JSON array of objects.")
  var json = false

  func print(_ table: ResultTable) throws(ConfigError) {
    if csv && json { throw ConfigError(path: "--csv/--json", message: "both given", expected: "one output format") }
    if csv {
      Terminal.print(String(ResultsOutput.csv(table).dropLast()))
    } else if json {
      Terminal.print(ResultsOutput.json(table))
    } else {
      Terminal.print(ResultsOutput.text(table))
    }
  }
}

struct ResultsListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the points of a store: inputs, swept parameters, status and headline figures.")

  @OptionGroup var output: ResultsOutputOptions

  func run() throws {
    try reportingErrors {
      let store = try ResultStore(path: output.store, readOnly: true)
      try output.print(try store.query(where: output.where))
    }
  }
}

struct ResultsQueryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "query",
    abstract: "Select columns of a store's points with a filter.",
    discussion: """
      Examples:
        hybrix results query results.sqlite --where 'energy_mj < 5' --csv
        hybrix results query results.sqlite --columns model,strategy,latency_ms,energy_mj --where '"tiers.reram0.adc_bits" = 8' --json
        hybrix results query results.sqlite --columns report --where "hash LIKE 'ab12%'"   (a full map report)
      """)

  @OptionGroup var output: ResultsOutputOptions

  @Option(name: .long, help: "Comma-separated columns (default: those of `list`); `report` is the full JSON map report.")
  var columns: String?

  func run() throws {
    try reportingErrors {
      let store = try ResultStore(path: output.store, readOnly: true)
      let chosen = columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
      try output.print(try store.query(where: output.where, columns: chosen))
    }
  }
}

/// Text, CSV and JSON renderings of a ``ResultTable``.
enum ResultsOutput {
  static func cell(_ v: SQLiteValue) -> String {
    switch v {
    case .null: ""
    case .integer(let i): String(i)
    case .real(let d): String(format: "%.6g", d)
    case .text(let s): s
    }
  }

  static func text(_ table: ResultTable) -> String {
    var t = TextTable(table.columns.map { TextTable.Column($0) })
    for row in table.rows { t.add(row.map { cell($0).replacingOccurrences(of: "\n", with: " ") }) }
    return t.render() + "\n\(table.rows.count) point\(table.rows.count == 1 ? "" : "s")"
  }

  static func csv(_ table: ResultTable) -> String {
    func field(_ s: String) -> String {
      s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
    func exact(_ v: SQLiteValue) -> String {
      if case .real(let d) = v { return "\(d)" }
      return cell(v)
    }
    var lines = [table.columns.map(field).joined(separator: ",")]
    for row in table.rows { lines.append(row.map { field(exact($0)) }.joined(separator: ",")) }
    return lines.joined(separator: "\n") + "\n"
  }

  static func json(_ table: ResultTable) -> String {
    func value(_ v: SQLiteValue) -> String {
      switch v {
      case .null: return "null"
      case .integer(let i): return String(i)
      case .real(let d): return d.isFinite ? "\(d)" : "null"
      case .text(let s):
        let data = (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
      }
    }
    let objects = table.rows.map { row in
      "  {" + zip(table.columns, row).map { "\(value(.text($0))): \(value($1))" }.joined(separator: ", ") + "}"
    }
    return "[\n" + objects.joined(separator: ",\n") + "\n]"
  }
}

struct ResultsPlotCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plot", abstract: "Write a latency-vs-energy scatter of a store's points, Pareto sets highlighted, as a self-contained HTML page.")

  @Argument(help: "The results store (SQLite).")
  var store: String

  @Option(name: .long, help: "The HTML file to write.")
  var html: String

  @Option(name: .long, help: "An SQL condition selecting the points to plot (as for `results query`).")
  var `where`: String?

  func run() throws {
    try reportingErrors {
      let results = try ResultStore(path: store, readOnly: true)
      let parameters = try results.parameterPaths()
      let table = try results.query(where: self.where, columns: ResultStore.listColumns + parameters)
      let page = ResultsPlot.html(table, parameters: parameters, title: "hybrix sweep: \((store as NSString).lastPathComponent)")
      do { try page.write(toFile: html, atomically: true, encoding: .utf8) } catch {
        throw ConfigError(file: html, message: "cannot write the plot: \(error.localizedDescription)", hint: "check that the folder exists and is writable")
      }
      Terminal.print("plot of \(table.rows.count) points written to \(html)")
    }
  }
}
