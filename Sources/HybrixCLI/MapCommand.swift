import ArgumentParser
import Foundation
import Hardware
import HybrixCore
import Mapping
import Reports
import Search
import Workloads

/// `hybrix map MODEL --arch ARCH --strategy S --objective O`: place every operator on the tiers of
/// a heterogeneous accelerator and predict latency, energy and area, beside baselines.
struct MapCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "map",
    abstract: "Map a workload onto an architecture and predict its latency, energy and area.",
    discussion: """
      Examples:
        hybrix map resnet50
        hybrix map bert-base --arch h3pimap --objective energy
        hybrix map llama2-7b --phase decode --seq 2048 --arch cmswitch
        hybrix map lenet5 --arch lionheart --strategy homogeneous:pcm0 --html report.html
        hybrix map resnet50 --arch h3pimap --save-mapping m.json
        hybrix map resnet50 --arch h3pimap --mapping m.json
        hybrix map lenet5 --arch lionheart --strategy homogeneous:pcm0 --weights models/lenet5.onnx \\
          --constraint 'accuracy-drop<=1@1d' --accuracy-images 1000
        hybrix map small-cnn --arch lionheart --strategy lionheart --weights models/small-cnn.onnx \\
          --accuracy-drop 2 --at 1d [--fast] [--lifetime 1y] [--repeats 10] [--limit 2000]
      Strategies:
      \(StrategyRegistry.help)
      """)

  @OptionGroup var workload: WorkloadOptions

  @Option(name: .long, help: "An architecture preset (see `hybrix archs`) or a YAML file.")
  var arch: String = PresetRegistry.defaultName

  @OptionGroup var search: SearchOptions

  @OptionGroup(title: "Accuracy constraints") var accuracy: AccuracyProbeOptions

  @OptionGroup(title: "LionHeart (--strategy lionheart)") var lionheart: LionHeartOptions

  @Flag(name: .long, help: "Skip the homogeneous and naive baselines.")
  var noBaselines = false

  @Flag(name: .customLong("iso-area"), help: "Also compare with each single-tier architecture scaled to this chip's area.")
  var isoArea = false

  @Flag(name: .long, help: "Show every operator (by default large graphs show the 25 longest).")
  var all = false

  @Flag(name: .long, help: "Print the versioned JSON report (schema hybrix.map v1).")
  var json = false

  @Option(name: .long, help: "Also write a self-contained HTML report with plots to this path.")
  var html: String?

  @Option(name: .customLong("save-mapping"), help: "Write the mapping found to this file (schema hybrix.mapping v1, or v2 with row orders or arrays by mode), for `map --mapping` and `accuracy --mapping`.")
  var saveMapping: String?

  @Option(name: .long, help: "Evaluate the mapping in this file (from --save-mapping) instead of searching.")
  var mapping: String?

  /// How this command lowered the graph, as a mapping file records it.
  var lowering: MappingFile.Lowering { workload.noFusion || workload.phase == .train ? .none : .deployment }

  func run() async throws {
    try await reportingErrors {
      let search = try lionheart.applied(to: self.search)
      let precision = try workload.parsedPrecision()
      let goal = try search.goal()
      let budget = try search.budget()
      let architecture = try PresetRegistry.architecture(named: arch)
      let loaded = try workload.load().splitForMapping(mapping, architecture: architecture, precision: precision)
      let probe = try accuracy.probe(
        model: workload.model, graph: loaded.graph, architecture: architecture, goal: goal, seed: search.seed,
        split: lionheart.isLionHeart(search) && mapping == nil)
      let explorer = Explorer(graph: loaded.graph, architecture: architecture, precision: precision, accuracy: probe)
      var warnings = loaded.warnings
      let result: SearchResult
      var excluding: String?
      var lionheartOutcome: LionHeartOutcome?
      var savedWeights: String?
      if let mapping {
        let file = try MappingFile.read(file: mapping)
        let plan = try file.plan(for: loaded.graph, architecture: architecture, file: mapping, lowering: lowering)
        warnings += file.warnings(graph: loaded.graph, architecture: architecture, precision: precision, lowering: lowering)
          .map { "\(mapping): \($0)" }
        result = try await explorer.evaluate(plan, goal: goal, label: "mapping file \(mapping)" + (file.strategy.map { " (\($0))" } ?? ""))
      } else {
        var chosen = try search.chosenStrategy(tiers: architecture.tiers.map(\.id))
        if let r = try lionheart.retraining(
          search, model: workload.model, weights: accuracy.weights, dataDirectory: accuracy.dataDir, seed: search.seed),
          let lh = chosen as? LionHeartStrategy
        {
          chosen = try lh.withRetraining(r)
        }
        result = try await explorer.run(chosen, goal: goal, seed: search.seed, budget: budget)
        excluding = chosen.name
        lionheartOutcome = (chosen as? LionHeartStrategy)?.recorder.outcome
        if let path = lionheart.saveWeights, let net = (chosen as? LionHeartStrategy)?.recorder.network {
          try net.writeONNX(to: path, docString: "hybrix map --strategy lionheart --retrain-steps: last accepted HWA-retrained weights")
          savedWeights = path
        }
      }
      if let saveMapping {
        try loaded.saveMapping(
          result.chosen == nil ? nil : result.mapping, to: saveMapping, architecture: architecture, precision: precision,
          strategy: result.strategy, goal: goal.description)
      }
      let baselines = noBaselines ? [] : try await explorer.baselines(goal: goal, excluding: excluding, isoArea: isoArea)
      var report = MapReport(
        graph: loaded.graph, source: loaded.source, path: loaded.path, precision: precision,
        architecture: architecture, search: result, baselines: baselines,
        warnings: warnings, lowering: loaded.lowering)
      report.lionheart = lionheartOutcome
      if let html {
        try write(MapHTML.render(report), to: html)
      }
      if json {
        Terminal.print(try JSONOutput.encode(report))
      } else {
        Terminal.print(report.renderText(top: all || report.operators.count <= 60 ? nil : 25))
        if let lionheartOutcome { Terminal.print("\n" + LionHeartText.render(lionheartOutcome)) }
        if let html { Terminal.print("HTML report written to \(html)") }
        if let saveMapping { Terminal.print("mapping written to \(saveMapping)") }
        if let savedWeights { Terminal.print("retrained weights written to \(savedWeights)") }
      }
      if !result.isFeasible {
        Terminal.infeasible(result.result.infeasible.map(\.description))
        throw ExitCode(2)
      }
    }
  }

  func write(_ text: String, to path: String) throws(ConfigError) {
    do {
      try text.write(toFile: path, atomically: true, encoding: .utf8)
    } catch {
      throw ConfigError(file: path, message: "cannot write the HTML report: \(error.localizedDescription)", hint: "check that the folder exists and is writable")
    }
  }
}

/// `hybrix archs`: the architecture presets, or one of them as YAML.
struct ArchsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "archs", abstract: "List the architecture presets, or print one as YAML to copy and edit.")

  @Argument(help: "A preset to print as YAML.")
  var name: String?

  func run() throws {
    try reportingErrors {
      if let name {
        let a = try PresetRegistry.architecture(named: name)
        do { Terminal.print(try ArchitectureWriter.yaml(a)) } catch {
          throw ConfigError(message: "cannot write \(name) as YAML: \(error)")
        }
        return
      }
      var table = TextTable([.init("preset"), .init("tiers"), .init("description"), .init("sources")])
      for p in PresetRegistry.all {
        let tiers = (try? p.architecture().tiers.map { "\($0.id) (\(type(of: $0).kind.rawValue))" }.joined(separator: ", ")) ?? "invalid"
        table.add([p.name, tiers, p.summary, p.sources.joined(separator: "; ")])
      }
      Terminal.print(table.render())
    }
  }
}
