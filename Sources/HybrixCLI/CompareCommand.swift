import ArgumentParser
import Foundation
import Hardware
import HybrixCore
import Reports
import Workloads

/// `hybrix compare MODEL --arch mirage --against BASELINE --iso energy|area`: Mirage's training
/// study (ISCA 2024) on our cost model, in the paper's convention and a whole-system one.
struct CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Compare a training step on Mirage's RNS photonic core with a Table II systolic baseline, iso-energy or iso-area.",
    discussion: """
      Examples:
        hybrix compare resnet18 --against fmac --iso energy
        hybrix compare resnet50 --against int12 --iso area --json
        hybrix compare vgg16 --against fp32 --iso area --phase inference --batch 1
        hybrix compare --headlines
      Baselines (Mirage's Table II): \(MirageBaseline.names.joined(separator: ", ")).
      Two conventions are printed: the paper's (GEMMs only, the baseline's MAC energy only, no DRAM)
      and a whole-system one (the whole step, same digital side, SRAM and HBM on both sides).
      The guide is docs/strategies/mirage.md.
      """)

  @Argument(help: "A zoo model name (see `hybrix models`) or a path to an .onnx file.")
  var model: String?

  @Flag(
    name: .long,
    help: "Run both of the paper's headline comparisons (iso-energy vs fmac, iso-area vs int12) on every zoo model it trains (\(MirageStudy.models.joined(separator: ", "))); MODEL, --against and --iso are not used.")
  var headlines = false

  @Option(name: .long, help: "The Mirage architecture: a preset or a .yaml file with an rns-photonic tier and a digital tier.")
  var arch: String = "mirage"

  @Option(name: .long, help: "The systolic baseline of Mirage's Table II: \(MirageBaseline.names.joined(separator: ", ")).")
  var against: String?

  @Option(name: .long, help: "What the baseline is scaled to: energy or area.")
  var iso: String = "energy"

  @Option(name: .long, help: "train (a training step, the paper's setting) or inference.")
  var phase: Phase = .train

  @Option(name: .long, help: "Batch size (the paper: 256).")
  var batch: Int = 256

  @Option(name: .long, help: "Sequence length in tokens (language models).")
  var seq: Int?

  @Flag(name: .long, help: "Print the JSON report (schema hybrix.mirage-compare v1).")
  var json = false

  func run() throws {
    try reportingErrors {
      let mode = try IsoMode.parse(iso)
      let architecture = try PresetRegistry.architecture(named: arch)
      guard batch >= 1 else { throw ConfigError(path: "--batch", message: "\(batch)", expected: "an integer ≥ 1") }
      if headlines {
        let r = try MirageStudy.reproduce(batch: batch, architecture: architecture)
        Terminal.print(json ? try ReportJSON.encode(r) : r.text)
        return
      }
      guard let model else {
        throw ConfigError(path: "MODEL", message: "missing", expected: "a zoo model name or an .onnx path", hint: "or --headlines for the paper's models")
      }
      guard let against else {
        throw ConfigError(
          path: "--against", message: "missing", expected: "one of \(MirageBaseline.names.joined(separator: ", "))",
          hint: "the paper's headlines are --against fmac --iso energy and --against int12 --iso area")
      }
      _ = try MirageBaseline.named(against)
      let request = WorkloadRequest(model: model, batch: batch, sequenceLength: seq, phase: phase)
      let comparison = try MirageStudy.compare(request, architecture: architecture, against: against, iso: mode)
      Terminal.print(json ? try ReportJSON.encode(comparison) : comparison.text)
    }
  }
}
