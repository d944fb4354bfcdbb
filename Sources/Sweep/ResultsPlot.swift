import Foundation

/// `hybrix results plot --html`: a self-contained page with a latency-vs-energy scatter (log–log)
/// of every feasible point, coloured by workload, each workload's Pareto set (no other point of
/// that workload is at least as fast and as frugal) ringed and joined, and each point's inputs
/// and swept parameters in its hover text.
public enum ResultsPlot {
  struct Dot {
    var latencyMS: Double
    var energyMJ: Double
    var group: String
    var label: String
    var pareto = false
  }

  static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

  /// The page for `table`, which must hold the columns of ``ResultStore/query(where:columns:)``'s
  /// default selection (model, batch, architecture, strategy, objective, parameters, figures).
  public static func html(_ table: ResultTable, parameters: [String], title: String) -> String {
    var dots: [Dot] = []
    for i in table.rows.indices {
      guard table.value("status", row: i).text == "ok", let l = table.value("latency_ms", row: i).double,
        let e = table.value("energy_mj", row: i).double, l > 0, e > 0, l.isFinite, e.isFinite
      else { continue }
      let model = table.value("model", row: i).text ?? "?"
      let batch = table.value("batch", row: i).double.map { Int($0) } ?? 1
      let group = batch == 1 ? model : "\(model) ×\(batch)"
      var lines = [
        "point \(table.value("point", row: i).double.map { String(Int($0)) } ?? "?"): \(group) \(table.value("precision", row: i).text ?? "")",
        "\(table.value("architecture", row: i).text ?? "") · \(table.value("strategy", row: i).text ?? "") · \(table.value("objective", row: i).text ?? "")",
      ]
      for p in parameters {
        let v = table.value(p, row: i)
        if v != .null { lines.append("\(p) = \(v.text ?? v.double.map { String(format: "%g", $0) } ?? "")") }
      }
      lines.append(String(format: "latency %.4g ms, energy %.4g mJ", l, e))
      dots.append(Dot(latencyMS: l, energyMJ: e, group: group, label: lines.joined(separator: "\n")))
    }
    markPareto(&dots)
    return page(svg: svg(dots), title: title, count: dots.count, skipped: table.rows.count - dots.count)
  }

  /// Marks each group's non-dominated points.
  static func markPareto(_ dots: inout [Dot]) {
    for i in dots.indices {
      dots[i].pareto = !dots.indices.contains { j in
        j != i && dots[j].group == dots[i].group && dots[j].latencyMS <= dots[i].latencyMS
          && dots[j].energyMJ <= dots[i].energyMJ
          && (dots[j].latencyMS < dots[i].latencyMS || dots[j].energyMJ < dots[i].energyMJ)
      }
    }
  }

  static func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  static func svg(_ dots: [Dot]) -> String {
    let (w, h, left, right, top, bottom) = (900.0, 560.0, 80.0, 200.0, 20.0, 60.0)
    guard !dots.isEmpty else {
      return "<p>No feasible point to plot.</p>"
    }
    func range(_ values: [Double]) -> (Double, Double) {
      let lo = floor(log10(values.min() ?? 1)), hi = ceil(log10(values.max() ?? 10))
      return (lo, hi > lo ? hi : lo + 1)
    }
    let (x0, x1) = range(dots.map(\.latencyMS))
    let (y0, y1) = range(dots.map(\.energyMJ))
    func x(_ v: Double) -> Double { left + (log10(v) - x0) / (x1 - x0) * (w - left - right) }
    func y(_ v: Double) -> Double { h - bottom - (log10(v) - y0) / (y1 - y0) * (h - top - bottom) }
    let groups = dots.map(\.group).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    func color(_ g: String) -> String { palette[(groups.firstIndex(of: g) ?? 0) % palette.count] }
    var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-family=\"sans-serif\" font-size=\"12\">\n"
    s += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(w - left - right)\" height=\"\(h - top - bottom)\" fill=\"#fafafa\" stroke=\"#999\"/>\n"
    for d in Int(x0)...Int(x1) {
      let px = x(pow(10, Double(d)))
      s += "<line x1=\"\(px)\" y1=\"\(top)\" x2=\"\(px)\" y2=\"\(h - bottom)\" stroke=\"#e3e3e3\"/><text x=\"\(px)\" y=\"\(h - bottom + 16)\" text-anchor=\"middle\">1e\(d)</text>\n"
    }
    for d in Int(y0)...Int(y1) {
      let py = y(pow(10, Double(d)))
      s += "<line x1=\"\(left)\" y1=\"\(py)\" x2=\"\(w - right)\" y2=\"\(py)\" stroke=\"#e3e3e3\"/><text x=\"\(left - 6)\" y=\"\(py + 4)\" text-anchor=\"end\">1e\(d)</text>\n"
    }
    s += "<text x=\"\((left + w - right) / 2)\" y=\"\(h - 14)\" text-anchor=\"middle\">latency (ms, log scale)</text>\n"
    s += "<text transform=\"translate(18 \((top + h - bottom) / 2)) rotate(-90)\" text-anchor=\"middle\">energy (mJ, log scale)</text>\n"
    for g in groups {
      let front = dots.filter { $0.group == g && $0.pareto }.sorted { $0.latencyMS < $1.latencyMS }
      let points = front.map { "\(x($0.latencyMS)),\(y($0.energyMJ))" }.joined(separator: " ")
      s += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(color(g))\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>\n"
    }
    for d in dots.sorted(by: { !$0.pareto && $1.pareto }) {
      let stroke = d.pareto ? "stroke=\"#000\" stroke-width=\"1.5\"" : "stroke=\"none\" fill-opacity=\"0.55\""
      s += "<circle class=\"\(d.pareto ? "pareto" : "point")\" cx=\"\(x(d.latencyMS))\" cy=\"\(y(d.energyMJ))\" r=\"\(d.pareto ? 5.5 : 4)\" fill=\"\(color(d.group))\" \(stroke)><title>\(escape(d.label))\(d.pareto ? "\n(Pareto set of \(escape(d.group)))" : "")</title></circle>\n"
    }
    for (i, g) in groups.enumerated() {
      let ly = top + 10 + Double(i) * 20
      s += "<circle cx=\"\(w - right + 20)\" cy=\"\(ly)\" r=\"5\" fill=\"\(color(g))\"/><text x=\"\(w - right + 32)\" y=\"\(ly + 4)\">\(escape(g))</text>\n"
    }
    let ly = top + 20 + Double(groups.count) * 20
    s += "<circle cx=\"\(w - right + 20)\" cy=\"\(ly)\" r=\"5.5\" fill=\"#fff\" stroke=\"#000\" stroke-width=\"1.5\"/><text x=\"\(w - right + 32)\" y=\"\(ly + 4)\">Pareto set (ringed, dashed)</text>\n"
    return s + "</svg>"
  }

  static func page(svg: String, title: String, count: Int, skipped: Int) -> String {
    """
    <!DOCTYPE html>
    <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
    <style>body{font-family:sans-serif;margin:24px;color:#222} circle.point:hover,circle.pareto:hover{stroke:#000;stroke-width:2.5}</style>
    </head><body>
    <h1>\(escape(title))</h1>
    <p>\(count) feasible points\(skipped > 0 ? " (\(skipped) infeasible or invalid not shown)" : ""). Hover a point for its inputs and swept parameters; ringed points form each workload's Pareto set (lower latency and lower energy are better).</p>
    \(svg)
    </body></html>
    """
  }
}
