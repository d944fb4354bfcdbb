import ArgumentParser
import Execution
import Foundation
import HybrixNumerics
import Hardware
import HybrixCore
import Mapping
import Reports
import Search
import Synchronization
import Workloads

/// `hybrix explore MODEL --arch ARCH`: H3PIMAP's stage 1 — a latency/energy Pareto front of how
/// each product's weight rows are split between the tiers, beside every homogeneous mapping, the
/// equal split, greedy and random mappings.
struct ExploreCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explore",
    abstract: "Search a latency/energy Pareto front of row splits between tiers (H3PIMAP stage 1, NSGA-II).",
    discussion: """
      Examples:
        hybrix explore resnet50 --arch h3pimap
        hybrix explore bert-base --objectives latency,energy,area --pick min-edp
        hybrix explore resnet50 --population 128 --generations 300 --time-limit 30s --html front.html
        hybrix explore resnet20 --json | jq .ratios
        hybrix explore small-cnn --weights models/small-cnn.onnx --accuracy-drop 1 --at 1d
      With --accuracy-drop, stage 2 (Row Remap) starts from the picked point and moves the most \
      sensitive weight rows to the most precise tiers until the Monte-Carlo drop holds. \
      Each point of the front is simulated; the hypervolume is taken in the box from the best to \
      1.1 × the worst figure of the front and the baselines. docs/strategies/h3pimap.md explains \
      the search and what it had to choose.
      """)

  @OptionGroup var workload: WorkloadOptions

  @OptionGroup var accuracy: AccuracyProbeOptions

  @Option(name: .customLong("accuracy-drop"), help: "Stage 2 (Row Remap): the largest mean accuracy drop allowed, percentage points (needs --weights or an ONNX model).")
  var accuracyDrop: Double?

  @Option(name: .long, help: "Stage 2: time after programming at which the accuracy is read, e.g. 1s, 1d.")
  var at: String = "1d"

  @Option(name: .customLong("remap-step"), help: "Stage 2: rows moved per Row Remap step, as a fraction of all product rows.")
  var remapStep: Double = 1.0 / 32

  @Option(name: .customLong("sensitivity-images"), help: "Stage 2: Fashion-MNIST training images for the row sensitivities.")
  var sensitivityImages: Int = 256

  @Option(name: .long, help: "An architecture preset (see `hybrix archs`) or a YAML file.")
  var arch: String = PresetRegistry.defaultName

  @Option(name: .long, help: "What to minimise, comma-separated: latency, energy, edp, area.")
  var objectives: String = "latency,energy"

  @Option(name: .long, help: "The point to show in detail: knee, min-latency, min-energy or min-edp.")
  var pick: String = "knee"

  @Option(name: .long, help: "NSGA-II population.")
  var population: Int = 64

  @Option(name: .long, help: "NSGA-II generations.")
  var generations: Int = 100

  @Option(name: .long, help: "Parts of an operator's rows that can be placed (the split grid, 1/N).")
  var grid: Int = 16

  @Option(name: .long, help: "Random mappings to simulate for the scatter.")
  var random: Int = 100

  @Option(name: .long, help: "Seed of the search and of the random mappings.")
  var seed: UInt64 = 1

  @Option(name: .customLong("time-limit"), help: "Stop the search after this long and report the best front so far, e.g. 500ms, 30s.")
  var timeLimit: String?

  @Flag(name: .long, help: "Show every operator of the picked mapping (by default the 25 with the most rows).")
  var all = false

  @Flag(name: .long, help: "Print the versioned JSON report (schema hybrix.explore v1).")
  var json = false

  @Option(name: .long, help: "Also write a self-contained HTML report with the Pareto scatter to this path.")
  var html: String?

  @Option(name: .customLong("save-mapping"), help: "Write the picked mapping (after Row Remap when stage 2 ran) to this file (schema hybrix.mapping), for `map --mapping` and `accuracy --mapping`.")
  var saveMapping: String?

  func goal() throws(ConfigError) -> Goal {
    var goal: Goal
    do { goal = try Goal.parse(objectives: objectives) } catch {
      var e = error
      e.path = "--objectives"
      throw e
    }
    if let accuracyDrop {
      guard accuracyDrop.isFinite, accuracyDrop >= 0 else {
        throw ConfigError(path: "--accuracy-drop", message: "\(accuracyDrop)", expected: "a drop ≥ 0 percentage points, e.g. 1")
      }
      do { goal.constraints.append(try Constraint.parse("accuracy-drop<=\(accuracyDrop)@\(at)")) } catch {
        var e = error
        e.path = "--at"
        throw e
      }
    }
    return goal
  }

  func strategy(progress: (@Sendable (GenerationReport) -> Void)?) throws(ConfigError) -> H3PIMAPStrategy {
    guard remapStep > 0, remapStep <= 1 else {
      throw ConfigError(path: "--remap-step", message: "\(remapStep)", expected: "a fraction of the rows in (0, 1], e.g. 0.03125")
    }
    let options = ["population": "\(population)", "generations": "\(generations)", "grid": "\(grid)", "pick": pick, "remap-step": "\(remapStep)"]
    var s = try H3PIMAPStrategy.make(StrategyRequest(options: options, tierIDs: []))
    s.progress = progress
    return s
  }

  func run() async throws {
    try await reportingErrors {
      let precision = try workload.parsedPrecision()
      let goal = try goal()
      let rule = try FrontPick.parse(pick)
      var budget = try SearchBudget.parse(timeLimit: timeLimit, evaluations: nil)
      // Ctrl-C: the first stops the search as --time-limit does (the best front so far is
      // reported, said to be cut); a second ends the process at once. In-process (tests) the
      // runner's own SIGINT handling is left alone.
      let stop = StopRequest()
      if Terminal.capture == nil { stop.installInterruptHandler() }
      budget.stop = stop
      guard random >= 0 else { throw ConfigError(path: "--random", message: "\(random)", expected: "0 or more random mappings") }
      let line = ProgressLine()
      let last = Mutex(0)
      let strategy = try strategy { r in
        last.withLock { $0 = r.generation }
        line.update("generation \(r.generation)/\(r.generations) · front \(r.frontSize) · hypervolume \(formatSignificant(r.hypervolume, digits: 3)) · \(formatSignificant(line.elapsed, digits: 3)) s")
      }
      let loaded = try workload.load()
      var warnings = loaded.warnings
      let architecture = try PresetRegistry.architecture(named: arch)
      var configured = strategy
      var probe: (any AccuracyProbe)?
      if let (_, time) = goal.accuracyConstraint {
        let errors = TierPrecision.errors(architecture: architecture, at: time)
        configured.tierError = errors
        configured.sensitivity = try rowSensitivity(graph: loaded.graph)
        if accuracy.weights == nil && !workload.model.lowercased().hasSuffix(".onnx") {
          // No weights: the proxy, said loudly (its "drop" is a weighted product error in %).
          probe = ProxyAccuracyProbe(sensitivity: configured.sensitivity ?? .proxy(graph: loaded.graph), tierError: errors)
          warnings.append(
            "no --weights: accuracy is the proxy (sensitivity-weighted relative product error of the tiers, in %), not a measured accuracy; "
              + "--accuracy-drop bounds that proxy")
        } else {
          probe = try accuracy.probe(model: workload.model, graph: loaded.graph, architecture: architecture, goal: goal, seed: seed)
        }
      }
      let explorer = Explorer(graph: loaded.graph, architecture: architecture, precision: precision, accuracy: probe)
      let result = try await explorer.run(configured, goal: goal, seed: seed, budget: budget)
      line.finish()

      if architecture.tiers.count == 1 {
        warnings.append("\(architecture.name) has one tier: nothing to split, the front is the homogeneous mapping")
      }
      if let trace = strategy.recorder.trace {
        warnings.append("row sensitivity: " + trace.sensitivity)
        if !trace.met {
          warnings.append(
            "no mapping Row Remap reached meets accuracy-drop ≤ \(formatSignificant(trace.thresholdPoints, digits: 3)) points: "
              + "the most accurate point (step \(trace.mostAccurateStep)) is shown in the Row Remap steps")
        }
      }
      let report = try await makeReport(
        explorer, loaded: loaded, goal: goal.withoutAccuracy, result: result, rule: rule, generationsRun: last.withLock { $0 },
        warnings: warnings, rowRemap: strategy.recorder.trace, interrupted: stop.isRequested)
      if let saveMapping {
        try loaded.saveMapping(
          report.pick.index.map { result.front.points[$0].plan }, to: saveMapping, architecture: architecture,
          precision: precision, strategy: "h3pimap (\(rule.rawValue))", goal: goal.description)
      }
      if let html {
        let picked = report.pick.index.map { result.front.points[$0] }.map { p in
          var f = ParetoFront(objectives: goal.objectives)
          f.insert(p)
          return MapReport(
            graph: loaded.graph, source: loaded.source, path: loaded.path, precision: precision, architecture: architecture,
            search: SearchResult(strategy: "h3pimap (\(rule.rawValue))", goal: goal, front: f, chosen: p, statistics: result.statistics),
            baselines: [])
        }
        try write(ExploreHTML.render(report, picked: picked), to: html)
      }
      if json {
        Terminal.print(try JSONOutput.encode(report))
      } else {
        Terminal.print(report.renderText(top: all ? nil : 25))
        if let html { Terminal.print("HTML report written to \(html)") }
        if let saveMapping { Terminal.print("mapping written to \(saveMapping)") }
      }
      if !result.isFeasible {
        Terminal.infeasible(result.result.infeasible.map(\.description))
        throw ExitCode(2)
      }
      if let remap = report.rowRemap, !remap.met {
        Terminal.error(
          "Row Remap did not bring the accuracy drop within \(formatSignificant(remap.thresholdPoints, digits: 3)) points at \(formatSignificant(remap.atSeconds, digits: 3)) s; the report shows its most accurate step")
        throw ExitCode(2)
      }
    }
  }

  func makeReport(
    _ explorer: Explorer, loaded: LoadedWorkload, goal: Goal, result: SearchResult, rule: FrontPick, generationsRun: Int,
    warnings: [String], rowRemap: RowRemapTrace? = nil, interrupted: Bool = false
  ) async throws(ConfigError) -> ExploreReport {
    var warnings = warnings
    var baselines: [(name: String, kind: String, result: SearchResult)] = []
    let plain = Goal(goal.objectives)
    for tier in explorer.architecture.tiers {
      let s = HomogeneousStrategy(tier: tier.id)
      baselines.append((s.name, "homogeneous", try await explorer.run(s, goal: plain)))
    }
    let problem = explorer.problem()
    let space = CostCurves(problem: problem, grid: grid).space
    baselines.append(("equal split", "equal split", try await explorer.evaluate(space.plan(space.equalSplit(fallback: problem.hostTier)), goal: plain, label: "equal split")))
    baselines.append(("greedy", "greedy", try await explorer.run(GreedyStrategy(), goal: plain)))

    var rng = SplitMix64(seed: seed ^ 0x9E37_79B9_7F4A_7C15)
    var randomPoints: [FrontPoint] = []
    // After Ctrl-C the report comes at once: the baselines (for the ratios) but not the scatter's
    // random mappings, which take seconds on a large model.
    if interrupted && random > 0 { warnings.append("interrupted: the \(random) random mappings of the scatter were not simulated") }
    for _ in 0..<(interrupted ? 0 : random) {
      let plan = space.plan(space.randomPoint(rng: &rng))
      let r = explorer.simulator.run(plan)
      guard r.isFeasible else { continue }
      randomPoints.append(FrontPoint(plan: plan, result: r, cost: CostVector(latency: r.latency, energy: r.energy.total, area: problem.area(of: plan))))
    }
    return ExploreReport(
      graph: loaded.graph, source: loaded.source, path: loaded.path, precision: explorer.precision, architecture: explorer.architecture,
      goal: goal, settings: .init(population: population, generations: generations, grid: grid, seed: seed), search: result,
      generationsRun: generationsRun, pick: rule, baselines: baselines, random: randomPoints, warnings: warnings,
      rowRemap: rowRemap)
  }

  func write(_ text: String, to path: String) throws(ConfigError) {
    do {
      try text.write(toFile: path, atomically: true, encoding: .utf8)
    } catch {
      throw ConfigError(file: path, message: "cannot write the HTML report: \(error.localizedDescription)", hint: "check that the folder exists and is writable")
    }
  }
}

extension ExploreCommand {
  /// Row sensitivities for stage 2: the Taylor estimate on Fashion-MNIST training images when the
  /// model has weights (a zoo model with --weights, or an ONNX chain), else the fan-in proxy.
  func rowSensitivity(graph: Graph) throws(ConfigError) -> RowSensitivity {
    let isONNX = workload.model.lowercased().hasSuffix(".onnx")
    guard accuracy.weights != nil || isONNX else { return .proxy(graph: graph) }
    guard sensitivityImages >= 1 else {
      throw ConfigError(path: "--sensitivity-images", message: "\(sensitivityImages)", expected: "at least 1 image")
    }
    let path = accuracy.weights ?? workload.model
    // Only chain networks backpropagate here; graph models (residual adds) use the proxy.
    guard let network = try? Network.load(onnx: path) else { return .proxy(graph: graph) }
    let data = try FashionMNIST.load(split: .train, directory: accuracy.dataDir, limit: sensitivityImages)
    do {
      return try RowSensitivity.taylor(network: network, graph: graph, images: data.images, labels: data.labels, seed: seed)
    } catch {
      throw error.inFile(path)
    }
  }
}
