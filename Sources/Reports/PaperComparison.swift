import Foundation

/// A number a paper states: one value, or a range with the mean when the paper gives one.
public struct PaperValue: Codable, Sendable, Hashable {
  public var low: Double
  public var high: Double
  public var mean: Double?

  public init(_ value: Double) {
    low = value
    high = value
    mean = nil
  }

  public init(low: Double, high: Double, mean: Double? = nil) {
    self.low = low
    self.high = high
    self.mean = mean
  }

  public var isRange: Bool { low != high }

  /// The value a ratio is taken against: the value, the range's stated mean, or else the
  /// geometric middle of the range (ratios are compared on a log scale).
  public var central: Double { isRange ? (mean ?? (low * high).squareRoot()) : low }

  /// Whether `x` lies in the range (for one value: within 1 % of it).
  public func contains(_ x: Double) -> Bool {
    isRange ? (x >= low && x <= high) : abs(x - low) <= 0.01 * abs(low)
  }

  public var text: String {
    func f(_ v: Double) -> String { formatFigure(v) }
    guard isRange else { return f(low) }
    return "\(f(low))–\(f(high))" + (mean.map { " (avg \(f($0)))" } ?? "")
  }
}

/// One figure of a paper beside ours: what it measures, the paper's number with where it is
/// printed, the number Hybrix computed at run time, and why the two differ when they do.
public struct PaperFigure: Codable, Sendable {
  /// The model or setting, e.g. "Pythia-70M" or "ResNet-18".
  public var subject: String
  /// What is measured, e.g. "latency, 100 % SRAM-PIM" or "speed-up over compute-only".
  public var quantity: String
  /// "ms", "mJ", "×", "points", "%".
  public var unit: String
  /// The paper's number (`nil` when the paper does not give it).
  public var paper: PaperValue?
  /// Where the paper prints it, e.g. "Table 4".
  public var source: String?
  /// Ours, computed by this run (`nil` when we do not build the experiment yet: `note` says why).
  public var ours: Double?
  /// Why ours differs, or what is missing.
  public var note: String?

  public init(
    subject: String, quantity: String, unit: String, paper: PaperValue?, source: String? = nil, ours: Double?,
    note: String? = nil
  ) {
    self.subject = subject
    self.quantity = quantity
    self.unit = unit
    self.paper = paper
    self.source = source
    self.ours = ours
    self.note = note
  }

  /// Ours ÷ the paper's (central) value.
  public var ratio: Double? {
    guard let ours, let p = paper?.central, p != 0 else { return nil }
    return ours / p
  }

  /// Whether ours lies in the paper's stated range (`nil` for a single value or a missing one).
  public var withinRange: Bool? {
    guard let ours, let p = paper, p.isRange else { return nil }
    return p.contains(ours)
  }
}

/// One paper's experiment as `hybrix reproduce` ran it.
public struct PaperComparison: Codable, Sendable {
  /// `h3pimap`, `cmswitch`, `lionheart`, `mirage`.
  public var paper: String
  public var title: String
  public var citation: String
  /// What the run did, in one sentence (models, preset, settings).
  public var setting: String
  public var figures: [PaperFigure]
  /// Where our setting differs from the paper's: numbers it leaves out, data sets we substitute,
  /// parts we do not build.
  public var assumptions: [String]
  public var wallSeconds: Double
  public var quick: Bool
  /// The experiment's own plots for the HTML page (SVG), drawn from this run's results; not part
  /// of the JSON (the figures are).
  public var charts: [PaperChart] = []

  enum CodingKeys: String, CodingKey {
    case paper, title, citation, setting, figures, assumptions, wallSeconds, quick
  }

  public init(
    paper: String, title: String, citation: String, setting: String, figures: [PaperFigure], assumptions: [String],
    wallSeconds: Double = 0, quick: Bool
  ) {
    self.paper = paper
    self.title = title
    self.citation = citation
    self.setting = setting
    self.figures = figures
    self.assumptions = assumptions
    self.wallSeconds = wallSeconds
    self.quick = quick
  }
}

/// A plot of one experiment's results for the reproduce page: a title, what it shows, and the
/// SVG (Reports' chart helpers draw it).
public struct PaperChart: Sendable {
  public var title: String
  public var note: String
  public var svg: String
  public init(title: String, note: String, svg: String) {
    self.title = title
    self.note = note
    self.svg = svg
  }
}

/// What `hybrix reproduce` prints (schema `hybrix.reproduce` v1): one comparison per paper.
public struct ReproductionReport: Codable, Sendable {
  public static let schemaName = "hybrix.reproduce"
  public static let schemaVersion = 1

  public var schema = ReproductionReport.schemaName
  public var schemaVersion = ReproductionReport.schemaVersion
  public var tool = "hybrix"
  public var toolVersion = HybrixVersion.current
  public var papers: [PaperComparison]
  public var wallSeconds: Double

  public init(papers: [PaperComparison], wallSeconds: Double) {
    self.papers = papers
    self.wallSeconds = wallSeconds
  }
}

/// Three significant digits, no exponent for the magnitudes papers print.
public func formatFigure(_ v: Double) -> String {
  guard v.isFinite else { return "\(v)" }
  let a = abs(v)
  if a >= 1e15 { return String(format: "%.3e", v) }  // beyond exact integers (and Int's range)
  if a >= 1000 { return String(Int(v.rounded())) }
  if a >= 100 { return String(format: "%.0f", v) }
  if a >= 10 { return String(format: "%.1f", v) }
  if a >= 1 { return String(format: "%.2f", v) }
  if a >= 0.01 { return String(format: "%.3f", v) }
  if a >= 0.001 { return String(format: "%.5f", v) }
  return a == 0 ? "0" : String(format: "%.2e", v)
}
