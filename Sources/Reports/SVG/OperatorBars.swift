/// Time and energy per operator, coloured by the operator's main tier.
///
/// Up to ``profileLimit`` operators are drawn as columns in execution order (time above, energy
/// below, on a shared axis), which shows where along the network the cost goes; larger graphs
/// get ``OperatorRanking``'s bars of the ``OperatorRanking/shown`` longest operators and an
/// "others" bar.
struct OperatorBars {
  var report: MapReport
  var palette: ChartPalette

  static let profileLimit = 200
  static let left = 78.0
  static let right = 16.0
  static let panelHeight = 150.0

  /// What the section says above the chart.
  var caption: String {
    let n = report.operators.count
    if n > Self.profileLimit { return OperatorRanking(report: report, palette: palette).caption }
    return
      "All \(n) operators in execution order. Energy is the operator's compute energy on its tiers "
      + "(in the tier's colour) plus the movement of its inputs (in purple). Hover a bar for its name."
  }

  func render() -> String {
    if report.operators.count > Self.profileLimit {
      return OperatorRanking(report: report, palette: palette).render()
    }
    let ops = report.operators.sorted { $0.index < $1.index }
    let x0 = Self.left
    let band = (SVG.width - Self.right - x0) / Double(max(ops.count, 1))
    let barWidth = max(band * (band >= 4 ? 0.78 : 1), 0.8)
    let timeTop = 50.0
    let energyTop = timeTop + Self.panelHeight + 40
    let height = energyTop + Self.panelHeight + 40
    var out = [
      SVG.open(height: height, label: "Time and energy per operator of \(report.model.name)")
    ]
    out.append(
      Legend.row(legendItems(ops) + [("input movement", ChartPalette.transfer)], x: x0, y: 2))

    let times = ops.map { $0.endSeconds - $0.startSeconds }
    let timeMax = Ticks.niceMax(times.max() ?? 0)
    let ty = LinearScale(domainMax: timeMax, start: timeTop + Self.panelHeight, end: timeTop)
    out.append(yAxis(ty, top: timeTop, unit: "s", title: "time"))
    var labelled: [Double] = []
    let longest = ops.indices.sorted { (times[$0], ops[$1].index) > (times[$1], ops[$0].index) }
      .prefix(4)
    for (i, op) in ops.enumerated() {
      let bx = x0 + Double(i) * band + (band - barWidth) / 2
      let h = ty.start - ty(times[i])
      out.append(
        SVG.rect(
          x: bx, y: ty(times[i]), width: barWidth, height: max(h, times[i] > 0 ? 0.6 : 0),
          fill: palette.tier(op.mainTier), title: tooltip(op)))
      if longest.contains(i) {
        let cx = bx + barWidth / 2
        let name = SVG.truncate(op.name, 22)
        let half = Legend.textWidth(name, size: 10) / 2 + 4
        if !labelled.contains(where: { abs($0 - cx) < 2 * half }) {
          labelled.append(cx)
          out.append(
            SVG.text(
              name, x: min(max(cx, x0 + half), SVG.width - half), y: ty(times[i]) - 4,
              anchor: "middle", className: "note"))
        }
      }
    }

    let energies = ops.map { $0.energyJoules + $0.movementJoules }
    let energyMax = Ticks.niceMax(energies.max() ?? 0)
    let ey = LinearScale(domainMax: energyMax, start: energyTop + Self.panelHeight, end: energyTop)
    out.append(yAxis(ey, top: energyTop, unit: "J", title: "energy"))
    for (i, op) in ops.enumerated() {
      let bx = x0 + Double(i) * band + (band - barWidth) / 2
      let compute = ey.start - ey(op.energyJoules)
      let moved = ey.start - ey(op.energyJoules + op.movementJoules) - compute
      let title = tooltip(op)
      out.append(
        SVG.rect(
          x: bx, y: ey.start - compute, width: barWidth, height: compute,
          fill: palette.tier(op.mainTier), title: title))
      if moved > 0 {
        out.append(
          SVG.rect(
            x: bx, y: ey.start - compute - moved, width: barWidth, height: moved,
            fill: ChartPalette.transfer, title: title))
      }
    }
    for v in Self.indexTicks(ops.count) {
      let cx = x0 + v * band + band / 2
      out.append(
        SVG.text(String(Int(v)), x: cx, y: ey.start + 14, anchor: "middle", className: "tick"))
    }
    out.append(
      SVG.text(
        "operator (execution order)", x: SVG.width - Self.right, y: ey.start + 30, anchor: "end",
        className: "axis"))
    out.append(SVG.close)
    return out.joined(separator: "\n")
  }

  /// Operator positions to label under the columns: whole numbers only (a 1-2-5 step below 1,
  /// as for seven operators, would label 0, 0.5, 1, … and print each index twice).
  static func indexTicks(_ count: Int) -> [Double] {
    let last = Double(max(count - 1, 0))
    return Ticks.step(last, target: 10) < 1 ? (0..<max(count, 1)).map(Double.init) : Ticks.linear(upTo: last, target: 10)
  }

  /// A value axis on the left with grid lines; the unit's prefix is chosen for the axis maximum.
  func yAxis(_ y: LinearScale, top: Double, unit: String, title: String) -> String {
    let si = SIUnit.forValue(y.domainMax)
    let step = Ticks.step(y.domainMax, target: 5)
    var out: [String] = []
    for v in Ticks.linear(upTo: y.domainMax, target: 5) {
      out.append(
        SVG.line(
          x1: Self.left, y1: y(v), x2: SVG.width - Self.right, y2: y(v),
          className: v == 0 ? "axisline" : "grid"))
      out.append(
        SVG.text(
          Ticks.label(v, unit: si, step: step), x: Self.left - 6, y: y(v) + 4, anchor: "end",
          className: "tick"))
    }
    out.append(
      SVG.text("\(title) (\(si.prefix)\(unit))", x: Self.left, y: top - 8, className: "axis"))
    return out.joined(separator: "\n")
  }

  /// Swatches for the tiers that are some operator's main tier, in the architecture's order.
  func legendItems(_ ops: [MapReport.OperatorRow]) -> [(String, String)] {
    let main = Set(ops.map(\.mainTier))
    return report.tiers.filter { main.contains($0.id) }.map {
      ("\($0.id) (\($0.kind))", palette.tier($0.id))
    }
  }

  /// The hover text of an operator: name, kind, tiers, time and energy.
  func tooltip(_ op: MapReport.OperatorRow) -> String {
    let tiers =
      op.shares.count <= 1
      ? op.mainTier
      : op.shares.sorted { $0.key < $1.key }.map {
        "\($0.key) \(Int(($0.value * 100).rounded())) %"
      }.joined(separator: " + ")
    var s = "#\(op.index) \(op.name) (\(op.label)) on \(tiers)\n"
    s +=
      "time \(SIUnit.auto(op.endSeconds - op.startSeconds, "s")), energy \(SIUnit.auto(op.energyJoules, "J"))"
    if op.movementJoules > 0 { s += " + \(SIUnit.auto(op.movementJoules, "J")) movement" }
    if op.macs > 0 { s += ", \(NumberFormat.count(op.macs)) MACs" }
    if op.reprogrammed { s += ", weights re-programmed" }
    return s
  }
}
