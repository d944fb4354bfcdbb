import Foundation
import Hardware
import HybrixCore
import Workloads

/// Mirage's two headline comparisons (iso-energy vs FMAC, iso-area vs INT12) over the zoo models
/// the paper trains, with geometric means beside the paper's averaged figures: the data
/// `hybrix reproduce mirage` prints.
public struct MirageReproduction: Codable, Sendable, Hashable {
  public var schema = "hybrix.mirage-reproduction.v1"
  public var batch: Int
  /// One comparison per model and headline.
  public var comparisons: [MirageComparison]
  /// Per headline and convention, the geometric mean of the ratios over the models.
  public var means: [Mean]
  public var assumptions: [String]

  public struct Mean: Codable, Sendable, Hashable {
    public var baseline: String
    public var iso: IsoMode
    public var convention: String
    public var ratios: MirageRatios
    public var paper: MirageRatios
  }
}

extension MirageStudy {
  /// Runs both headline comparisons on each of `models` (default: ``models``) at `batch`.
  public static func reproduce(
    models: [String] = MirageStudy.models, batch: Int = 256, architecture: Architecture? = nil
  ) throws(ConfigErrors) -> MirageReproduction {
    var comparisons: [MirageComparison] = []
    for headline in headlines {
      for model in models {
        let request = WorkloadRequest(model: model, batch: batch, phase: .train)
        comparisons.append(try compare(request, architecture: architecture, against: headline.baseline, iso: headline.iso))
      }
    }
    var means: [MirageReproduction.Mean] = []
    for headline in headlines {
      let rows = comparisons.filter { $0.baseline == headline.baseline && $0.iso == headline.iso }
      for convention in rows.first?.conventions.map(\.name) ?? [] {
        let ratios = rows.compactMap { $0.conventions.first { $0.name == convention }?.ratios }
        func gmean(_ f: (MirageRatios) -> Double) -> Double {
          exp(ratios.reduce(0) { $0 + log(f($1)) } / Double(max(1, ratios.count)))
        }
        means.append(
          .init(
            baseline: headline.baseline, iso: headline.iso, convention: convention,
            ratios: MirageRatios(runtime: gmean(\.runtime), edp: gmean(\.edp), power: gmean(\.power)),
            paper: headline.ratios))
      }
    }
    return MirageReproduction(
      batch: batch, comparisons: comparisons, means: means,
      assumptions: [
        "the paper averages over ResNet-18/50, MobileNetV2, VGG-16, AlexNet, YOLOv2 and a 12-layer d-768 Transformer; we use the zoo's models (no YOLOv2; BERT-base, 12 layers of d 768, for the Transformer)",
        "ratios are baseline ÷ Mirage (runtime, EDP > 1 favour Mirage; power > 1: the baseline draws more); means are geometric",
        "Mirage's device and circuit numbers are the paper's (§IV-C, §V-B); the SRAM access energy (Horowitz 32 kB, 2.5 pJ/B), FP32 accumulation (0.9 pJ) and the loss-budget details of the laser are assumed (MiragePreset, MirageLaser)",
      ])
  }
}

extension MirageReproduction {
  /// One line per model and headline, then the means beside the paper's figures.
  public var text: String {
    func f(_ v: Double) -> String { v >= 1 ? "\(formatSignificant(v, digits: 3))×" : "1/\(formatSignificant(1 / v, digits: 3))×" }
    var t = TextTable([
      .init("headline"), .init("model"), .init("convention"), .init("runtime", .right), .init("EDP", .right),
      .init("power", .right),
    ])
    for c in comparisons {
      for v in c.conventions {
        t.add(["\(c.baseline) iso-\(c.iso.rawValue)", c.model, v.name, f(v.ratios.runtime), f(v.ratios.edp), f(v.ratios.power)])
      }
    }
    t.addSeparator()
    for m in means {
      t.add(["\(m.baseline) iso-\(m.iso.rawValue)", "geomean", m.convention, f(m.ratios.runtime), f(m.ratios.edp), f(m.ratios.power)])
    }
    for h in MirageStudy.headlines {
      t.add(["\(h.baseline) iso-\(h.iso.rawValue)", "paper", "paper", f(h.ratios.runtime), f(h.ratios.edp), f(h.ratios.power)])
    }
    var out = "Mirage (ISCA 2024) training step, batch \(batch): baseline ÷ Mirage\n" + t.render() + "\n"
    for a in assumptions { out += "assumption: \(a)\n" }
    return out
  }
}
