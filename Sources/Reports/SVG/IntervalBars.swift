import Foundation
import HybrixCore

/// Horizontal bars with a 95 % interval whisker each: one row per label, the bar from the axis
/// minimum to the mean, the whisker from `low` to `high` (the same value when there is no
/// interval). Used for accuracies over seeds on the reproduce page.
public struct IntervalBars: Sendable {
  public struct Row: Sendable {
    public var label: String
    public var mean: Double
    public var low: Double
    public var high: Double
    public init(label: String, mean: Double, low: Double, high: Double) {
      self.label = label
      self.mean = mean
      self.low = low
      self.high = high
    }
  }

  public var rows: [Row]
  /// The quantity and its unit, e.g. "test accuracy (%)".
  public var axisTitle: String
  public var label: String

  public init(rows: [Row], axisTitle: String, label: String) {
    self.rows = rows
    self.axisTitle = axisTitle
    self.label = label
  }

  public func render() -> String {
    let (left, right, top, rowHeight) = (190.0, SVG.width - 90, 10.0, 30.0)
    let bottom = top + rowHeight * Double(max(1, rows.count))
    let values = rows.flatMap { [$0.low, $0.high, $0.mean] }.filter(\.isFinite)
    let hiValue = values.max() ?? 1
    let loValue = values.min() ?? 0
    // The axis starts a little below the smallest value so differences of a point stay visible.
    let span = max(hiValue - loValue, 1e-9)
    let step = Ticks.step(span * 1.4, target: 6)
    let lo = step > 0 ? ((loValue - 0.2 * span) / step).rounded(.down) * step : loValue - 1
    let hi = step > 0 ? ((hiValue + 0.2 * span) / step).rounded(.up) * step : hiValue + 1
    let x = { (v: Double) in left + (right - left) * (v - lo) / max(1e-12, hi - lo) }
    var out = [SVG.open(height: bottom + 40, label: label)]
    var t = lo
    while t <= hi + step * 1e-9, step > 0 {
      out.append(SVG.line(x1: x(t), y1: top, x2: x(t), y2: bottom, className: "grid"))
      out.append(SVG.text(formatSignificant(t, digits: 4), x: x(t), y: bottom + 14, anchor: "middle", className: "tick"))
      t += step
    }
    out.append(SVG.text(axisTitle, x: (left + right) / 2, y: bottom + 32, anchor: "middle", className: "axis"))
    for (i, r) in rows.enumerated() {
      let y = top + rowHeight * Double(i)
      let mid = y + rowHeight / 2
      out.append(SVG.text(SVG.truncate(r.label, 30), x: left - 8, y: mid + 4, anchor: "end", className: "lane"))
      guard r.mean.isFinite else { continue }
      let title = "\(r.label): \(formatSignificant(r.mean, digits: 4))" + (r.high > r.low ? " (95 % interval \(formatSignificant(r.low, digits: 4))–\(formatSignificant(r.high, digits: 4)))" : "")
      out.append(SVG.rect(x: left, y: y + 6, width: max(0, x(r.mean) - left), height: rowHeight - 12, fill: "#1f77b4", title: title))
      if r.high > r.low {
        out.append(SVG.line(x1: x(r.low), y1: mid, x2: x(r.high), y2: mid, className: "axisline"))
        out.append(SVG.line(x1: x(r.low), y1: mid - 6, x2: x(r.low), y2: mid + 6, className: "axisline"))
        out.append(SVG.line(x1: x(r.high), y1: mid - 6, x2: x(r.high), y2: mid + 6, className: "axisline"))
      }
      out.append(SVG.text(formatSignificant(r.mean, digits: 4), x: right + 8, y: mid + 4, className: "value"))
    }
    out.append(SVG.line(x1: left, y1: top, x2: left, y2: bottom, className: "axisline"))
    out.append(SVG.close)
    return out.joined(separator: "\n")
  }
}
