/// The schedule as a Gantt chart: one lane per resource that was busy (tiers first, then links,
/// the global buffer and DRAM), compute bars in the tier's colour, transfers and DRAM in theirs.
///
/// Events on a lane closer than one pixel are drawn as one bar (its hover title says how many),
/// so the chart has at most one bar per pixel column and lane whatever the graph's size.
struct TimelineChart {
  var report: MapReport
  var palette: ChartPalette

  /// One drawn bar: a single event or a run of merged ones.
  struct Bar: Equatable {
    var start: Double
    var end: Double
    /// Sum of the merged events' durations (the bar may contain idle slivers).
    var busy: Double
    var count: Int
    var first: String
    var last: String
    var kind: String
  }

  static let left = 150.0
  static let right = 64.0
  static let laneHeight = 24.0
  static let legendHeight = 26.0

  /// The busy resources in display order with their events sorted by start.
  static func lanes(_ events: [MapReport.Event], tiers: [String]) -> [(
    resource: String, events: [MapReport.Event]
  )] {
    var byResource: [String: [MapReport.Event]] = [:]
    for e in events where e.endSeconds > e.startSeconds {
      byResource[e.resource, default: []].append(e)
    }
    func rank(_ r: String) -> (Int, Int, String) {
      if let i = tiers.firstIndex(of: r) { return (0, i, "") }
      if r.hasPrefix("link") { return (1, 0, r) }
      if r == "global-buffer" { return (2, 0, r) }
      if r == "dram" { return (4, 0, r) }
      return (3, 0, r)
    }
    return byResource.keys.sorted { rank($0) < rank($1) }.map { r in
      let sorted = (byResource[r] ?? []).sorted {
        ($0.startSeconds, $0.endSeconds, $0.label) < ($1.startSeconds, $1.endSeconds, $1.label)
      }
      return (r, sorted)
    }
  }

  /// Merges events of the same kind that start within `pixelSeconds` of the previous bar's end
  /// while that bar is still narrower than two pixels. Every bar then either spans two pixels or
  /// is followed by a one-pixel gap, so a lane never holds more bars than it has pixels, while
  /// operators wide enough to see stay separate.
  static func merge(_ events: [MapReport.Event], pixelSeconds: Double) -> [Bar] {
    var bars: [Bar] = []
    for e in events {
      let d = e.endSeconds - e.startSeconds
      if var b = bars.last, b.kind == e.kind, e.startSeconds - b.end < pixelSeconds,
        b.end - b.start < 2 * pixelSeconds
      {
        b.end = max(b.end, e.endSeconds)
        b.busy += d
        b.count += 1
        b.last = e.label
        bars[bars.count - 1] = b
      } else {
        bars.append(
          Bar(
            start: e.startSeconds, end: e.endSeconds, busy: d, count: 1, first: e.label,
            last: e.label, kind: e.kind))
      }
    }
    return bars
  }

  func color(_ bar: Bar, resource: String) -> String {
    switch bar.kind {
    case "compute": palette.tier(resource)
    case "dram": ChartPalette.dram
    default: ChartPalette.transfer
    }
  }

  func title(_ b: Bar, resource: String) -> String {
    let t = { (s: Double) in SIUnit.auto(s, "s") }
    if b.count == 1 {
      return "\(b.first)\n\(b.kind) on \(resource): \(t(b.busy)), from \(t(b.start)) to \(t(b.end))"
    }
    return
      "\(b.count) events, \(b.first) … \(b.last)\n\(b.kind) on \(resource): \(t(b.busy)) busy between \(t(b.start)) and \(t(b.end))"
  }

  func render() -> String {
    let lanes = Self.lanes(report.timeline, tiers: report.tiers.map(\.id))
    let domain = max(
      report.result.latencySeconds, lanes.flatMap(\.events).map(\.endSeconds).max() ?? 0)
    let x = LinearScale(domainMax: domain, start: Self.left, end: SVG.width - Self.right)
    let plotTop = Self.legendHeight + 6
    let plotBottom = plotTop + Double(lanes.count) * Self.laneHeight
    let height = plotBottom + 36
    let unit = SIUnit.forValue(domain)
    var out = [
      SVG.open(
        height: height, label: "Timeline of \(report.model.name): one lane per busy resource")
    ]
    out.append(legend(lanes))
    let step = Ticks.step(domain, target: 8)
    for v in Ticks.linear(upTo: domain, target: 8) {
      out.append(SVG.line(x1: x(v), y1: plotTop, x2: x(v), y2: plotBottom, className: "grid"))
      out.append(
        SVG.text(
          Ticks.label(v, unit: unit, step: step), x: x(v), y: plotBottom + 14, anchor: "middle",
          className: "tick"))
    }
    out.append(
      SVG.text(
        "time (\(unit.prefix)s)", x: x(domain), y: plotBottom + 30, anchor: "end", className: "axis"
      ))
    out.append(SVG.text("busy", x: SVG.width - 4, y: plotTop - 4, anchor: "end", className: "tick"))
    let pixelSeconds = domain / (x.end - x.start)
    for (i, lane) in lanes.enumerated() {
      let top = plotTop + Double(i) * Self.laneHeight
      if i % 2 == 1 {
        out.append(
          SVG.rect(
            x: Self.left, y: top, width: x.end - x.start, height: Self.laneHeight, fill: "#f4f6f8"))
      }
      out.append(
        SVG.text(
          SVG.truncate(lane.resource, 22), x: Self.left - 8, y: top + 16, anchor: "end",
          className: "lane"))
      let busy = lane.events.reduce(0) { $0 + ($1.endSeconds - $1.startSeconds) }
      let share = domain > 0 ? busy / domain : 0
      let busyText = share > 0 && share < 0.005 ? "<1 %" : "\(Int((share * 100).rounded())) %"
      out.append(
        SVG.text(busyText, x: SVG.width - 4, y: top + 16, anchor: "end", className: "value"))
      for b in Self.merge(lane.events, pixelSeconds: pixelSeconds) {
        let x0 = x(b.start)
        let w = max(x(b.end) - x0, 0.6)
        // A white edge separates neighbouring operators wide enough to be told apart.
        let edge = w >= 3 ? " class=\"sep\"" : ""
        out.append(
          SVG.rect(
            x: x0, y: top + 4, width: w, height: Self.laneHeight - 8,
            fill: color(b, resource: lane.resource),
            title: title(b, resource: lane.resource), attributes: edge))
      }
    }
    out.append(
      SVG.line(x1: Self.left, y1: plotBottom, x2: x.end, y2: plotBottom, className: "axisline"))
    out.append(SVG.close)
    return out.joined(separator: "\n")
  }

  func legend(_ lanes: [(resource: String, events: [MapReport.Event])]) -> String {
    var items: [(String, String)] = []
    for l in lanes
    where palette.isTier(l.resource) && l.events.contains(where: { $0.kind == "compute" }) {
      items.append(("\(l.resource) compute", palette.tier(l.resource)))
    }
    let kinds = Set(lanes.flatMap(\.events).map(\.kind))
    if kinds.contains("transfer") {
      items.append(("transfer (links, global buffer)", ChartPalette.transfer))
    }
    if kinds.contains("dram") { items.append(("DRAM", ChartPalette.dram)) }
    return Legend.row(items, x: Self.left, y: 6)
  }
}

/// A one-line legend of colour swatches and labels, laid out by an estimate of text width.
enum Legend {
  static func row(_ items: [(label: String, color: String)], x: Double, y: Double) -> String {
    var out: [String] = []
    var cx = x
    for item in items {
      out.append(
        SVG.rect(x: cx, y: y + 2, width: 12, height: 12, fill: item.color, attributes: " rx=\"2\""))
      out.append(SVG.text(item.label, x: cx + 17, y: y + 12, className: "legend"))
      cx += 17 + textWidth(item.label, size: 12) + 18
    }
    return out.joined(separator: "\n")
  }

  /// An estimate of the width of `s` in the report's sans-serif font at `size` pixels.
  static func textWidth(_ s: String, size: Double) -> Double {
    Double(s.count) * size * 0.55
  }
}
