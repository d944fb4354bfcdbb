import ArgumentParser
import Foundation
import HybrixCore
import Reports
import Reproduction

/// `hybrix reproduce PAPER`: runs each paper's experiment on Hybrix's models and presets and prints
/// the paper's figures beside ours.
struct ReproduceCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reproduce",
    abstract: "Run a paper's experiment and print its figures beside ours.",
    discussion: """
      Papers: \(ExperimentRegistry.names.joined(separator: ", ")), or all.
      Examples:
        hybrix reproduce all --quick
        hybrix reproduce cmswitch --json > cmswitch.json
        hybrix reproduce all --html papers.html
      Every "ours" is computed by the run; each paper's figure is quoted with where the paper \
      prints it. docs/reproduce.md says what each experiment does and why figures differ.
      """)

  @Argument(help: "The paper: \((ExperimentRegistry.names + ["all"]).joined(separator: ", ")).")
  var paper: String

  @Flag(name: .long, help: "A reduced version (fewer models, smaller searches): about a minute in a release build.")
  var quick = false

  @Option(name: .long, help: "Folder of trained models (ONNX).")
  var models: String = "models"

  @Option(name: .customLong("data-dir"), help: "Fashion-MNIST folder (default: Debian's dataset-fashion-mnist).")
  var dataDir: String?

  @Flag(name: .long, help: "Print the versioned JSON report (schema hybrix.reproduce v1).")
  var json = false

  @Option(name: .long, help: "Also write a self-contained HTML page with each paper's chart to this path.")
  var html: String?

  func run() async throws {
    try await reportingErrors {
      let experiments = try ExperimentRegistry.select(paper)
      let line = ProgressLine()
      let context = ReproductionContext(
        quick: quick, modelsFolder: models, dataFolder: dataDir,
        progress: { step in line.update("\(step) · \(formatSignificant(line.elapsed, digits: 3)) s") })
      let started = ContinuousClock.now
      var papers: [PaperComparison] = []
      for e in experiments { papers.append(try await e.run(context)) }
      line.finish()
      let d = ContinuousClock.now - started
      let report = ReproductionReport(
        papers: papers, wallSeconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
      if let html {
        do { try ReproductionHTML.render(report).write(toFile: html, atomically: true, encoding: .utf8) } catch {
          throw ConfigError(file: html, message: "cannot write the HTML page: \(error.localizedDescription)", hint: "check that the folder exists and is writable")
        }
      }
      if json {
        Terminal.print(try JSONOutput.encode(report))
      } else {
        Terminal.print(report.renderText())
        if let html { Terminal.print("HTML page written to \(html)") }
      }
    }
  }
}
