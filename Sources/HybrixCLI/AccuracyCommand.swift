import ArgumentParser
import Execution
import Foundation
import Hardware
import HybrixCore
import Mapping
import HybrixNumerics
import Reports
import Search
import Workloads

/// `hybrix accuracy MODEL --weights FILE --arch ARCH --mapping S --at 1s,1h,1d,1y --repeats 10`:
/// Monte-Carlo test accuracy of a trained model whose products run on the tiers a mapping
/// places them on (PCM drift, ReRAM variation, photonic noise, RNS arithmetic…).
struct AccuracyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "accuracy",
    abstract: "Monte-Carlo accuracy of a trained model mapped onto an architecture, over time after programming.",
    discussion: """
      Every conv/linear operator's matrix products go through the numerical model of the tier \
      the mapping puts it on; operators on digital tiers stay exact. Each repeat draws new \
      device noise; the same --seed gives the same numbers.
      Examples:
        hybrix train small-cnn --epochs 8 --out small-cnn.onnx
        hybrix accuracy small-cnn --weights small-cnn.onnx --arch lionheart --mapping homogeneous:pcm0 --at 1s,1h,1d,1y --compensation both
        hybrix map small-cnn --arch h3pimap --save-mapping m.json
        hybrix accuracy small-cnn --weights models/small-cnn.onnx --arch h3pimap --mapping m.json --repeats 20 --json
      """)

  @Argument(help: "A zoo model (mlp, lenet5, small-cnn) with --weights, or an ONNX file with weights.")
  var model: String

  @Option(name: .long, help: "ONNX checkpoint with the weights of a zoo model (from `hybrix train --out`).")
  var weights: String?

  @Option(name: .long, help: "Data set (fashion-mnist).")
  var dataset: String = "fashion-mnist"

  @Option(name: .customLong("data-dir"), help: "Folder with the Fashion-MNIST .gz files.")
  var dataDir: String = FashionMNIST.defaultDirectory

  @Option(name: .long, help: "An architecture preset (see `hybrix archs`) or a YAML file.")
  var arch: String = PresetRegistry.defaultName

  @Option(name: .long, help: "A strategy (\(StrategyRegistry.names.joined(separator: ", "))) or a mapping file from `hybrix map --save-mapping`.")
  var mapping: String = "greedy"

  @Option(name: .long, help: "What the mapping strategy minimises: latency, energy, edp or area.")
  var objective: String = "latency"

  @Option(name: .long, help: "Numeric precision the mapping strategy costs the model at (fp32, fp16, bf16, int8, int4, wXaY).")
  var precision: String = "int8"

  @Option(name: .long, help: "Times after programming, comma-separated, e.g. 1s,1h,1d,1y.")
  var at: String = "1d"

  @Option(name: .long, help: "Monte-Carlo repeats per time.")
  var repeats: Int = 10

  @Option(name: .long, help: "Drift compensation: on, off or both.")
  var compensation: String = "on"

  @Option(name: .long, help: "Seed of every random draw.")
  var seed: UInt64 = 1

  @Option(name: .long, help: "Use only the first N test images.")
  var limit: Int?

  @Option(name: .customLong("batch-size"), help: "Images per inference batch. Noise draws follow the batching: keep it fixed to reproduce a result.")
  var batchSize: Int = 100

  @Flag(name: .long, help: "Print the versioned JSON report (schema hybrix.accuracy v1).")
  var json = false

  @Option(name: .long, help: "Also write a self-contained HTML report with the accuracy-over-time plot.")
  var html: String?

  func run() async throws {
    try await reportingErrors {
      let (times, labels) = try Self.parseTimes(at)
      let compensations = try Self.parseCompensation(compensation)
      let settings = AccuracySettings(
        times: times, repeats: repeats, seed: seed, compensation: compensations, batchSize: batchSize)
      try settings.validate()
      guard dataset.lowercased() == "fashion-mnist" else {
        throw ConfigError(path: "--dataset", message: "unknown data set '\(dataset)'", expected: "fashion-mnist")
      }
      if let limit, limit < 1 {
        throw ConfigError(path: "--limit", message: "\(limit)", expected: "a number of images ≥ 1")
      }
      var loaded: Dataset?
      func data() throws(ConfigError) -> Dataset {
        if let loaded { return loaded }
        let d = try FashionMNIST.load(split: .test, directory: dataDir, limit: limit)
        loaded = d
        return d
      }
      let (network, graph, weightsSource) = try TrainedModelLoader(model: model, weights: weights).load {
        () throws(ConfigError) -> HybrixNumerics.Tensor in
        HybrixNumerics.Tensor(shape: [1, 1, 28, 28], scalars: Array(try data().images.scalars.prefix(784)))
      }
      let architecture = try PresetRegistry.architecture(named: arch)
      let assignments = try await mappingAssignments(graph: graph, architecture: architecture)
      let data = try data()
      let line = ProgressLine()
      let result = try MappingAccuracy.evaluate(
        network: network, assignments: assignments, architecture: architecture, images: data.images,
        labels: data.labels, settings: settings, timeLabels: labels
      ) { done, total in
        line.update("accuracy \(ProgressLine.bar(done, total)) \(done)/\(total) passes over \(data.count) images")
      }
      line.finish()
      let report = AccuracyReport(
        model: model, weights: weightsSource, dataset: "fashion-mnist", architecture: architecture.name,
        mapping: mapping, seed: seed, repeats: repeats, backend: GEMM.backendDescription, result: result)
      if let html {
        do {
          try AccuracyHTML.render(report).write(toFile: html, atomically: true, encoding: .utf8)
        } catch {
          throw ConfigError(file: html, message: "cannot write the HTML report: \(error.localizedDescription)", hint: "check that the folder exists and is writable")
        }
      }
      Terminal.print(json ? try JSONOutput.encode(report) : report.renderText())
      if let html, !json { Terminal.print("HTML report written to \(html)") }
    }
  }

  func mappingAssignments(graph: Graph, architecture: Architecture) async throws(ConfigError) -> [OperatorAssignment] {
    if mapping.lowercased().hasSuffix(".json") {
      return try MappingFile.read(file: mapping).assignments(architecture: architecture, file: mapping, graph: graph)
    }
    let strategy = try StrategyRegistry.strategy(named: mapping, tiers: architecture.tiers.map(\.id))
    let explorer = Explorer(graph: graph, architecture: architecture, precision: try Precision.parse(precision))
    let found = try await explorer.run(strategy, goal: try Goal.parse(objectives: objective), seed: seed)
    guard found.isFeasible else {
      throw ConfigError(
        path: "--mapping", message: "strategy \(mapping) found no feasible mapping of \(model) on \(architecture.name)",
        hint: "run `hybrix map \(model) --arch \(arch) --strategy \(mapping)` to see why")
    }
    return OperatorAssignment.from(mapping: found.mapping, graph: graph)
  }

  /// `1s,1h,1d,1y` → times and their labels.
  static func parseTimes(_ text: String) throws(ConfigError) -> ([Time], [String]) {
    var times: [Time] = []
    var labels: [String] = []
    for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
      if part.hasPrefix("-") {
        throw ConfigError(
          path: "--at", message: "negative time \(part)", expected: "a time ≥ 0 after programming, e.g. 1s, 1h, 1d, 1y",
          hint: "times count from the end of programming")
      }
      times.append(try Time.parse(part, path: "--at"))
      labels.append(part)
    }
    guard !times.isEmpty else {
      throw ConfigError(path: "--at", message: "no time given", expected: "e.g. --at 1d or --at 1s,1h,1d,1y")
    }
    return (times, labels)
  }

  static func parseCompensation(_ text: String) throws(ConfigError) -> [Bool] {
    switch text.lowercased() {
    case "on", "global": return [true]
    case "off", "none": return [false]
    case "both": return [false, true]
    default:
      throw ConfigError(path: "--compensation", message: "'\(text)'", expected: "on, off or both")
    }
  }
}
