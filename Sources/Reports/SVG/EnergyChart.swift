import Foundation
import HybrixCore

/// Where the energy goes: one stacked bar for the whole run and one per tier, split by component
/// (compute, converters, memory, movement, static, idle, programming), all on one scale so the tiers'
/// bars show their part of the total.
///
/// DRAM and link movement is counted by the cost model, not by tiers, so it appears in the
/// total's bar only.
struct EnergyChart {
  var report: MapReport
  var palette: ChartPalette

  static let left = 150.0
  static let right = 84.0
  static let rowHeight = 34.0

  func render() -> String {
    var rows: [(label: String, joules: [String: Double], total: Double, color: String?)] = [
      ("total", report.result.energyByComponentJoules, report.result.energyJoules, nil)
    ]
    for t in report.tiers where t.energyJoules > 0 {
      rows.append((t.id, t.energyByComponentJoules, t.energyJoules, palette.tier(t.id)))
    }
    let maxTotal = rows.map(\.total).max() ?? 0
    let x = LinearScale(domainMax: maxTotal, start: Self.left, end: SVG.width - Self.right)
    let legendItems = ChartPalette.orderedComponents(report.result.energyByComponentJoules)
    let top = 34.0
    let height = top + Double(rows.count) * Self.rowHeight + 8
    var out = [
      SVG.open(height: height, label: "Energy of \(report.model.name) by component and by tier")
    ]
    let total = max(report.result.energyJoules, .leastNonzeroMagnitude)
    out.append(
      Legend.row(
        legendItems.map {
          (
            "\($0.name) \(SIUnit.auto($0.joules, "J"))",
            ChartPalette.component($0.name)
          )
        },
        x: Self.left, y: 4))
    for (i, row) in rows.enumerated() {
      let y = top + Double(i) * Self.rowHeight
      let barHeight = i == 0 ? 22.0 : 16.0
      let barTop = y + (22 - barHeight) / 2
      if let c = row.color {
        out.append(
          SVG.rect(
            x: Self.left - 19, y: y + 6, width: 11, height: 11, fill: c, attributes: " rx=\"2\""))
      }
      out.append(
        SVG.text(
          row.label, x: Self.left - (row.color == nil ? 8 : 25), y: y + 15, anchor: "end",
          className: i == 0 ? "lane strong" : "lane"))
      var cx = Self.left
      for part in ChartPalette.orderedComponents(row.joules) {
        let w = x(part.joules) - Self.left
        let share = row.total > 0 ? part.joules / row.total : 0
        out.append(
          SVG.rect(
            x: cx, y: barTop, width: max(w, 0.6), height: barHeight,
            fill: ChartPalette.component(part.name),
            title:
              "\(row.label): \(part.name) \(SIUnit.auto(part.joules, "J")), \(percent(share)) of \(SIUnit.auto(row.total, "J"))",
            attributes: w >= 3 ? " class=\"sep\"" : ""))
        let label = percent(share)
        if w >= Legend.textWidth(label, size: 11) + 8 {
          out.append(
            SVG.text(
              label, x: cx + w / 2, y: barTop + barHeight / 2 + 4, anchor: "middle",
              className: "inbar"))
        }
        cx += w
      }
      out.append(
        SVG.text(
          SIUnit.auto(row.total, "J"), x: cx + 6, y: y + 15,
          className: i == 0 ? "value strong" : "value"))
    }
    out.append(SVG.close)
    return out.joined(separator: "\n")
  }
}

/// A share as a percentage with about 2–3 significant digits: `62.7 %`, `5.8 %`, `0.4 %`.
func percent(_ share: Double) -> String {
  let p = share * 100
  if p >= 99.95 || p == 0 { return "\(Int(p.rounded())) %" }
  if p >= 10 { return "\(formatSignificant(p, digits: 3)) %" }
  return String(format: "%.1f %%", p)
}
