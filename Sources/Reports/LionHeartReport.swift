import Foundation
import HybrixCore
import Search

/// The LionHeart part of `hybrix map --strategy lionheart`: the analog set, its MAC share, the
/// accuracy at T with its 95 % interval, the gains over the all-digital mapping, the decisions in
/// order and the lifetime schedule; as text and as an HTML section with two charts.
public enum LionHeartText {
  public static func render(_ o: LionHeartOutcome) -> String {
    var lines: [String] = []
    let at = LionHeartText.Duration(seconds: o.atSeconds)
    lines.append("LionHeart (\(o.mode) mode): threshold \(f(o.thresholdPoints)) points at \(at), analog tier \(o.analogTier)")
    if o.marginPoints > 0 {
      lines.append("  decided against \(f(o.thresholdPoints - o.marginPoints)) points: the threshold less a margin of \(f(o.marginPoints)) points")
    }
    lines.append("  decisions on \(o.validationImages); reported accuracy on \(o.testImages)")
    if let note = o.note { lines.append("  " + note) }
    lines += wrapped(
      o.analog.isEmpty ? ["none"] : o.analog, first: "  analog set (\(o.analog.count) of \(o.candidates) conv/linear layers): ",
      indent: "    ")
    lines.append("  analog MAC share: \(pct(o.analogMACShare)) of \(NumberFormat.count(o.totalMACs)) MACs")
    if let t = o.test { lines.append("  test accuracy at \(at): " + accuracy(t)) }
    if let v = o.validation { lines.append("  validation accuracy at \(at): " + accuracy(v)) }
    lines.append(
      "  speed-up ×\(f(o.speedup)) (\(Time.seconds(o.digitalLatencySeconds)) → \(Time.seconds(o.latencySeconds))), "
        + "energy gain ×\(f(o.energyGain)) (\(Energy.joules(o.digitalEnergyJoules)) → \(Energy.joules(o.energyJoules))) vs all-digital")
    if let r = o.retraining {
      lines.append(
        "  HWA retraining: \(r.stepsPerRound) steps × ≤ \(r.rounds) rounds (patience \(r.patience)), batch \(r.batchSize), \(r.arithmetic), "
          + "SGD momentum \(f(r.momentum)), LR digital \(f(r.digitalLearningRate)) / analog \(f(r.analogLearningRate)), cosine; on \(r.trainingImages)")
      lines.append("  " + r.weights)
    }
    lines.append("  steps:")
    for (i, s) in o.steps.enumerated() {
      let d = s.drop.map { "drop \(f($0.points)) [\(f($0.low95)), \(f($0.high95))] pt, \($0.repeats) repeats × \($0.samples) images" } ?? ""
      lines.append("   \(String(i + 1).leftPad(3)) \(s.operatorName.rightPad(18)) \(NumberFormat.count(s.macs).leftPad(8)) MACs  \(s.decision.rawValue.rightPad(10)) share \(pct(s.analogMACShare).leftPad(6))  \(d)")
      if let r = s.retraining {
        let rounds = r.rounds.enumerated().map { "\($0.offset + 1): \(f($0.element.points))" }.joined(separator: ", ")
        lines.append("         retrained \(r.steps) steps; drop per round \(rounds) pt; kept round \(r.keptRound + 1) (weights \(r.keptWeights), from \(r.startWeights))")
      }
    }
    if let l = o.lifetime {
      lines.append("  lifetime \(LionHeartText.Duration(seconds: l.lifetimeSeconds)): \(l.note)")
      if !l.movedToDigital.isEmpty { lines.append("    moved back to digital: \(l.movedToDigital.joined(separator: ", "))") }
      lines.append(
        "    re-programming: \(l.reprogrammings) × (\(Energy.joules(l.energyPerReprogrammingJoules)), \(Time.seconds(l.secondsPerReprogramming))) = "
          + "\(Energy.joules(l.totalEnergyJoules)), \(Time.seconds(l.totalSeconds)) in all; \(Energy.joules(l.joulesPerDay)) per day")
      lines.append("    time after programming   drop without schedule      with schedule (age)")
      for p in l.checkpoints {
        lines.append(
          "    \(LionHeartText.Duration(seconds: p.seconds).description.rightPad(24)) \(drop(p.without).rightPad(26)) \(drop(p.with)) (\(LionHeartText.Duration(seconds: p.ageSeconds)))")
      }
    }
    lines.append("  LionHeart wall time \(f(o.wallSeconds)) s")
    return lines.joined(separator: "\n")
  }

  /// `items` separated by ", " after `first`, broken after a comma so that no line passes `width`
  /// characters (a single longer item keeps its own line); continuation lines start with `indent`.
  static func wrapped(_ items: [String], first: String, indent: String, width: Int = 100) -> [String] {
    var lines: [String] = []
    var line = first
    var fresh = true
    for (i, item) in items.enumerated() {
      let piece = item + (i < items.count - 1 ? "," : "")
      if !fresh && line.count + 1 + piece.count > width {
        lines.append(line)
        line = indent + piece
      } else {
        line += (fresh ? "" : " ") + piece
      }
      fresh = false
    }
    lines.append(line)
    return lines
  }

  /// Three significant digits without trailing zeros ("5", "2.5", "0.133").
  static func f(_ v: Double) -> String {
    var s = formatSignificant(v, digits: 3)
    guard s.contains("."), !s.contains("e") else { return s }
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
  }

  /// A time after programming in the largest of y, d, h, min, s that keeps it ≥ 1 ("1 d", "3.16 h").
  struct Duration: CustomStringConvertible {
    var seconds: Double
    var description: String {
      for (symbol, factor) in [("y", 365.25 * 86_400), ("d", 86_400.0), ("h", 3600.0), ("min", 60.0)] where seconds >= factor {
        return "\(f(seconds / factor)) \(symbol)"
      }
      return "\(f(seconds)) s"
    }
  }
  static func pct(_ v: Double) -> String { String(format: "%.1f %%", 100 * v) }
  static func accuracy(_ d: AccuracyDrop) -> String {
    let ref = 100 * d.referenceAccuracy
    return String(
      format: "%.2f %% (95 %% CI %.2f…%.2f %%), drop %.2f pt vs %.2f %% all-digital, %d repeats × %d images",
      100 * d.meanAccuracy, ref - d.high95, ref - d.low95, d.points, ref, d.repeats, d.samples)
  }
  static func drop(_ d: AccuracyDrop) -> String { String(format: "%.2f pt [%.2f, %.2f]", d.points, d.low95, d.high95) }
}

extension String {
  fileprivate func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
  fileprivate func rightPad(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}

/// The HTML section: accuracy vs analog MAC share as the search went, and the lifetime curves.
public enum LionHeartHTML {
  static let height = 380.0
  static let left = 70.0, right = 200.0, top = 32.0, bottom = 50.0

  public static func section(_ o: LionHeartOutcome) -> String {
    var parts = ["<section>\n<h2>LionHeart</h2>\n<pre>\(SVG.escape(LionHeartText.render(o)))</pre>"]
    parts.append("<figure>\n\(searchChart(o))\n</figure>")
    if let l = o.lifetime { parts.append("<figure>\n\(lifetimeChart(l, threshold: o.thresholdPoints))\n</figure>") }
    return parts.joined(separator: "\n") + "\n</section>"
  }

  /// (x, y, low, high) in percent for each step that measured a drop: x the trial set's MAC share.
  static func trace(_ o: LionHeartOutcome) -> [(x: Double, y: Double, lo: Double, hi: Double, decision: LionHeartStep.Decision)] {
    o.steps.compactMap { s in
      guard let d = s.drop else { return nil }
      let share = s.decision == .accepted ? s.analogMACShare : s.analogMACShare + Double(s.macs) / Double(max(1, o.totalMACs))
      let ref = 100 * d.referenceAccuracy
      return (100 * share, ref - d.points, ref - d.high95, ref - d.low95, s.decision)
    }
  }

  static func frame(
    _ label: String, x: (lo: Double, hi: Double), y: (lo: Double, hi: Double), xTicks: [(Double, String)], xTitle: String,
    yTitle: String
  ) -> (svg: [String], px: (Double) -> Double, py: (Double) -> Double) {
    let plotW = SVG.width - left - right, plotH = height - top - bottom
    let px = { (v: Double) in left + (v - x.lo) / max(1e-12, x.hi - x.lo) * plotW }
    let py = { (v: Double) in top + (y.hi - v) / max(1e-12, y.hi - y.lo) * plotH }
    var out = [SVG.open(height: height, label: label)]
    let step = Swift.max(0.5, ((y.hi - y.lo) / 6).rounded(.up))
    var v = (y.lo / step).rounded(.up) * step
    while v <= y.hi {
      out.append(SVG.line(x1: left, y1: py(v), x2: left + plotW, y2: py(v), className: "grid"))
      out.append(SVG.text(formatSignificant(v, digits: 3), x: left - 8, y: py(v) + 4, anchor: "end", className: "tick"))
      v += step
    }
    for (t, s) in xTicks {
      out.append(SVG.text(s, x: px(t), y: top + plotH + 18, anchor: "middle", className: "tick"))
    }
    out.append(SVG.text(xTitle, x: left + plotW / 2, y: height - 8, anchor: "middle", className: "axis"))
    out.append(SVG.text(yTitle, x: 14, y: top + plotH / 2, anchor: "middle", className: "axis", attributes: " transform=\"rotate(-90 14 \(SVG.num(top + plotH / 2)))\""))
    return (out, px, py)
  }

  /// Accuracy against the analog share of MACs as the search went (SVG).
  public static func searchChart(_ o: LionHeartOutcome) -> String {
    let points = trace(o)
    guard !points.isEmpty, let ref = o.steps.compactMap(\.drop).first?.referenceAccuracy else {
      return "<p class=\"note\">No Monte-Carlo measurement was taken.</p>"
    }
    let refPct = 100 * ref
    let lo = ((points.map(\.lo) + [refPct - o.thresholdPoints] + [o.test.map { refPct - $0.points }].compactMap { $0 }).min() ?? 0) - 1
    let hi = ((points.map(\.hi) + [refPct]).max() ?? 100) + 1
    var (out, px, py) = frame(
      "Accuracy against analog MAC share as the LionHeart search went", x: (0, 100), y: (lo.rounded(.down), hi.rounded(.up)),
      xTicks: stride(from: 0.0, through: 100, by: 20).map { ($0, "\(Int($0)) %") }, xTitle: "analog share of MACs",
      yTitle: "validation accuracy (%)")
    let limit = refPct - o.thresholdPoints
    out.append("<line x1=\"\(SVG.num(px(0)))\" y1=\"\(SVG.num(py(refPct)))\" x2=\"\(SVG.num(px(100)))\" y2=\"\(SVG.num(py(refPct)))\" stroke=\"#555\" stroke-dasharray=\"4 3\"/>")
    out.append("<line x1=\"\(SVG.num(px(0)))\" y1=\"\(SVG.num(py(limit)))\" x2=\"\(SVG.num(px(100)))\" y2=\"\(SVG.num(py(limit)))\" stroke=\"#d62728\" stroke-dasharray=\"6 3\"/>")
    // The lines' labels sit in the right margin; the legend is one row above the plot, so the two
    // never meet whatever the accuracies.
    out.append(SVG.text("all-digital", x: px(100) + 6, y: py(refPct) + 4, className: "tick"))
    out.append(SVG.text("threshold −\(LionHeartText.f(o.thresholdPoints)) pt", x: px(100) + 6, y: py(limit) + 4, className: "tick"))
    if o.marginPoints > 0 {
      // The line the decisions were against, X − δ, when a margin was kept back; its label
      // stays a line above the threshold's however small the margin.
      let decided = refPct - (o.thresholdPoints - o.marginPoints)
      out.append("<line x1=\"\(SVG.num(px(0)))\" y1=\"\(SVG.num(py(decided)))\" x2=\"\(SVG.num(px(100)))\" y2=\"\(SVG.num(py(decided)))\" stroke=\"#ff7f0e\" stroke-dasharray=\"2 3\"/>")
      out.append(SVG.text("decided at −\(LionHeartText.f(o.thresholdPoints - o.marginPoints)) pt", x: px(100) + 6, y: Swift.min(py(decided), py(limit) - 12) + 4, className: "tick"))
    }
    var path = [(px(0), py(refPct))]
    for (i, p) in points.enumerated() {
      let color = p.decision == .accepted ? "#2ca02c" : p.decision == .measured ? "#1f77b4" : "#d62728"
      out.append(SVG.line(x1: px(p.x), y1: py(p.lo), x2: px(p.x), y2: py(p.hi), className: "grid"))
      out.append(
        "<circle cx=\"\(SVG.num(px(p.x)))\" cy=\"\(SVG.num(py(p.y)))\" r=\"5\" fill=\"\(color)\"><title>step \(i + 1): \(p.decision.rawValue), share \(String(format: "%.1f", p.x)) %, accuracy \(String(format: "%.2f", p.y)) %</title></circle>")
      if p.decision == .accepted { path.append((px(p.x), py(p.y))) }
    }
    out.append("<polyline fill=\"none\" stroke=\"#2ca02c\" stroke-width=\"1.5\" points=\"\(path.map { "\(SVG.num($0.0)),\(SVG.num($0.1))" }.joined(separator: " "))\"/>")
    if let t = o.test {
      // The test split has its own all-digital accuracy; its drop is drawn against the
      // validation reference, so that the square sits above the threshold line exactly when the
      // test drop is within X (the tooltip gives the test split's own accuracies).
      let y = refPct - t.points
      out.append("<rect x=\"\(SVG.num(px(100 * o.analogMACShare) - 5))\" y=\"\(SVG.num(py(y) - 5))\" width=\"10\" height=\"10\" fill=\"none\" stroke=\"#000\"><title>final set on the test split: drop \(String(format: "%.2f", t.points)) pt (\(String(format: "%.2f", 100 * t.referenceAccuracy - t.points)) % against \(String(format: "%.2f", 100 * t.referenceAccuracy)) % all-digital)</title></rect>")
    }
    // Markers drawn beside the labels (the tick class's CSS fill would override a text colour),
    // in one row above the plot.
    let legend = [("#2ca02c", "accepted"), ("#d62728", "rejected / removed"), ("#1f77b4", "single-layer sensitivity (fast)")]
    var lx = left
    let ly = top - 6
    for (c, s) in legend {
      out.append("<circle cx=\"\(SVG.num(lx + 5))\" cy=\"\(SVG.num(ly - 4))\" r=\"5\" fill=\"\(c)\"/>")
      out.append(SVG.text(s, x: lx + 14, y: ly, className: "tick"))
      lx += 14 + Legend.textWidth(s, size: 10.5) + 18
    }
    out.append("<rect x=\"\(SVG.num(lx))\" y=\"\(SVG.num(ly - 9))\" width=\"10\" height=\"10\" fill=\"none\" stroke=\"#000\"/>")
    out.append(SVG.text("final set's drop on the test split", x: lx + 14, y: ly, className: "tick"))
    out.append(SVG.close)
    return out.joined(separator: "\n")
  }

  static func lifetimeChart(_ l: LifetimeSchedule, threshold: Double) -> String {
    let cps = l.checkpoints
    guard !cps.isEmpty else { return "" }
    let xs = cps.map { log10(max(1, $0.seconds)) }
    let ys: [Double] = cps.map(\.without.points) + cps.map(\.with.points) + [threshold, 0]
    var (out, px, py) = frame(
      "Accuracy drop over the lifetime with and without re-programming", x: ((xs.min() ?? 0) - 0.2, (xs.max() ?? 1) + 0.2),
      y: (((ys.min() ?? 0) - 0.5).rounded(.down), ((ys.max() ?? 1) + 0.5).rounded(.up)),
      xTicks: cps.enumerated().filter { $0.offset % 2 == 0 || $0.offset == cps.count - 1 }.map { (log10(max(1, $0.element.seconds)), LionHeartText.Duration(seconds: $0.element.seconds).description) },
      xTitle: "time after first programming (log)", yTitle: "drop (points)")
    out.append("<line x1=\"\(SVG.num(px(xs.first ?? 0)))\" y1=\"\(SVG.num(py(threshold)))\" x2=\"\(SVG.num(px(xs.last ?? 1)))\" y2=\"\(SVG.num(py(threshold)))\" stroke=\"#d62728\" stroke-dasharray=\"6 3\"/>")
    var labelY: Double?
    for (series, color, name) in [(cps.map(\.without), "#ff7f0e", "programmed once"), (cps.map(\.with), "#1f77b4", "with schedule")] {
      out.append("<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(zip(xs, series).map { "\(SVG.num(px($0))),\(SVG.num(py($1.points)))" }.joined(separator: " "))\"><title>\(name)</title></polyline>")
      for (x, d) in zip(xs, series) {
        out.append(SVG.line(x1: px(x), y1: py(d.low95), x2: px(x), y2: py(d.high95), className: "grid"))
      }
      // A swatch beside the end label: the tick class's CSS fill would override a text colour.
      // Labels of curves ending together are stacked instead of drawn over each other.
      var ly = py(series.last?.points ?? 0)
      if let previous = labelY, abs(ly - previous) < 14 { ly = previous + 14 }
      labelY = ly
      out.append("<line x1=\"\(SVG.num(SVG.width - right + 8))\" y1=\"\(SVG.num(ly))\" x2=\"\(SVG.num(SVG.width - right + 22))\" y2=\"\(SVG.num(ly))\" stroke=\"\(color)\" stroke-width=\"3\"/>")
      out.append(SVG.text(name, x: SVG.width - right + 26, y: ly + 4, className: "tick"))
    }
    out.append(SVG.close)
    return out.joined(separator: "\n")
  }
}
