import Hardware
import HybrixCore

/// What a Mirage comparison holds the same on both sides.
public enum IsoMode: String, CaseIterable, Sendable, Codable {
  /// The paper: baseline MAC units × their energy per MAC = Mirage's. Whole-system: the same
  /// average power over the step.
  case energy
  /// The paper: baseline MAC units fill Mirage's whole area. Whole-system: they fill the area of
  /// Mirage's photonic core (both systems keep the same digital side and SRAM).
  case area

  public static func parse(_ text: String, path: String = "--iso") throws(ConfigError) -> IsoMode {
    if let m = IsoMode(rawValue: text.lowercased()) { return m }
    throw ConfigError(
      path: path, message: "unknown iso mode \"\(text)\"", expected: "energy or area",
      hint: NearestName.suggestion(for: text.lowercased(), among: allCases.map(\.rawValue)).map { "did you mean \($0)?" }
        ?? "iso-energy scales the baseline to Mirage's energy, iso-area to its area")
  }
}

/// One system's figures for one training step (or inference pass) under one convention.
public struct MirageSide: Codable, Sendable, Hashable {
  /// MAC units (Mirage: RNS MACs, each computed once per modulus) and 16×32 arrays.
  public var macUnits: Double
  public var arrays: Int?
  public var runtimeSeconds: Double
  public var energyJoules: Double
  public var powerWatts: Double
  public var edpJouleSeconds: Double

  public init(macUnits: Double, arrays: Int? = nil, runtimeSeconds: Double, energyJoules: Double) {
    self.macUnits = macUnits
    self.arrays = arrays
    self.runtimeSeconds = runtimeSeconds
    self.energyJoules = energyJoules
    powerWatts = runtimeSeconds > 0 ? energyJoules / runtimeSeconds : 0
    edpJouleSeconds = energyJoules * runtimeSeconds
  }
}

/// Baseline ÷ Mirage: runtime and EDP above 1 favour Mirage; power above 1 means the baseline
/// draws more (Mirage has lower power), below 1 that Mirage draws more.
public struct MirageRatios: Codable, Sendable, Hashable {
  public var runtime: Double
  public var edp: Double
  public var power: Double

  public init(runtime: Double, edp: Double, power: Double) {
    self.runtime = runtime
    self.edp = edp
    self.power = power
  }

  init(baseline b: MirageSide, mirage m: MirageSide) {
    runtime = b.runtimeSeconds / m.runtimeSeconds
    edp = b.edpJouleSeconds / m.edpJouleSeconds
    power = b.powerWatts / m.powerWatts
  }
}

/// One way of counting: the paper's or a skeptical reader's.
public struct MirageConvention: Codable, Sendable, Hashable {
  /// `paper` or `whole-system`.
  public var name: String
  public var description: String
  /// The baseline's scaling: what was held equal, with the numbers.
  public var scaling: String
  public var mirage: MirageSide
  public var baseline: MirageSide
  public var ratios: MirageRatios
}

/// A headline of the paper, as baseline ÷ Mirage ratios (averaged over its models).
public struct MiragePaperFigure: Codable, Sendable, Hashable {
  public var baseline: String
  public var iso: IsoMode
  public var ratios: MirageRatios
  public var statement: String
  public var source: String
}

/// Mirage against one Table II baseline on one workload, in both conventions.
public struct MirageComparison: Codable, Sendable, Hashable {
  public var schema = "hybrix.mirage-compare.v1"
  public var model: String
  public var phase: String
  public var batch: Int
  public var baseline: String
  public var iso: IsoMode
  /// Products (GEMMs) in the step, their MACs, and how many Mirage ran input-stationary (OPT2).
  public var gemms: Int
  public var macs: Double
  public var inputStationaryGEMMs: Int
  /// Mirage's own peak figures from our model, beside Table II's.
  public var mirageEnergyPerMACJoules: Double
  public var mirageAreaSquareMillimetres: Double
  public var miragePeakPowerWatts: Double
  /// Mirage's peak power by action (`adc_conversion`, `buffer_read`, …) and `static` (laser).
  public var miragePeakBreakdownWatts: [String: Double]
  public var conventions: [MirageConvention]
  /// The paper's headline for this baseline and mode, when it states one.
  public var paper: MiragePaperFigure?
  public var notes: [String]
}

extension MirageStudy {
  /// The paper's qualified headlines [Demirkiran et al., ISCA 2024, arXiv 2311.17323v2 abstract
  /// and §VI-C; papers.md §7.1], averaged over its models.
  public static let headlines: [MiragePaperFigure] = [
    MiragePaperFigure(
      baseline: "fmac", iso: .energy, ratios: MirageRatios(runtime: 23.8, edp: 32.1, power: 1 / 17.2),
      statement: "iso-energy vs FMAC: 23.8× lower runtime, 32.1× lower EDP, 17.2× higher power",
      source: "Demirkiran et al., Mirage, ISCA 2024 (arXiv 2311.17323v2) abstract, §VI-C"),
    MiragePaperFigure(
      baseline: "int12", iso: .area, ratios: MirageRatios(runtime: 1 / 5.4, edp: 1.27, power: 42.8),
      statement: "iso-area vs INT12: INT12 5.4× faster, Mirage 42.8× lower power and 1.27× lower EDP",
      source: "Demirkiran et al., Mirage, ISCA 2024 (arXiv 2311.17323v2) abstract, §VI-C"),
  ]

  /// The zoo models the paper trains (its 12-layer d-768 Transformer is an IWSLT14
  /// encoder–decoder; BERT-base, 12 layers of d 768, stands in for it).
  public static let models = ["resnet18", "resnet50", "mobilenetv2", "vgg16", "alexnet", "bert-base"]
}
