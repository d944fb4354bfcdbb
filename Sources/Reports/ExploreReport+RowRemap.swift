import Foundation
import HybrixCore
import Search

/// Stage 2 (Row Remap) in `hybrix explore`'s text and HTML reports.
extension ExploreReport {
  static func drop(_ d: AccuracyDrop?) -> String {
    guard let d else { return "–" }
    return "\(formatSignificant(d.points, digits: 3)) pt [\(formatSignificant(d.low95, digits: 3)), \(formatSignificant(d.high95, digits: 3))] (\(d.repeats)×\(d.samples))"
  }

  static func movesSummary(_ moves: [RowRemapTrace.Move]) -> String {
    guard let first = moves.first else { return "rows dealt by sensitivity" }
    let rows = moves.reduce(0) { $0 + $1.rows.count }
    let ops = moves.map { "\($0.operator) \($0.rows.count)" }.joined(separator: ", ")
    return "\(rows) rows \(first.from) → \(first.to): \(ops)"
  }

  /// Rows of the text report's Row Remap section.
  func rowRemapText() -> [String] {
    guard let t = rowRemap else { return [] }
    var out: [String] = [""]
    out.append(
      "Row Remap (stage 2): accuracy-drop ≤ \(formatSignificant(t.thresholdPoints, digits: 3)) points at \(Time(baseValue: t.atSeconds)); "
        + "\(t.stepRows) rows per step; sensitivity: \(t.sensitivity)")
    out.append("tiers by precision (relative product error): " + zip(t.tierOrder, t.tierError).map { "\($0) \($1.map { formatSignificant($0, digits: 2) } ?? "n/a")" }.joined(separator: " < "))
    var s = TextTable([.init("step", .right), .init("latency", .right), .init("energy", .right), .init("drop [95 %] (repeats×images)", .right), .init("moved")])
    for x in t.steps {
      s.add(["\(x.index)", Self.time(x.latencySeconds), Self.energy(x.energyJoules), Self.drop(x.drop), Self.movesSummary(x.moved)])
    }
    out.append(s.render())
    out.append(t.met ? "The constraint holds after step \(t.steps.count - 1)." : "No step meets the constraint; the most accurate is step \(t.mostAccurateStep).")
    for (name, points) in [("Front before Row Remap (stage-1 points, accuracy measured)", t.before), ("Front after Row Remap (points meeting the constraint)", t.after)] {
      out.append(name + ":")
      var f = TextTable([.init("point"), .init("latency", .right), .init("energy", .right), .init("drop [95 %]", .right)])
      for p in points { f.add([p.label, Self.time(p.latencySeconds), Self.energy(p.energyJoules), Self.drop(p.drop)]) }
      out.append(points.isEmpty ? "(none)" : f.render())
    }
    return out
  }
}

extension ExploreHTML {
  /// The Row Remap section: the drop of each step with its 95 % interval against the limit (SVG),
  /// the steps, and the fronts before and after.
  static func rowRemapSection(_ r: ExploreReport) -> String? {
    guard let t = r.rowRemap else { return nil }
    let (w, h, left, bottom) = (760.0, 260.0, 60.0, 36.0)
    let highs = t.steps.map(\.drop.high95).filter(\.isFinite) + [t.thresholdPoints]
    let lows = t.steps.map(\.drop.low95).filter(\.isFinite) + [0]
    let (lo, hi) = (lows.min() ?? 0, max((highs.max() ?? 1), (lows.min() ?? 0) + 1e-9))
    let n = max(1, t.steps.count - 1)
    func x(_ i: Int) -> Double { left + Double(i) / Double(n) * (w - left - 20) }
    func y(_ v: Double) -> Double { 10 + (hi - v) / (hi - lo) * (h - bottom - 10) }
    var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" font-size=\"11\">"
    svg += "<line x1=\"\(left)\" y1=\"\(y(t.thresholdPoints))\" x2=\"\(w - 20)\" y2=\"\(y(t.thresholdPoints))\" stroke=\"#d62728\" stroke-dasharray=\"4 3\"/>"
    svg += "<text x=\"\(w - 22)\" y=\"\(y(t.thresholdPoints) + 14)\" text-anchor=\"end\" fill=\"#d62728\">limit \(formatSignificant(t.thresholdPoints, digits: 3)) pt</text>"
    svg += "<line x1=\"\(left)\" y1=\"\(h - bottom)\" x2=\"\(w - 20)\" y2=\"\(h - bottom)\" stroke=\"#888\"/><line x1=\"\(left)\" y1=\"10\" x2=\"\(left)\" y2=\"\(h - bottom)\" stroke=\"#888\"/>"
    for v in [lo, (lo + hi) / 2, hi] {
      svg += "<text x=\"\(left - 4)\" y=\"\(y(v) + 4)\" text-anchor=\"end\">\(formatSignificant(v, digits: 3))</text>"
    }
    svg += "<text x=\"14\" y=\"\(h / 2)\" transform=\"rotate(-90 14 \(h / 2))\" text-anchor=\"middle\">accuracy drop (points)</text>"
    svg += "<text x=\"\((w + left) / 2)\" y=\"\(h - 6)\" text-anchor=\"middle\">Row Remap step</text>"
    var path: [String] = []
    for s in t.steps {
      let (cx, cy) = (x(s.index), y(s.drop.points))
      if s.drop.low95.isFinite && s.drop.high95.isFinite {
        svg += "<line x1=\"\(cx)\" y1=\"\(y(s.drop.low95))\" x2=\"\(cx)\" y2=\"\(y(s.drop.high95))\" stroke=\"#1f77b4\"/>"
      }
      svg += "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"3.5\" fill=\"#1f77b4\"><title>step \(s.index): \(esc(ExploreReport.drop(s.drop)))</title></circle>"
      svg += "<text x=\"\(cx)\" y=\"\(h - bottom + 14)\" text-anchor=\"middle\">\(s.index)</text>"
      path.append("\(cx),\(cy)")
    }
    svg += "<polyline points=\"\(path.joined(separator: " "))\" fill=\"none\" stroke=\"#1f77b4\" stroke-opacity=\"0.5\"/></svg>"
    let steps = table(
      ["step", "latency", "energy", "drop [95 %] (repeats×images)", "moved"],
      t.steps.map { [String($0.index), ExploreReport.time($0.latencySeconds), ExploreReport.energy($0.energyJoules), ExploreReport.drop($0.drop), ExploreReport.movesSummary($0.moved)] })
    func points(_ p: [RowRemapTrace.Point]) -> String {
      p.isEmpty ? "<p>(none)</p>" : table(["point", "latency", "energy", "drop [95 %]"], p.map { [$0.label, ExploreReport.time($0.latencySeconds), ExploreReport.energy($0.energyJoules), ExploreReport.drop($0.drop)] })
    }
    let verdict = t.met ? "The constraint holds after step \(t.steps.count - 1)." : "No step meets the constraint; the most accurate is step \(t.mostAccurateStep)."
    // MapHTML.section escapes the note.
    let note = "Limit \(formatSignificant(t.thresholdPoints, digits: 3)) points at \(Time(baseValue: t.atSeconds).description); \(t.stepRows) rows per step; tiers by precision: \(t.tierOrder.joined(separator: " < ")); sensitivity: \(t.sensitivity). \(verdict) Points: mean drop; bars: 95 % interval."
    return MapHTML.section("Row Remap (stage 2)", note: note, svg + steps + "<h3>Front before</h3>" + points(t.before) + "<h3>Front after</h3>" + points(t.after))
  }
}
