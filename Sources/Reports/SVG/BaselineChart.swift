import Foundation

/// This mapping beside each feasible baseline: latency bars on the left, energy bars on the
/// right, each with its value and the ratio baseline ÷ this mapping (above 1× this mapping is
/// better). A panel switches to a log scale when its values span more than 10×.
struct BaselineChart {
  var report: MapReport
  var palette: ChartPalette

  static let nameWidth = 178.0
  static let latencyPanel = (start: 190.0, end: 500.0)
  static let energyPanel = (start: 650.0, end: 960.0)
  static let rowHeight = 26.0

  struct Row {
    var name: String
    var latency: Double
    var energy: Double
    var latencyRatio: Double?
    var energyRatio: Double?
    var color: String
    var isThis: Bool
  }

  var rows: [Row] {
    var rows = [
      Row(
        name: "\(report.strategy) (this mapping)", latency: report.result.latencySeconds,
        energy: report.result.energyJoules,
        latencyRatio: nil, energyRatio: nil, color: ChartPalette.thisMapping, isThis: true)
    ]
    for b in report.baselines where b.feasible {
      guard let l = b.latencySeconds, let e = b.energyJoules else { continue }
      let tier =
        b.strategy.hasPrefix("homogeneous:")
        ? String(b.strategy.dropFirst("homogeneous:".count)) : ""
      rows.append(
        Row(
          name: b.strategy, latency: l, energy: e, latencyRatio: b.latencyRatio,
          energyRatio: b.energyRatio,
          color: palette.isTier(tier) ? palette.tier(tier) : ChartPalette.neutral, isThis: false))
    }
    return rows
  }

  /// Whether a panel with these values is drawn on a log scale.
  static func needsLog(_ values: [Double]) -> Bool {
    let positive = values.filter { $0 > 0 }
    guard let lo = positive.min(), let hi = positive.max() else { return false }
    return hi / lo > 10
  }

  func render() -> String {
    let rows = rows
    let top = 40.0
    let bottom = top + Double(rows.count) * Self.rowHeight
    var out = [
      SVG.open(height: bottom + 8, label: "Latency and energy of this mapping and its baselines")
    ]
    for panel in [
      (Self.latencyPanel, "latency", "s", rows.map(\.latency), rows.map(\.latencyRatio)),
      (Self.energyPanel, "energy", "J", rows.map(\.energy), rows.map(\.energyRatio)),
    ] {
      let (range, title, unit, values, ratios) = panel
      let log = Self.needsLog(values)
      let scale = PanelScale(values: values, start: range.start, end: range.end, log: log)
      out.append(
        SVG.text(title + (log ? " (log scale)" : ""), x: range.start, y: 14, className: "axis"))
      for (v, label) in scale.ticks(unit: unit) {
        out.append(
          SVG.line(
            x1: scale(v), y1: top - 6, x2: scale(v), y2: bottom,
            className: v == scale.origin ? "axisline" : "grid"))
        out.append(SVG.text(label, x: scale(v), y: top - 10, anchor: "middle", className: "tick"))
      }
      for (i, row) in rows.enumerated() {
        let y = top + Double(i) * Self.rowHeight
        let end = scale(values[i])
        out.append(
          SVG.rect(
            x: range.start, y: y + 5, width: max(end - range.start, 0.6), height: 16,
            fill: row.color,
            title: "\(row.name): \(title) \(SIUnit.auto(values[i], unit))"))
        out.append(
          valueText(
            SIUnit.auto(values[i], unit), ratio: ratios[i], x: end + 5, y: y + 17,
            strong: row.isThis))
      }
    }
    for (i, row) in rows.enumerated() {
      let y = top + Double(i) * Self.rowHeight
      out.append(
        SVG.text(
          SVG.truncate(row.name, 30), x: Self.nameWidth, y: y + 17, anchor: "end",
          className: row.isThis ? "lane strong" : "lane"))
    }
    out.append(SVG.close)
    return out.joined(separator: "\n")
  }

  /// `3.36 ms  1.28×`, the ratio green when this mapping is better and red when it is worse.
  func valueText(_ value: String, ratio: Double?, x: Double, y: Double, strong: Bool) -> String {
    var s =
      "<text x=\"\(SVG.num(x))\" y=\"\(SVG.num(y))\" class=\"value\(strong ? " strong" : "")\">\(SVG.escape(value))"
    if let r = ratio {
      let cls = r > 1.0005 ? "better" : r < 0.9995 ? "worse" : "same"
      s += "<tspan dx=\"8\" class=\"\(cls)\">\(SVG.escape(formatRatio(r)))</tspan>"
    }
    return s + "</text>"
  }
}

/// `1.28×`, `0.984×`, `12.3×`.
func formatRatio(_ r: Double) -> String {
  guard r.isFinite, r > 0 else { return "–" }
  return "\(formatSignificantTrimmed(r))×"
}

private func formatSignificantTrimmed(_ r: Double) -> String {
  r >= 100
    ? String(Int(r.rounded())) : String(format: r >= 10 ? "%.1f" : r >= 1 ? "%.2f" : "%.3f", r)
}

/// A bar panel's scale: linear from 0, or logarithmic over whole decades around the values.
struct PanelScale {
  var linear: LinearScale?
  var logScale: LogScale?

  init(values: [Double], start: Double, end: Double, log: Bool) {
    let positive = values.filter { $0 > 0 }
    if log, let lo = positive.min(), let hi = positive.max() {
      let dMin = pow(10, log10(lo).rounded(.down))
      let dMax = pow(10, log10(hi).rounded(.up))
      logScale = LogScale(domainMin: dMin, domainMax: max(dMax, dMin * 10), start: start, end: end)
    } else {
      linear = LinearScale(
        domainMax: Ticks.niceMax(values.max() ?? 0, target: 4), start: start, end: end)
    }
  }

  /// The value at the bars' base: 0, or the lowest decade.
  var origin: Double { logScale?.domainMin ?? 0 }

  func callAsFunction(_ v: Double) -> Double {
    if let logScale { return logScale(max(v, logScale.domainMin)) }
    return linear.map { $0(v) } ?? 0
  }

  /// Tick values with labels: each decade on a log scale, 1-2-5 steps with one prefix otherwise.
  func ticks(unit: String) -> [(Double, String)] {
    if let logScale {
      return Ticks.decades(logScale.domainMin, logScale.domainMax).map {
        ($0, SIUnit.auto($0, unit, digits: 1))
      }
    }
    guard let linear else { return [] }
    let si = SIUnit.forValue(linear.domainMax)
    let step = Ticks.step(linear.domainMax, target: 4)
    return Ticks.linear(upTo: linear.domainMax, target: 4).map {
      ($0, Ticks.label($0, unit: si, step: step) + ($0 == 0 ? "" : " \(si.prefix)\(unit)"))
    }
  }
}
