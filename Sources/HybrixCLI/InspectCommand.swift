import ArgumentParser
import HybrixCore
import Reports
import Workloads

/// `hybrix inspect MODEL`: operators, shapes, MACs, parameters, traffic and intensity.
struct InspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Show a workload's operators, MACs, parameters, bytes and arithmetic intensity.",
    discussion: """
      Examples:
        hybrix inspect resnet50
        hybrix inspect llama2-7b --phase decode --seq 2048
        hybrix inspect model.onnx --dim N=8 --json
      """)

  @OptionGroup var workload: WorkloadOptions

  @Option(name: .long, help: "Show only the N operators with the most operations.")
  var top: Int?

  @Flag(name: .long, help: "Print the versioned JSON report (schema hybrix.inspect v1).")
  var json = false

  func run() throws {
    try reportingErrors {
      if let top, top < 1 {
        throw ConfigError(path: "--top", message: "\(top)", expected: "an integer ≥ 1")
      }
      let precision = try workload.parsedPrecision()
      let loaded = try workload.load()
      let report = InspectReport(
        graph: loaded.graph, precision: precision, source: loaded.source, path: loaded.path,
        warnings: loaded.warnings, lowering: loaded.lowering)
      if json {
        Terminal.print(try JSONOutput.encode(report))
      } else {
        Terminal.print(report.renderText(top: top))
      }
    }
  }
}
