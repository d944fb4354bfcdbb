import ArgumentParser
import Foundation
import Hardware
import HybrixCore
import Mapping
import Reports
import Search
import Workloads

/// `hybrix compile MODEL --arch cmswitch`: CMSwitch's dual-mode compilation — segments by DP,
/// each segment's arrays split between compute and memory mode by a MIP — against the
/// compute-only baseline on the same cost model.
struct CompileCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compile",
    abstract: "Compile a workload for a dual-mode CIM chip (CMSwitch) and compare with every array computing.",
    discussion: """
      Examples:
        hybrix compile resnet18
        hybrix compile bert-large --seq 64 --json
        hybrix compile llama2-7b --phase prefill --seq 64 --solver cbc
        hybrix compile vgg16 --emit vgg16.program.txt
        hybrix compile bert-large --seq 128 --html bert.html
        hybrix compile llama2-7b --prompt 128 --generate 32,128,512,2048
      The guide is docs/strategies/cmswitch.md.
      """)

  @OptionGroup var workload: WorkloadOptions

  @Option(name: .long, help: "An architecture preset with a dual-mode CIM tier (see `hybrix archs`).")
  var arch: String = "cmswitch"

  @Flag(name: .long, help: "Compile only the compute-only baseline (every array computes, CIM-MLC-like).")
  var baseline = false

  @Option(name: .long, help: "The per-segment solver: exact (specialised, always there) or cbc (COIN-OR CBC, apt coinor-libcbc-dev).")
  var solver: String = "exact"

  @Option(name: .customLong("time-limit"), help: "Seconds each segment MIP may take (cbc); the best found is kept with its gap.")
  var timeLimit: Double?

  @Option(name: .customLong("max-segment"), help: "Most CIM operators in one segment.")
  var maxSegment: Int = 8

  @Option(name: .long, help: "Write the meta-operator program (parallel{…} per segment, CM.switch where modes change) to this file.")
  var emit: String?

  @Option(name: .customLong("save-mapping"), help: "Write the program as a mapping (schema hybrix.mapping v2: each operator's arrays by mode and segment) for `map --mapping` and `accuracy --mapping`.")
  var saveMapping: String?

  @Option(name: .long, help: "Generated-token counts of a generation run (comma-separated): prefill of --prompt tokens, then one decode step per token; compiles both programs at a grid of contexts (decoders only).")
  var generate: String?

  @Option(name: .long, help: "Prompt tokens of a --generate run (default: --seq, else 128).")
  var prompt: Int?

  @Option(name: .long, help: "Write a self-contained HTML page (array modes over time for both programs, segments, operators).")
  var html: String?

  @Flag(name: .long, help: "Print the versioned JSON report (schema hybrix.compile v1).")
  var json = false

  @Flag(name: .long, help: "List every operator's arrays (by default the first 40).")
  var all = false

  func run() async throws {
    try await reportingErrors {
      let precision = try workload.parsedPrecision()
      var workload = workload
      if generate != nil {
        // The report's program is the prompt's prefill; the study adds the decode steps.
        workload.phase = .prefill
        workload.seq = prompt ?? workload.seq ?? 128
      }
      let loaded = try workload.load()
      let architecture = try PresetRegistry.architecture(named: arch)
      let segmentSolver = try chosenSolver()
      guard maxSegment >= 1 else {
        throw ConfigError(path: "--max-segment", message: "\(maxSegment)", expected: "an integer ≥ 1")
      }
      if let t = timeLimit, !(t > 0) {
        throw ConfigError(path: "--time-limit", message: "\(t)", expected: "seconds > 0")
      }
      let compiler = SegmentCompiler(solver: segmentSolver, maxSegment: maxSegment, timeLimit: timeLimit)
      guard
        let compiled = try DualModeComparison.compile(
          loaded.graph, architecture: architecture, precision: precision, compiler: compiler, dualMode: !baseline)
      else {
        throw ConfigError(
          path: "--arch", message: "\(architecture.name) has no CIM tier whose arrays can run \(loaded.graph.name)'s products",
          expected: "an architecture with a CIM tier", hint: "try --arch cmswitch")
      }
      let program = compiled.program
      // The graph both programs place: products too large for the chip split into parts.
      var split = loaded
      split.graph = compiled.graph
      var notes: [String] = compiled.splitting.warnings
      if !baseline, !program.dualMode {
        notes.append("tier \(architecture.tiers[program.tier].id) has no memory mode (dual_mode: false): this is the compute-only baseline")
      }
      var report = CompileReport(
        graph: split.graph, architecture: architecture, program: program, baseline: compiled.baseline,
        simulated: compiled.simulated, simulatedBaseline: compiled.simulatedBaseline, notes: notes + loaded.warnings,
        splitting: compiled.splitting)
      if let generate {
        report.generation = try generationStudy(generate, architecture: architecture, precision: precision, compiler: compiler)
      }
      if let emit {
        let text = CompileReport.program(program, graph: split.graph, architecture: architecture)
        do { try text.write(toFile: emit, atomically: true, encoding: .utf8) } catch {
          throw ConfigError(file: emit, message: "cannot write the program: \(error.localizedDescription)", hint: "check that the folder exists and is writable")
        }
      }
      if let saveMapping {
        try split.saveMapping(
          program.plan, to: saveMapping, architecture: architecture, precision: precision,
          strategy: baseline || !program.dualMode ? "cmswitch (compute-only baseline)" : "cmswitch",
          goal: "minimise latency (segments by dynamic programming, arrays by per-segment MIP)")
      }
      if let html {
        do { try CompileHTML.render(report).write(toFile: html, atomically: true, encoding: .utf8) } catch {
          throw ConfigError(file: html, message: "cannot write the HTML report: \(error.localizedDescription)", hint: "check that the folder exists and is writable")
        }
      }
      if json {
        Terminal.print(try JSONOutput.encode(report))
      } else {
        Terminal.print(report.renderText(top: all ? nil : 40))
        if let emit { Terminal.print("program written to \(emit)") }
        if let saveMapping { Terminal.print("mapping written to \(saveMapping)") }
        if let html { Terminal.print("HTML report written to \(html)") }
      }
      if !report.infeasible.isEmpty {
        Terminal.infeasible(report.infeasible)
        throw ExitCode(2)
      }
    }
  }

  /// CMSwitch's output-length study: prefill of the prompt, then decode steps, both programs
  /// compiled at a grid of contexts (``GenerationStudy``).
  func generationStudy(
    _ list: String, architecture: Architecture, precision: Precision, compiler: SegmentCompiler
  ) throws(ConfigError) -> GenerationStudy.Outcome {
    var counts: [Int] = []
    for part in list.split(separator: ",") {
      guard let n = Int(part.trimmingCharacters(in: .whitespaces)), n >= 1 else {
        throw ConfigError(path: "--generate", message: "\"\(part)\"", expected: "comma-separated token counts ≥ 1, e.g. 32,128,512")
      }
      counts.append(n)
    }
    let study = GenerationStudy(prompt: prompt ?? workload.seq ?? 128, generated: counts)
    return try study.run { (phase: Phase, tokens: Int) throws(ConfigError) -> (dual: Double, baseline: Double) in
      let request = WorkloadRequest(
        model: workload.model, batch: workload.batch, sequenceLength: tokens, imageSize: nil, phase: phase,
        dimensions: try workload.bindings(), noFusion: workload.noFusion)
      guard let c = try DualModeComparison.compile(try request.load().graph, architecture: architecture, precision: precision, compiler: compiler)
      else {
        throw ConfigError(path: "--generate", message: "\(phase.rawValue) at \(tokens) tokens did not compile", hint: "raise --max-segment")
      }
      return (c.simulated.latency.seconds, c.simulatedBaseline.latency.seconds)
    }
  }

  func chosenSolver() throws(ConfigError) -> any SegmentSolver {
    switch solver {
    case "exact": return ExactSegmentSolver()
    case "cbc":
      try CBCSolver.requireAvailable()
      return MIPSegmentSolver.cbc
    default:
      throw ConfigError(
        path: "--solver", message: "\"\(solver)\"", expected: "exact or cbc",
        hint: NearestName.suggestion(for: solver, among: ["exact", "cbc"]).map { "did you mean \($0)?" })
    }
  }
}
