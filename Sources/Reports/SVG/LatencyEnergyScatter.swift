import Foundation
import HybrixCore

/// Energy against latency on log axes, for the reproduce page: named mappings as ours (filled)
/// beside the paper's (hollow, same colour), a front as a line, and a legend. Each series is one
/// mapping kind (100 % SRAM, the equal split, stage 1 …) with up to one point of ours and one of
/// the paper's.
public struct LatencyEnergyScatter: Sendable {
  public struct Series: Sendable {
    public var label: String
    /// Ours: seconds, joules.
    public var ours: (latencySeconds: Double, energyJoules: Double)?
    /// The paper's: seconds, joules.
    public var paper: (latencySeconds: Double, energyJoules: Double)?
    public init(label: String, ours: (Double, Double)?, paper: (Double, Double)?) {
      self.label = label
      self.ours = ours.map { (latencySeconds: $0.0, energyJoules: $0.1) }
      self.paper = paper.map { (latencySeconds: $0.0, energyJoules: $0.1) }
    }
  }

  public var series: [Series]
  /// Our front (seconds, joules), drawn as a line through small dots.
  public var front: [(latencySeconds: Double, energyJoules: Double)]
  public var label: String

  public init(series: [Series], front: [(Double, Double)], label: String) {
    self.series = series
    self.front = front.map { (latencySeconds: $0.0, energyJoules: $0.1) }
    self.label = label
  }

  static let colours = ["#1f77b4", "#d62728", "#2ca02c", "#7f7f7f", "#9467bd", "#e07b00", "#17becf", "#8c564b"]

  /// The grid, tick labels (seconds across, joules up) and axis lines of an energy-against-latency
  /// panel; titles are the caller's. Shared with `explore`'s Pareto scatter.
  static func axes(_ xs: PanelScale, _ ys: PanelScale, left: Double, right: Double, top: Double, bottom: Double) -> [String] {
    var out: [String] = []
    for (v, text) in xs.ticks(unit: "s") {
      out.append(SVG.line(x1: xs(v), y1: top, x2: xs(v), y2: bottom, className: "grid"))
      out.append(SVG.text(text, x: xs(v), y: bottom + 16, anchor: "middle", className: "tick"))
    }
    for (v, text) in ys.ticks(unit: "J") {
      out.append(SVG.line(x1: left, y1: ys(v), x2: right, y2: ys(v), className: "grid"))
      out.append(SVG.text(text, x: left - 6, y: ys(v) + 4, anchor: "end", className: "tick"))
    }
    out.append(SVG.line(x1: left, y1: bottom, x2: right, y2: bottom, className: "axisline"))
    out.append(SVG.line(x1: left, y1: top, x2: left, y2: bottom, className: "axisline"))
    return out
  }

  public func render() -> String {
    let (left, right, top, bottom) = (90.0, SVG.width - 230, 34.0, 374.0)
    let ok: (Double, Double) -> Bool = { $0 > 0 && $0.isFinite && $1 > 0 && $1.isFinite }
    let points = series.flatMap { [$0.ours, $0.paper].compactMap { $0 } } + front
    let shown = points.filter { ok($0.latencySeconds, $0.energyJoules) }
    guard !shown.isEmpty else { return SVG.open(height: 40, label: label) + SVG.text("no points", x: left, y: 24) + SVG.close }
    let xs = PanelScale(values: shown.map(\.latencySeconds), start: left, end: right, log: true)
    let ys = PanelScale(values: shown.map(\.energyJoules), start: bottom, end: top, log: true)
    var out = [SVG.open(height: bottom + 50, label: label)]
    out += Self.axes(xs, ys, left: left, right: right, top: top, bottom: bottom)
    out.append(SVG.text("latency (log)", x: (left + right) / 2, y: bottom + 38, anchor: "middle", className: "axis"))
    out.append(SVG.text("energy (log)", x: 14, y: 14, className: "axis"))
    func at(_ p: (latencySeconds: Double, energyJoules: Double)) -> (String, String) {
      (SVG.num(xs(p.latencySeconds)), SVG.num(ys(p.energyJoules)))
    }
    func figure(_ p: (latencySeconds: Double, energyJoules: Double)) -> String {
      "\(Time(baseValue: p.latencySeconds)), \(Energy(baseValue: p.energyJoules))"
    }
    let onFront = front.filter { ok($0.latencySeconds, $0.energyJoules) }.sorted { $0.latencySeconds < $1.latencySeconds }
    if !onFront.isEmpty {
      out.append("<polyline points=\"\(onFront.map { at($0) }.map { "\($0.0),\($0.1)" }.joined(separator: " "))\" fill=\"none\" stroke=\"#1f3b57\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\"/>")
      for p in onFront {
        let (x, y) = at(p)
        out.append("<circle cx=\"\(x)\" cy=\"\(y)\" r=\"2.5\" fill=\"#1f3b57\"><title>our front: \(SVG.escape(figure(p)))</title></circle>")
      }
    }
    var legendY = top + 6
    for (k, s) in series.enumerated() {
      let c = Self.colours[k % Self.colours.count]
      if let p = s.paper, ok(p.latencySeconds, p.energyJoules) {
        let (x, y) = at(p)
        out.append("<circle cx=\"\(x)\" cy=\"\(y)\" r=\"6\" fill=\"none\" stroke=\"\(c)\" stroke-width=\"2\"><title>paper, \(SVG.escape(s.label)): \(SVG.escape(figure(p)))</title></circle>")
      }
      if let p = s.ours, ok(p.latencySeconds, p.energyJoules) {
        let (x, y) = at(p)
        out.append("<circle cx=\"\(x)\" cy=\"\(y)\" r=\"5\" fill=\"\(c)\"><title>ours, \(SVG.escape(s.label)): \(SVG.escape(figure(p)))</title></circle>")
      }
      out.append("<circle cx=\"\(SVG.num(right + 21))\" cy=\"\(SVG.num(legendY - 3))\" r=\"5\" fill=\"\(c)\"/>")
      if s.paper != nil {  // a hollow marker only where the paper gives the point
        out.append("<circle cx=\"\(SVG.num(right + 36))\" cy=\"\(SVG.num(legendY - 3))\" r=\"5\" fill=\"none\" stroke=\"\(c)\" stroke-width=\"2\"/>")
      }
      out.append(SVG.text(SVG.truncate(s.label, 28), x: right + 48, y: legendY + 1, className: "legend"))
      legendY += 18
    }
    if !onFront.isEmpty {
      out.append("<line x1=\"\(SVG.num(right + 14))\" y1=\"\(SVG.num(legendY - 3))\" x2=\"\(SVG.num(right + 42))\" y2=\"\(SVG.num(legendY - 3))\" stroke=\"#1f3b57\" stroke-dasharray=\"4 3\"/>")
      out.append(SVG.text("our stage-1 front", x: right + 48, y: legendY + 1, className: "legend"))
      legendY += 18
    }
    out.append(SVG.text("filled: ours · hollow: the paper's", x: right + 14, y: legendY + 6, className: "legend"))
    out.append(SVG.close)
    return out.joined(separator: "\n")
  }
}
