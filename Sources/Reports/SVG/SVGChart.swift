import Foundation
import HybrixCore

/// Building blocks for the report's hand-written SVG: escaping, element strings and number
/// formats that are the same on every run (output must be byte-identical for the same report).
///
/// Every chart is drawn in a ``width``-unit-wide `viewBox` and scaled to the page by CSS, so
/// one unit is one CSS pixel on a normal screen.
enum SVG {
  /// Width of every chart's `viewBox`, in CSS pixels at 100 % zoom.
  static let width = 1080.0

  /// Escapes text for HTML and XML, in element content and in quoted attributes alike.
  static func escape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for c in s.unicodeScalars {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.unicodeScalars.append(c)
      }
    }
    return out
  }

  /// A coordinate with at most one decimal (`12`, `12.5`), small enough for large charts.
  static func num(_ x: Double) -> String {
    guard x.isFinite else { return "0" }
    let tenths = (x * 10).rounded()
    if tenths.truncatingRemainder(dividingBy: 10) == 0 { return String(Int(tenths / 10)) }
    return String(format: "%.1f", tenths / 10)
  }

  /// The opening `<svg>` tag of a chart `height` units tall, with an accessible label.
  static func open(height: Double, label: String) -> String {
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(num(width)) \(num(height))\" "
      + "width=\"\(num(width))\" height=\"\(num(height))\" role=\"img\" aria-label=\"\(escape(label))\">"
  }

  static let close = "</svg>"

  /// A rectangle, with a hover `title` when given.
  static func rect(
    x: Double, y: Double, width w: Double, height h: Double, fill: String, title: String? = nil,
    attributes: String = ""
  ) -> String {
    let head =
      "<rect x=\"\(num(x))\" y=\"\(num(y))\" width=\"\(num(w))\" height=\"\(num(h))\" fill=\"\(fill)\"\(attributes)"
    guard let title else { return head + "/>" }
    return head + "><title>\(escape(title))</title></rect>"
  }

  /// A text label; `anchor` is `start`, `middle` or `end`.
  static func text(
    _ s: String, x: Double, y: Double, anchor: String = "start", className: String? = nil,
    attributes: String = ""
  ) -> String {
    let cls = className.map { " class=\"\($0)\"" } ?? ""
    let a = anchor == "start" ? "" : " text-anchor=\"\(anchor)\""
    return "<text x=\"\(num(x))\" y=\"\(num(y))\"\(a)\(cls)\(attributes)>\(escape(s))</text>"
  }

  static func line(x1: Double, y1: Double, x2: Double, y2: Double, className: String) -> String {
    "<line x1=\"\(num(x1))\" y1=\"\(num(y1))\" x2=\"\(num(x2))\" y2=\"\(num(y2))\" class=\"\(className)\"/>"
  }

  /// An area in mm² whatever its size, the unit chip designers compare: `4.00 mm²`, `0.500 mm²`.
  static func area(_ mm2: Double) -> String {
    mm2 == 0 ? "0 mm²" : "\(formatSignificant(mm2, digits: 3)) mm²"
  }

  /// Shortens `s` to at most `max` characters with an ellipsis.
  static func truncate(_ s: String, _ max: Int) -> String {
    s.count <= max ? s : String(s.prefix(max - 1)) + "…"
  }
}

/// A linear map from `0...domainMax` onto `start...end` (pixels).
struct LinearScale {
  var domainMax: Double
  var start: Double
  var end: Double

  func callAsFunction(_ v: Double) -> Double {
    guard domainMax > 0 else { return start }
    return start + (end - start) * (v / domainMax)
  }
}

/// A base-10 logarithmic map from `domainMin...domainMax` onto `start...end` (pixels).
struct LogScale {
  var domainMin: Double
  var domainMax: Double
  var start: Double
  var end: Double

  func callAsFunction(_ v: Double) -> Double {
    let lo = log10(domainMin)
    let hi = log10(domainMax)
    guard hi > lo, v > 0 else { return start }
    return start + (end - start) * (log10(v) - lo) / (hi - lo)
  }
}

/// An SI prefix chosen for an axis, so tick labels read `0 200 400` with `µs` in the axis title.
struct SIUnit {
  var prefix: String
  var factor: Double

  static let all: [SIUnit] = [
    .init(prefix: "T", factor: 1e12), .init(prefix: "G", factor: 1e9),
    .init(prefix: "M", factor: 1e6),
    .init(prefix: "k", factor: 1e3), .init(prefix: "", factor: 1), .init(prefix: "m", factor: 1e-3),
    .init(prefix: "µ", factor: 1e-6), .init(prefix: "n", factor: 1e-9),
    .init(prefix: "p", factor: 1e-12),
    .init(prefix: "f", factor: 1e-15), .init(prefix: "a", factor: 1e-18),
  ]

  /// The largest prefix at or below `v` (`1.2e-3` → milli).
  static func forValue(_ v: Double) -> SIUnit {
    let m = abs(v)
    return all.first { m >= $0.factor * 0.9995 } ?? all[all.count - 1]
  }

  /// `v` with this prefix and `unit`, `digits` significant digits: `3.36 ms`.
  func format(_ v: Double, _ unit: String, digits: Int = 3) -> String {
    "\(formatSignificant(v / factor, digits: digits)) \(prefix)\(unit)"
  }

  /// `v` with the best prefix for itself: `SIUnit.auto(0.0028, "J")` is `2.80 mJ`.
  static func auto(_ v: Double, _ unit: String, digits: Int = 3) -> String {
    v == 0 ? "0 \(unit)" : forValue(v).format(v, unit, digits: digits)
  }
}

/// Axis ticks at 1-2-5 steps.
enum Ticks {
  /// Ticks from 0 up to `maxValue` (inclusive when it falls on a step), about `target` of them.
  static func linear(upTo maxValue: Double, target: Int = 6) -> [Double] {
    let s = step(maxValue, target: target)
    guard s > 0 else { return [0] }
    let n = Int((maxValue / s * (1 + 1e-9)).rounded(.down))
    return (0...max(0, n)).map { Double($0) * s }
  }

  /// A 1-2-5 step for `maxValue` split into about `target` parts; 0 when `maxValue` is not positive.
  static func step(_ maxValue: Double, target: Int) -> Double {
    guard maxValue > 0, maxValue.isFinite else { return 0 }
    let raw = maxValue / Double(max(1, target))
    let magnitude = pow(10, (log10(raw)).rounded(.down))
    let n = raw / magnitude
    return (n < 1.5 ? 1 : n < 3 ? 2 : n < 7 ? 5 : 10) * magnitude
  }

  /// `maxValue` rounded up to a whole number of steps, for bar charts' domains.
  static func niceMax(_ maxValue: Double, target: Int = 5) -> Double {
    let s = step(maxValue, target: target)
    guard s > 0 else { return 1 }
    return (maxValue / s * (1 - 1e-9)).rounded(.up) * s
  }

  /// Powers of ten covering `lo...hi`.
  static func decades(_ lo: Double, _ hi: Double) -> [Double] {
    guard lo > 0, hi >= lo else { return [] }
    let a = Int(log10(lo).rounded(.up))
    let b = Int(log10(hi).rounded(.down))
    return a <= b ? (a...b).map { pow(10, Double($0)) } : []
  }

  /// A tick label in `unit`'s prefix with just enough decimals for `step` (`0.5`, `1`, `1.5`).
  static func label(_ v: Double, unit: SIUnit, step: Double) -> String {
    let scaled = v / unit.factor
    let decimals = step > 0 ? max(0, Int((-log10(step / unit.factor)).rounded(.up))) : 0
    return String(format: "%.\(min(decimals, 6))f", scaled)
  }
}
