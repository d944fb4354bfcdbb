import Foundation
import Mapping

/// Accuracy over time after programming: one line per drift-compensation setting, the mean of
/// the Monte-Carlo repeats with its 95 % confidence interval as error bars, on a logarithmic time
/// axis, and the FP32 accuracy of the same weights as a dashed line.
enum AccuracyChart {
  static let height = 360.0
  static let left = 70.0, right = 220.0, top = 20.0, bottom = 50.0
  static let colors = (compensated: "#1f77b4", uncompensated: "#d62728", fp32: "#555")

  static func render(_ result: AccuracyResult) -> String {
    let points = result.points
    guard !points.isEmpty else { return "" }
    // Time axis: log10 seconds; 0 s is drawn at one decade below the earliest positive time.
    let positive = points.map(\.seconds).filter { $0 > 0 }
    let floor = (positive.min().map { log10($0) } ?? 0) - 1
    func tx(_ s: Double) -> Double { s > 0 ? log10(s) : floor }
    let xs = points.map { tx($0.seconds) }
    let (x0, x1) = (xs.min() ?? 0, max((xs.max() ?? 1), (xs.min() ?? 0) + 1))
    let lows = points.map { max(0, $0.statistics.confidenceLow) } + [result.fp32Accuracy]
    let highs = points.map { min(1, $0.statistics.confidenceHigh) } + [result.fp32Accuracy]
    var y0 = ((lows.min() ?? 0) * 100 - 1).rounded(.down), y1 = ((highs.max() ?? 1) * 100 + 1).rounded(.up)
    y0 = max(0, y0)
    y1 = min(100, max(y1, y0 + 2))
    let plotW = SVG.width - left - right, plotH = height - top - bottom
    let pad = (x1 - x0) * 0.06
    func px(_ x: Double) -> Double { left + (x - x0 + pad) / (x1 - x0 + 2 * pad) * plotW }
    func py(_ percent: Double) -> Double { top + (y1 - percent) / (y1 - y0) * plotH }

    var out = [SVG.open(height: height, label: "Accuracy over time after programming")]
    let step = Swift.max(1, ((y1 - y0) / 6).rounded(.up))
    var v = (y0 / step).rounded(.up) * step
    while v <= y1 {
      out.append(SVG.line(x1: left, y1: py(v), x2: left + plotW, y2: py(v), className: "grid"))
      out.append(SVG.text("\(Int(v)) %", x: left - 8, y: py(v) + 4, anchor: "end", className: "tick"))
      v += step
    }
    var labelled = Set<String>()
    for (p, x) in zip(points, xs) where labelled.insert(p.label).inserted {
      out.append(SVG.text(p.label, x: px(x), y: top + plotH + 18, anchor: "middle", className: "tick"))
    }
    out.append(SVG.line(x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH, className: "axisline"))
    out.append(SVG.text("time after programming (log scale)", x: left + plotW / 2, y: height - 8, anchor: "middle", className: "axis"))
    out.append(SVG.text("test accuracy", x: 14, y: top + plotH / 2, anchor: "middle", className: "axis",
      attributes: " transform=\"rotate(-90 14 \(SVG.num(top + plotH / 2)))\""))
    // FP32 reference.
    let f = result.fp32Accuracy * 100
    out.append("<line x1=\"\(SVG.num(left))\" y1=\"\(SVG.num(py(f)))\" x2=\"\(SVG.num(left + plotW))\" y2=\"\(SVG.num(py(f)))\" stroke=\"\(colors.fp32)\" stroke-dasharray=\"6 4\" stroke-width=\"1.5\"/>")
    var legend: [(String, String)] = [("FP32 \(String(format: "%.2f %%", f))", colors.fp32)]
    for compensated in [false, true] {
      let series = zip(points, xs).filter { $0.0.compensated == compensated }.sorted { $0.1 < $1.1 }
      guard !series.isEmpty else { continue }
      let color = compensated ? colors.compensated : colors.uncompensated
      let path = series.map { "\(SVG.num(px($0.1))),\(SVG.num(py($0.0.statistics.mean * 100)))" }.joined(separator: " ")
      out.append("<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>")
      for (p, x) in series {
        let s = p.statistics
        let (cx, lo, hi) = (px(x), py(max(0, s.confidenceLow) * 100), py(min(1, s.confidenceHigh) * 100))
        out.append("<line x1=\"\(SVG.num(cx))\" y1=\"\(SVG.num(lo))\" x2=\"\(SVG.num(cx))\" y2=\"\(SVG.num(hi))\" stroke=\"\(color)\" stroke-width=\"1.5\"/>")
        let tip = String(format: "%@ %@: mean %.2f %%, 95 %% CI %.2f…%.2f %%, %d repeats", p.label,
          compensated ? "compensated" : "uncompensated", s.mean * 100, s.confidenceLow * 100, s.confidenceHigh * 100, s.count)
        out.append("<circle cx=\"\(SVG.num(cx))\" cy=\"\(SVG.num(py(s.mean * 100)))\" r=\"4\" fill=\"\(color)\"><title>\(SVG.escape(tip))</title></circle>")
      }
      legend.append((compensated ? "global drift compensation" : "no compensation", color))
    }
    for (i, (label, color)) in legend.enumerated() {
      let y = top + 14 + Double(i) * 20
      out.append(SVG.rect(x: left + plotW + 16, y: y - 9, width: 12, height: 12, fill: color))
      out.append(SVG.text(label, x: left + plotW + 34, y: y + 1, className: "legend"))
    }
    out.append(SVG.close)
    return out.joined(separator: "\n")
  }
}
