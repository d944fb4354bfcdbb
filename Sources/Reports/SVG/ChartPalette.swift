/// The report's colours: one hue family per tier kind (so a PCM tier looks the same in every
/// report), one colour per energy component and per timeline event kind.
///
/// The hues are Tableau 20's paired colours, which stay distinct on screen, in print and for
/// the common forms of colour blindness when paired with the legends' labels.
struct ChartPalette {
  /// Hue families by tier kind, strongest first; further tiers of one kind cycle through them.
  static let byKind: [String: [String]] = [
    "digital": ["#4e79a7", "#a0cbe8", "#2e4a6b"],
    "cim": ["#f28e2b", "#ffbe7d", "#b3641a"],
    "analog": ["#59a14f", "#8cd17d", "#386b31"],
    "photonic": ["#e15759", "#ff9d9a", "#9e3436"],
    "rns-photonic": ["#499894", "#86bcb6", "#2c625f"],
  ]
  static let otherKinds = ["#b6992d", "#f1ce63", "#79661e"]

  /// Transfers over links and through the global buffer.
  static let transfer = "#b07aa1"
  /// DRAM (or HBM) reads and writes.
  static let dram = "#8a8a8a"
  /// Sums of many small items ("others").
  static let others = "#c9c9c9"
  /// This mapping, in comparisons with baselines.
  static let thisMapping = "#1f3b57"
  static let neutral = "#9aa3ad"

  /// Energy components in a fixed order, with their colours.
  static let components: [(name: String, color: String)] = [
    ("compute", "#4e79a7"), ("converters", "#f28e2b"), ("memory", "#59a14f"),
    ("movement", "#b07aa1"), ("static", "#9c9c9c"), ("idle", "#d4d4d4"), ("programming", "#e15759"),
  ]

  private var tierColors: [String: String] = [:]

  /// Colours for the tiers of one report, assigned in the architecture's order.
  init(tiers: [MapReport.TierUse]) {
    var used: [String: Int] = [:]
    for t in tiers {
      let family = Self.byKind[t.kind] ?? Self.otherKinds
      let i = used[t.kind, default: 0]
      used[t.kind] = i + 1
      tierColors[t.id] = family[i % family.count]
    }
  }

  /// The colour of tier `id`; grey for a resource that is not a tier.
  func tier(_ id: String) -> String { tierColors[id] ?? Self.neutral }

  /// Whether `id` is one of the report's tiers.
  func isTier(_ id: String) -> Bool { tierColors[id] != nil }

  /// The colour of energy component `name`; unknown components get grey.
  static func component(_ name: String) -> String {
    components.first { $0.name == name }?.color ?? neutral
  }

  /// Component names of `joules` in the fixed order, unknown ones last by name, zeros dropped.
  static func orderedComponents(_ joules: [String: Double]) -> [(name: String, joules: Double)] {
    let known = components.map(\.name)
    let extra = joules.keys.filter { !known.contains($0) }.sorted()
    return (known + extra).compactMap { name in
      guard let j = joules[name], j > 0 else { return nil }
      return (name, j)
    }
  }
}
