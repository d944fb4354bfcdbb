import HybrixCore

/// The ``shown`` longest operators of a large graph as labelled horizontal bars (time, then
/// energy), largest first, and one "others" bar for the rest.
///
/// The bars' scales fit the listed operators; the "others" bar usually exceeds them and is cut
/// at the panel's end with a break mark, its value printed beside it.
struct OperatorRanking {
  var report: MapReport
  var palette: ChartPalette

  static let shown = 40
  static let rowHeight = 17.0
  static let nameWidth = 250.0
  static let timePanel = (start: 262.0, end: 580.0)
  static let energyPanel = (start: 690.0, end: 990.0)

  /// The longest operators; durations equal to 4 significant digits (the same layer repeated)
  /// keep graph order.
  var top: [MapReport.OperatorRow] {
    let key = { (op: MapReport.OperatorRow) in
      Double(formatSignificant(duration(op), digits: 4)) ?? 0
    }
    return Array(
      report.operators.sorted { (key($0), $1.index) > (key($1), $0.index) }.prefix(Self.shown))
  }

  var rest: [MapReport.OperatorRow] {
    let shownIndices = Set(top.map(\.index))
    return report.operators.filter { !shownIndices.contains($0.index) }
  }

  func duration(_ op: MapReport.OperatorRow) -> Double { op.endSeconds - op.startSeconds }
  func energy(_ op: MapReport.OperatorRow) -> Double { op.energyJoules + op.movementJoules }

  var caption: String {
    let others = rest
    let allTime = report.operators.reduce(0) { $0 + duration($1) }
    let allEnergy = report.operators.reduce(0) { $0 + energy($1) }
    let t = others.reduce(0) { $0 + duration($1) }
    let e = others.reduce(0) { $0 + energy($1) }
    return
      "\(report.operators.count) operators: the \(Self.shown) longest are drawn, longest first; the other "
      + "\(others.count) are summed in “others” (\(percent(allTime > 0 ? t / allTime : 0)) of operator time, "
      + "\(percent(allEnergy > 0 ? e / allEnergy : 0)) of operator energy), whose bars are cut at the axis end when "
      + "they exceed it. Energy is compute energy on the tiers plus the movement of inputs (purple)."
  }

  func render() -> String {
    let rows = top
    let others = rest
    let bars = OperatorBars(report: report, palette: palette)
    let timeX = LinearScale(
      domainMax: Ticks.niceMax(rows.map(duration).max() ?? 0), start: Self.timePanel.start,
      end: Self.timePanel.end)
    let energyX = LinearScale(
      domainMax: Ticks.niceMax(rows.map(energy).max() ?? 0), start: Self.energyPanel.start,
      end: Self.energyPanel.end)
    let plotTop = 52.0
    let count = rows.count + (others.isEmpty ? 0 : 1)
    let plotBottom = plotTop + Double(count) * Self.rowHeight
    var out = [
      SVG.open(
        height: plotBottom + 10,
        label: "The \(rows.count) longest operators of \(report.model.name)")
    ]
    out.append(
      Legend.row(
        bars.legendItems(rows) + [
          ("input movement", ChartPalette.transfer), ("others", ChartPalette.others),
        ], x: 8, y: 0))
    out.append(axis(timeX, unit: "s", title: "time", top: plotTop, bottom: plotBottom))
    out.append(axis(energyX, unit: "J", title: "energy", top: plotTop, bottom: plotBottom))
    for (i, op) in rows.enumerated() {
      let y = plotTop + Double(i) * Self.rowHeight
      let title = bars.tooltip(op)
      out.append("<g><title>\(SVG.escape(title))</title>")
      out.append(
        SVG.text(
          SVG.truncate(op.name, 40), x: Self.nameWidth, y: y + 12, anchor: "end", className: "lane")
      )
      let color = palette.tier(op.mainTier)
      out.append(
        SVG.rect(
          x: timeX.start, y: y + 3, width: max(timeX(duration(op)) - timeX.start, 0.6), height: 11,
          fill: color))
      out.append(
        SVG.text(
          SIUnit.auto(duration(op), "s"), x: timeX(duration(op)) + 4, y: y + 12, className: "value")
      )
      let e0 = energyX(op.energyJoules)
      out.append(
        SVG.rect(
          x: energyX.start, y: y + 3, width: max(e0 - energyX.start, 0.6), height: 11, fill: color))
      if op.movementJoules > 0 {
        out.append(
          SVG.rect(
            x: e0, y: y + 3, width: energyX(energy(op)) - e0, height: 11,
            fill: ChartPalette.transfer))
      }
      out.append(
        SVG.text(
          SIUnit.auto(energy(op), "J"), x: energyX(energy(op)) + 4, y: y + 12, className: "value"))
      out.append("</g>")
    }
    if !others.isEmpty {
      let y = plotTop + Double(rows.count) * Self.rowHeight
      let t = others.reduce(0) { $0 + duration($1) }
      let e = others.reduce(0) { $0 + energy($1) }
      out.append(
        "<g><title>\(SVG.escape("\(others.count) other operators: \(SIUnit.auto(t, "s")), \(SIUnit.auto(e, "J"))"))</title>"
      )
      out.append(
        SVG.text(
          "others (\(others.count) operators)", x: Self.nameWidth, y: y + 12, anchor: "end",
          className: "lane strong"))
      out.append(cutBar(t, scale: timeX, y: y, unit: "s"))
      out.append(cutBar(e, scale: energyX, y: y, unit: "J"))
      out.append("</g>")
    }
    out.append(SVG.close)
    return out.joined(separator: "\n")
  }

  /// A grey bar for `v`, cut with a break mark at the panel's end when `v` exceeds the scale.
  func cutBar(_ v: Double, scale: LinearScale, y: Double, unit: String) -> String {
    let end = min(scale(v), scale.end)
    var out = [
      SVG.rect(
        x: scale.start, y: y + 3, width: max(end - scale.start, 0.6), height: 11,
        fill: ChartPalette.others)
    ]
    if v > scale.domainMax {
      out.append(
        "<path d=\"M\(SVG.num(end - 9)) \(SVG.num(y + 16))l5 -15m2 15l5 -15\" class=\"cut\"/>")
    }
    out.append(SVG.text(SIUnit.auto(v, unit), x: end + 4, y: y + 12, className: "value strong"))
    return out.joined(separator: "\n")
  }

  /// Ticks above a panel and faint grid lines down through its rows.
  func axis(_ x: LinearScale, unit: String, title: String, top: Double, bottom: Double) -> String {
    let si = SIUnit.forValue(x.domainMax)
    let step = Ticks.step(x.domainMax, target: 4)
    var out = [
      SVG.text("\(title) (\(si.prefix)\(unit))", x: x.start, y: top - 22, className: "axis")
    ]
    for v in Ticks.linear(upTo: x.domainMax, target: 4) {
      out.append(
        SVG.line(
          x1: x(v), y1: top - 2, x2: x(v), y2: bottom, className: v == 0 ? "axisline" : "grid"))
      out.append(
        SVG.text(
          Ticks.label(v, unit: si, step: step), x: x(v), y: top - 6, anchor: "middle",
          className: "tick"))
    }
    return out.joined(separator: "\n")
  }
}
