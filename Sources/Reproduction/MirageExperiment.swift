import Foundation
import Hardware
import HybrixCore
import Reports
import Workloads

/// Mirage's two headline comparisons (iso-energy against FMAC, iso-area against INT12) over the
/// models the paper trains, counted the paper's way and the whole-system way
/// (``Reports/MirageStudy``, what `hybrix compare --headlines` prints), and the chip's own totals.
public struct MirageExperiment: PaperExperiment {
  public static let name = "mirage"
  public static let title = "Mirage — an RNS-based photonic accelerator for DNN training"
  public static let citation = "Demirkiran et al., ISCA 2024 (arXiv 2311.17323v2): abstract, §VI-C, Table II, power and area breakdowns"

  public init() {}

  public func run(_ context: ReproductionContext) async throws(ConfigError) -> PaperComparison {
    let models = context.quick ? ["resnet18"] : MirageStudy.models
    context.progress("mirage: \(models.count) model\(models.count == 1 ? "" : "s") × 2 headlines")
    let study: MirageReproduction
    let replaced = context.architectures[Self.name]
    do { study = try MirageStudy.reproduce(models: models, batch: 256, architecture: replaced?.architecture) } catch {
      let first = error.errors.first ?? ConfigError(message: "the Mirage comparison failed")
      throw replaced == nil ? first : context.noLongerApplies(Self.name, first.message)
    }
    var figures: [PaperFigure] = []
    if let c = study.comparisons.first {
      figures.append(PaperFigure(
        subject: "Mirage chip", quantity: "peak power", unit: "W", paper: PaperValue(19.95), source: "power breakdown",
        ours: c.miragePeakPowerWatts, note: Notes.power))
      figures.append(PaperFigure(
        subject: "Mirage chip", quantity: "area (photonic + electronic)", unit: "mm²", paper: PaperValue(476.6),
        source: "area breakdown", ours: c.mirageAreaSquareMillimetres, note: nil))
      figures.append(PaperFigure(
        subject: "Mirage chip", quantity: "energy per MAC", unit: "pJ", paper: PaperValue(0.21), source: "Table II",
        ours: c.mirageEnergyPerMACJoules * 1e12, note: Notes.power))
    }
    for m in study.means {
      let headline = "\(m.baseline.uppercased()) iso-\(m.iso.rawValue), \(m.convention)"
      let note = m.convention == "paper" ? Notes.paperWay : Notes.wholeSystem
      let paper = m.convention == "paper" ? m.paper : nil
      figures.append(PaperFigure(
        subject: headline, quantity: "runtime, baseline ÷ Mirage", unit: "×", paper: paper.map { PaperValue($0.runtime) },
        source: paper == nil ? nil : "abstract, §VI-C", ours: m.ratios.runtime, note: note))
      figures.append(PaperFigure(
        subject: headline, quantity: "EDP, baseline ÷ Mirage", unit: "×", paper: paper.map { PaperValue($0.edp) },
        source: paper == nil ? nil : "abstract, §VI-C", ours: m.ratios.edp, note: note))
      figures.append(PaperFigure(
        subject: headline, quantity: "power, baseline ÷ Mirage", unit: "×", paper: paper.map { PaperValue($0.power) },
        source: paper == nil ? nil : "abstract, §VI-C", ours: m.ratios.power, note: note))
    }
    let studies = context.quick
      ? [MirageAccuracyStudy(model: "mlp", seeds: [0], epochs: 1, trainLimit: 1024, testLimit: 500)]
      : context.accuracyModels.map { MirageAccuracyStudy(model: $0) }
    var outcomes: [(study: MirageAccuracyStudy, outcome: MirageAccuracyStudy.Outcome)] = []
    for accuracy in studies {
      let runs = MirageAccuracyStudy.arithmetics.count * accuracy.seeds.count
      context.progress("mirage: training \(accuracy.model) \(runs) times (\(MirageAccuracyStudy.arithmetics.joined(separator: ", ")) × \(accuracy.seeds.count) seeds)")
      var located = accuracy
      if let folder = context.dataFolder { located.dataFolder = folder }
      located.cache = context.trainingCache
      located.tool = context.tool
      let outcome = try await located.run(progress: context.progress)
      figures += Self.accuracyFigures(outcome, study: located)
      outcomes.append((located, outcome))
    }
    var comparison = PaperComparison(
      paper: Self.name, title: Self.title, citation: Self.citation,
      setting: "mirage preset (rebuilt from the paper: 8 RNS units × 3 moduli × 16×32 arrays at 10 GHz, laser power derived from "
        + "the detector SNR > m rule), Table II baselines, training steps at batch 256, geometric means over "
        + models.joined(separator: ", ") + (context.quick ? "; --quick: ResNet-18 only" : ""),
      figures: figures,
      assumptions: study.assumptions + [Notes.accuracySetting]
        + (replaced == nil ? [] : ["the training-accuracy rows use the paper's numerics (rns-mirage), not the replacing file's"]),
      quick: context.quick)
    let names = ["fp32": "FP32", "rns-mirage": "RNS (31, 32, 33), BFP 16×4", "int8": "INT8", "analog6": "6-bit analog"]
    for (located, outcome) in outcomes {
      let rows = outcome.rows.map { r -> IntervalBars.Row in
        let s = r.statistics
        return IntervalBars.Row(label: names[r.arithmetic] ?? r.arithmetic, mean: 100 * s.mean, low: 100 * s.confidenceLow, high: 100 * s.confidenceHigh)
      }
      comparison.charts.append(PaperChart(
        title: "Training accuracy by arithmetic (Table I's experiment), \(located.model)",
        note: "\(located.model) trained on \(outcome.trainSamples) Fashion-MNIST images for \(located.epochs) epoch\(located.epochs == 1 ? "" : "s") with every product through each arithmetic; mean test accuracy over \(located.seeds.count) seed\(located.seeds.count == 1 ? " (no interval)" : "s with its 95 % interval")."
          + Self.cacheNote(outcome, after: " "),
        svg: IntervalBars(rows: rows, axisTitle: "test accuracy (%)", label: "Test accuracy by training arithmetic, \(located.model)").render()))
    }
    return comparison
  }

  /// Table I's comparison on Fashion-MNIST: FP32's accuracy, and each other arithmetic's drop
  /// against it in points, with the 95 % intervals over the seeds in the notes.
  static func accuracyFigures(_ o: MirageAccuracyStudy.Outcome, study: MirageAccuracyStudy) -> [PaperFigure] {
    let subject = "\(study.model), Fashion-MNIST (\(o.trainSamples) training images, \(study.epochs) epoch\(study.epochs == 1 ? "" : "s"), \(study.seeds.count) seed\(study.seeds.count == 1 ? "" : "s"))"
    func interval(_ r: MirageAccuracyStudy.Row) -> String {
      let s = r.statistics
      return s.count > 1
        ? "\(r.arithmetic) \(formatFigure(100 * s.mean)) % (95 % interval \(formatFigure(100 * s.confidenceLow))–\(formatFigure(100 * s.confidenceHigh)) %)"
        : "\(r.arithmetic) \(formatFigure(100 * s.mean)) % (one seed: no interval)"
    }
    guard let fp32 = o.row("fp32") else { return [] }
    var figures = [
      PaperFigure(
        subject: subject, quantity: "test accuracy, FP32 training", unit: "%", paper: nil, source: nil,
        ours: 100 * fp32.statistics.mean, note: interval(fp32) + "; the paper trains ImageNet, CIFAR and IWSLT models"
          + cacheNote(o, after: "; "))
    ]
    let paper: [String: (PaperValue?, String)] = [
      "rns-mirage": (PaperValue(low: 0.01, high: 0.24), Notes.rns),
      "int8": (PaperValue(low: 2.30, high: 12.24), Notes.int8),
      "analog6": (nil, Notes.analog),
    ]
    let names = ["rns-mirage": "RNS (31, 32, 33), BFP 16 × 4-bit", "int8": "INT8", "analog6": "6-bit analog core"]
    for row in o.rows where row.arithmetic != "fp32" {
      let (value, note) = paper[row.arithmetic] ?? (nil, "")
      figures.append(PaperFigure(
        subject: subject, quantity: "accuracy drop vs FP32, \(names[row.arithmetic] ?? row.arithmetic)", unit: "points",
        paper: value, source: value == nil ? nil : "Table I (drop over its six models)",
        ours: 100 * (fp32.statistics.mean - row.statistics.mean), note: interval(row) + "; " + note))
    }
    return figures
  }

  /// Where the study's runs came from, when some were read from the cache (`--cache`) or a
  /// cached record was trained again; empty otherwise, else preceded by `separator`.
  static func cacheNote(_ o: MirageAccuracyStudy.Outcome, after separator: String = "") -> String {
    guard o.cachedRuns > 0 || o.staleRuns > 0 else { return "" }
    let total = o.rows.reduce(0) { $0 + $1.accuracies.count }
    var parts: [String] = []
    if o.cachedRuns > 0 {
      parts.append(
        "\(o.cachedRuns) of \(total) runs were read from the cache (--cache), trained by \(o.cachedTools.joined(separator: ", "))"
          + (o.uncheckedRuns > 0
            ? "; \(o.uncheckedRuns) of them from records without a numerics fingerprint, not checked against this build" : ""))
    }
    if o.staleRuns > 0 {
      parts.append("\(o.staleRuns) cached record\(o.staleRuns == 1 ? "" : "s") came from other numerics (another fingerprint); \(o.staleRuns == 1 ? "its run was" : "their runs were") trained again")
    }
    return separator + parts.joined(separator: "; ") + "."
  }

  enum Notes {
    static let power =
      "our chip peaks at 3× the paper's power: the paper's own ADC count and rate (1 536 at 10 GS/s) give 13 W where its breakdown gives DAC + ADC 0.22 W; we keep the device numbers (docs/strategies/mirage.md)"
    static let paperWay =
      "GEMMs only, baseline charged its Table II MAC energy, no DRAM; runtime ratios sit at the ratio of peak throughputs, so the paper's baselines were probably kept less busy than ours"
    static let wholeSystem =
      "the paper gives no whole-system figure: the same digital side, SRAM and DRAM on both sides, which take about half the step and erase most of the gap"
    static let rns =
      "every product of the forward and both backward GEMMs through rns-mirage, FP32 weights and accumulation as in the paper; the paper's drops are on ImageNet-scale tasks where 4-bit mantissas cost more"
    static let int8 =
      "INT8 with one abs-max scale per tensor on both operands of every product, exact integer accumulation; Fashion-MNIST forgives coarse arithmetic far more than ImageNet"
    static let analog =
      "not in the paper: a conventional 6-bit analog core (6-bit inputs and weights, 6-bit ADC over a fixed ±12 range, no device noise) on every product"
    static let accuracySetting =
      "Training accuracy (Table I) on Fashion-MNIST with the small CNN by default (--accuracy-model chooses others, such as resnet20-fm, which takes several CPU-hours), all 60 000 images, 1 epoch, seeds 0–2 (--quick: the MLP, 1 024 images, 1 epoch, seed 0; the paper: ImageNet CNNs for 60 epochs, YOLOv2, an IWSLT14 Transformer); SGD with momentum, cosine schedule, batch 64"
  }
}
