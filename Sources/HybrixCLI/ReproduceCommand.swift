import ArgumentParser
import Execution
import Foundation
import Hardware
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
        hybrix archs lionheart > mine.yaml   # edit it, then:
        hybrix reproduce lionheart --arch mine.yaml
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

  @Option(
    name: .long,
    help: "Run a paper's experiment on an edited architecture: [PAPER=]FILE (YAML from `hybrix archs PAPER`); repeatable; PAPER may be left out when one paper runs.")
  var arch: [String] = []

  @Option(
    name: .customLong("accuracy-model"),
    help: "Mirage's training-accuracy study: a model it trains 12 times (4 arithmetics × 3 seeds, one epoch each); repeatable (default small-cnn, whose twelve runs took 53 minutes on a shared 2-core machine; resnet20-fm takes several CPU-hours).")
  var accuracyModels: [String] = []

  @Option(
    name: .long,
    help: "Keep each finished training run of Mirage's accuracy study in this folder (one JSON file per run) and reuse it when the same run is asked again: an interrupted run resumes where it stopped.")
  var cache: String?

  @Flag(name: .customLong("train-missing"), help: "Train a missing checkpoint by its recipe (docs/training.md) instead of stopping.")
  var trainMissing = false

  func run() async throws {
    try await reportingErrors {
      let experiments = try ExperimentRegistry.select(paper)
      let line = ProgressLine()
      let context = ReproductionContext(
        quick: quick, modelsFolder: models, dataFolder: dataDir,
        architectures: try replacedArchitectures(running: experiments.map(\.name)), trainMissing: trainMissing,
        tool: "hybrix \(HybrixVersionString.value)", accuracyModels: try checkedAccuracyModels(), trainingCache: try checkedCache(),
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

  /// `--arch [PAPER=]FILE`: each file loaded (all its errors at once, before anything runs), by
  /// the preset it replaces.
  func replacedArchitectures(running names: [String]) throws -> [String: (file: String, architecture: Architecture)] {
    var result: [String: (file: String, architecture: Architecture)] = [:]
    for entry in arch {
      let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
      let (name, file): (String, String)
      if parts.count == 2, !parts[0].contains("/"), !parts[0].hasSuffix(".yaml"), !parts[0].hasSuffix(".yml") {
        (name, file) = (parts[0].lowercased(), parts[1])
      } else if names.count == 1 {
        (name, file) = (names[0], entry)
      } else {
        throw ConfigError(
          path: "--arch", message: "\"\(entry)\" does not say which paper's preset it replaces",
          expected: "PAPER=FILE with PAPER one of \(names.joined(separator: ", "))", hint: "e.g. --arch lionheart=\(entry)")
      }
      guard names.contains(name) else {
        throw ConfigError(
          path: "--arch", message: "\"\(name)\" is not a paper this run reproduces", expected: names.joined(separator: ", "),
          hint: NearestName.suggestion(for: name, among: names).map { "did you mean \($0)?" })
      }
      guard result[name] == nil else {
        throw ConfigError(path: "--arch", message: "two files replace the \(name) preset", hint: "give one --arch per paper")
      }
      result[name] = (file, try ArchitectureLoader.load(path: file))
    }
    return result
  }

  /// `--cache`: a folder (made when missing); a file there is an error before anything runs.
  func checkedCache() throws(ConfigError) -> TrainingRunCache? {
    guard let cache else { return nil }
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: cache, isDirectory: &isFolder), !isFolder.boolValue {
      throw ConfigError(file: cache, path: "--cache", message: "is a file", expected: "a folder for training-run records", hint: "name a folder; it is made when missing")
    }
    return TrainingRunCache(folder: cache)
  }

  /// `--accuracy-model`: zoo models that build as trainable networks (default small-cnn); an
  /// unknown name fails here, with the nearest one, before anything runs.
  func checkedAccuracyModels() throws(ConfigError) -> [String] {
    for m in accuracyModels {
      do { _ = try GraphNetwork.zoo(m) } catch {
        var e = error
        e.path = "--accuracy-model"
        throw e
      }
    }
    return accuracyModels.isEmpty ? ["small-cnn"] : accuracyModels
  }
}
