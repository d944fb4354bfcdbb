import Foundation
import HybrixCore

/// The self-contained HTML page of `hybrix reproduce`: per paper, a chart of ours ÷ the paper's
/// figure on a log scale (the paper's stated range as a band), the table, the notes and the
/// assumptions that differ. No script; the same report gives byte-identical HTML.
public enum ReproductionHTML {
  public static func render(_ r: ReproductionReport) -> String {
    var body = [
      "<header><h1>Each paper beside Hybrix</h1><p class=\"meta\">\(r.papers.count) paper\(r.papers.count == 1 ? "" : "s") · "
        + "\(esc(formatFigure(r.wallSeconds))) s · every “ours” computed by this run; the papers' figures are quoted with where they are printed</p></header>"
    ]
    for p in r.papers {
      body.append(
        MapHTML.section(
          p.title + (p.quick ? " (--quick)" : ""),
          note: "\(p.citation). \(p.setting). Ran in \(formatFigure(p.wallSeconds)) s.",
          ratioChart(p) + charts(p) + table(p) + assumptions(p)))
    }
    body.append("<footer>hybrix \(esc(r.toolVersion)) · report schema \(esc(r.schema)) v\(r.schemaVersion)</footer>")
    return MapHTML.page(title: "hybrix reproduce · Hybrix", body: body.joined(separator: "\n"))
  }

  static func esc(_ s: String) -> String { SVG.escape(s) }

  /// The experiment's own plots, each with its title and note.
  static func charts(_ p: PaperComparison) -> String {
    p.charts.map { c in
      "<h3>\(esc(c.title))</h3>\n<p class=\"note\">\(esc(c.note))</p>\n<figure>\n\(c.svg)\n</figure>\n"
    }.joined()
  }

  /// One row per figure that has both numbers: a dot at ours ÷ the paper's, a line at 1×, and
  /// the paper's range (÷ its central value) as a band.
  static func ratioChart(_ p: PaperComparison) -> String {
    // A log scale shows positive ratios only (a negative drop against a positive one is in the table).
    let rows = p.figures.filter { ($0.ratio ?? 0) > 0 }
    guard !rows.isEmpty else { return "<p class=\"note\">No figure of this paper has both numbers yet.</p>" }
    let (labelEnd, left, right, top, rowHeight) = (420.0, 440.0, SVG.width - 80, 30.0, 22.0)
    let ratios = rows.compactMap(\.ratio).filter { $0 > 0 }
    let lo = min(0.5, ratios.min() ?? 1) / 1.2
    let hi = max(2.0, ratios.max() ?? 1) * 1.2
    let (l0, l1) = (log10(lo), log10(hi))
    func x(_ v: Double) -> Double { left + (log10(max(v, lo)) - l0) / (l1 - l0) * (right - left) }
    let bottom = top + rowHeight * Double(rows.count)
    var out = [SVG.open(height: bottom + 40, label: "Ours divided by the paper's figure, per figure, log scale")]
    // 1-2-5 ticks over up to two decades, powers of ten beyond.
    let multiples: [Double] = l1 - l0 > 2.5 ? [1] : [1, 2, 5]
    var tick = pow(10, l0.rounded(.down))
    while tick <= hi {
      for m in multiples where tick * m >= lo && tick * m <= hi {
        let v = tick * m
        out.append(SVG.line(x1: x(v), y1: top - 6, x2: x(v), y2: bottom, className: "grid"))
        out.append(SVG.text(tickLabel(v), x: x(v), y: bottom + 16, anchor: "middle", className: "tick"))
      }
      tick *= 10
    }
    out.append(SVG.line(x1: x(1), y1: top - 10, x2: x(1), y2: bottom, className: "axisline"))
    out.append(SVG.text("ours ÷ paper (log scale; 1× = the paper's figure)", x: (left + right) / 2, y: bottom + 34, anchor: "middle", className: "axis"))
    for (i, f) in rows.enumerated() {
      guard let ratio = f.ratio, let paper = f.paper else { continue }
      let y = top + rowHeight * (Double(i) + 0.5)
      out.append(SVG.text(ratioLabel(subject: f.subject, quantity: f.quantity), x: labelEnd, y: y + 4, anchor: "end", className: "tick"))
      if paper.isRange {
        let c = paper.central
        out.append(SVG.rect(x: x(paper.low / c), y: y - 7, width: max(1, x(paper.high / c) - x(paper.low / c)), height: 14, fill: "#dfe8f1", title: "paper's range \(paper.text) \(f.unit)"))
      }
      let colour = f.withinRange == true || (0.8...1.25).contains(ratio) ? "#2ca02c" : (0.5...2).contains(ratio) ? "#e0a030" : "#d62728"
      out.append("<circle cx=\"\(SVG.num(x(ratio)))\" cy=\"\(SVG.num(y))\" r=\"5\" fill=\"\(colour)\"><title>\(esc("ours \(formatFigure(f.ours ?? 0)) \(f.unit), paper \(paper.text) \(f.unit): \(formatFigure(ratio))×"))</title></circle>")
      out.append(SVG.text(formatFigure(ratio) + "×", x: right + 8, y: y + 4, className: "tick"))
    }
    out.append(SVG.close)
    return out.joined(separator: "\n")
  }

  /// `0.5×`, `2×`, `100×`, and `1e-4×` below 0.01.
  static func tickLabel(_ v: Double) -> String {
    if v < 0.01 { return "1e\(Int(log10(v).rounded()))×" }
    var s = String(format: v < 1 ? "%.2f" : "%.0f", v)
    while s.contains("."), s.last == "0" || s.last == "." { s.removeLast() }
    return s + "×"
  }

  static func table(_ p: PaperComparison) -> String {
    var notes: [String] = []
    var rows = ["<table><thead><tr><th>subject</th><th>quantity</th><th>unit</th><th class=\"num\">paper</th><th>where</th><th class=\"num\">ours</th><th class=\"num\">ours ÷ paper</th><th>note</th></tr></thead><tbody>"]
    for f in p.figures {
      var mark = ""
      if let n = f.note {
        let i = notes.firstIndex(of: n) ?? { notes.append(n); return notes.count - 1 }()
        mark = "[\(i + 1)]"
      }
      rows.append(
        "<tr><td>\(esc(f.subject))</td><td>\(esc(f.quantity))</td><td>\(esc(f.unit))</td><td class=\"num\">\(esc(f.paper?.text ?? "–"))</td>"
          + "<td>\(esc(f.source ?? ""))</td><td class=\"num\">\(esc(f.ours.map(formatFigure) ?? "not built"))</td>"
          + "<td class=\"num\">\(esc(f.ratio.map { formatFigure($0) + "×" } ?? "–"))</td><td>\(mark)</td></tr>")
    }
    rows.append("</tbody></table>")
    if !notes.isEmpty {
      rows.append("<ol class=\"notes\">" + notes.map { "<li>\(esc($0))</li>" }.joined() + "</ol>")
    }
    return rows.joined(separator: "\n")
  }

  static func assumptions(_ p: PaperComparison) -> String {
    guard !p.assumptions.isEmpty else { return "" }
    return "<p class=\"note\">Where our setting differs from the paper's:</p><ul>" + p.assumptions.map { "<li>\(esc($0))</li>" }.joined() + "</ul>"
  }

  /// "subject · quantity" in at most `limit` characters: a long subject is shortened first, so
  /// that rows with the same long subject (one model's several figures) stay apart by quantity.
  static func ratioLabel(subject: String, quantity: String, limit: Int = 62) -> String {
    let whole = "\(subject) · \(quantity)"
    guard whole.count > limit else { return whole }
    let q = SVG.truncate(quantity, max(limit / 2, limit - 3 - 16))
    return SVG.truncate(subject, max(8, limit - 3 - q.count)) + " · " + q
  }
}
