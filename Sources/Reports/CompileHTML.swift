import Foundation
import HybrixCore

/// The self-contained HTML page of `hybrix compile --html`: the headline figures, the arrays'
/// modes over time for the dual-mode program and the compute-only baseline on one time axis
/// (SVG), and the segment and operator tables. No script; the same report gives byte-identical
/// HTML.
public enum CompileHTML {
  public static func render(_ r: CompileReport) -> String {
    var body: [String] = []
    body.append(
      "<header><h1>\(esc(r.model)) <span class=\"on\">on \(esc(r.architecture))</span></h1>"
        + "<p class=\"meta\"><b>CMSwitch</b> (segments by DP, arrays by a per-segment MIP) · tier \(esc(r.tier)), \(r.arrays) arrays"
        + (r.dualMode ? ", dual mode" : ", compute only") + " · solver \(esc(r.compile.solver)): \(r.compile.segmentProblems) segment problems, "
        + (r.compile.provenOptimal == r.compile.segmentProblems ? "all proven optimal" : "\(r.compile.provenOptimal) proven optimal")
        + " · compiled in \(formatSignificant(r.compile.totalSeconds, digits: 3)) s</p>"
        + r.notes.map { "<p class=\"meta\">note: \(esc($0))</p>" }.joined()
        + r.infeasible.map { "<p class=\"meta\"><b>infeasible:</b> \(esc($0))</p>" }.joined() + "</header>")
    body.append(figures(r))
    body.append(
      MapHTML.section(
        "Array modes over time",
        note: "Each column is a segment, as wide as its time: blue arrays compute, orange ones are memory-mode buffers, grey ones are idle. "
          + "Both programs on one time axis; hover a column for its operators. Boundaries (switches, write-back) are too short to see: "
          + "\(formatSignificant(100 * r.switchingShare, digits: 3)) % of the time.",
        ModesChart(report: r).render()))
    body.append(MapHTML.section("Segments", note: "The dual-mode program, in order.", segmentTable(r.segments)))
    if !r.splitOperators.isEmpty {
      body.append(
        MapHTML.section(
          "Split products", note: "Too large for the \(r.arrays) arrays: split along their output columns into parts that fit, joined in place.",
          splitTable(r)))
    }
    body.append(MapHTML.section("Operators", note: "Arrays per CIM operator; shared: input buffers that are the producer's output buffers (Eq. 6).", operatorTable(r)))
    body.append("<footer>hybrix \(esc(r.toolVersion)) · report schema \(esc(r.schema)) v\(r.schemaVersion)</footer>")
    return MapHTML.page(title: "\(r.model) on \(r.architecture) · compile · Hybrix", body: body.joined(separator: "\n"))
  }

  static func esc(_ s: String) -> String { SVG.escape(s) }

  /// The modes-over-time chart alone (SVG), for other pages (`hybrix reproduce cmswitch`).
  public static func modesChart(_ r: CompileReport) -> String { ModesChart(report: r).render() }

  static func figures(_ r: CompileReport) -> String {
    func fig(_ label: String, _ value: String, _ unit: String, _ sub: String) -> String {
      "<div class=\"fig\"><div class=\"k\">\(esc(label))</div><div class=\"v\">\(esc(value))<span class=\"u\">\(esc(unit))</span></div>"
        + "<div class=\"s\">\(esc(sub))</div></div>"
    }
    func split(_ s: String) -> (String, String) {
      let parts = s.split(separator: " ", maxSplits: 1).map(String.init)
      return (parts.first ?? "", parts.count > 1 ? parts[1] : "")
    }
    let (lat, latU) = split(SIUnit.auto(r.latencySeconds, "s"))
    let (en, enU) = split(SIUnit.auto(r.energyJoules, "J"))
    return "<div class=\"figures\">"
      + fig("speed-up", formatSignificant(r.speedup, digits: 3), "×", "over every array computing")
      + fig("latency", lat, latU, "compute-only \(SIUnit.auto(r.baselineLatencySeconds, "s"))")
      + fig("energy", en, enU, "compute-only \(SIUnit.auto(r.baselineEnergyJoules, "J"))")
      + fig("memory mode", formatSignificant(100 * r.memoryArrayShare, digits: 3), "%", "of the arrays, time-weighted")
      + fig("segments", "\(r.segments.count)", "", "compute-only: \(r.baselineSegments.count)")
      + "</div>"
  }

  static func table(_ head: [(String, Bool)], _ rows: [[String]]) -> String {
    "<table class=\"data\"><thead><tr>" + head.map { "<th\($0.1 ? " class=\"num\"" : "")>\(esc($0.0))</th>" }.joined() + "</tr></thead><tbody>\n"
      + rows.map { row in
        "<tr>" + zip(row, head).map { "<td\($1.1 ? " class=\"num\"" : "")>\(esc($0))</td>" }.joined() + "</tr>"
      }.joined(separator: "\n") + "</tbody></table>"
  }

  static func segmentTable(_ segments: [CompileReport.Segment]) -> String {
    table(
      [("seg", true), ("operators", false), ("CIM ops", true), ("compute", true), ("memory", true), ("switches", true), ("boundary", true), ("segment", true)],
      segments.map { s in
        [
          "\(s.index)", s.firstOperator == s.lastOperator ? s.firstOperator : "\(s.firstOperator) … \(s.lastOperator)", "\(s.cimOperators)",
          "\(s.computeArrays)", "\(s.memoryArrays)", "\(s.switches)", SIUnit.auto(s.boundarySeconds, "s"), SIUnit.auto(s.seconds, "s"),
        ]
      })
  }

  static func operatorTable(_ r: CompileReport) -> String {
    table(
      [("operator", false), ("seg", true), ("compute", true), ("in-buffer", true), ("out-buffer", true), ("shared", true), ("part of", false)],
      r.operators.map { ["\($0.name)", "\($0.segment)", "\($0.compute)", "\($0.inputBuffers)", "\($0.outputBuffers)", "\($0.sharedInputBuffers)", $0.partOf ?? ""] })
  }

  /// The products split into parts (CMSwitch's pre-processing) and the segments of their parts.
  static func splitTable(_ r: CompileReport) -> String {
    table(
        [("product", false), ("arrays", true), ("parts", true), ("part arrays", false), ("segments", false)],
        r.splitOperators.map { s in
          [s.name, "\(s.arrays)", "\(s.parts)", s.partArrays.map(String.init).joined(separator: " / "), s.segments.map(String.init).joined(separator: ", ")]
        })
  }
}

/// The arrays' modes over time: one lane per program, each segment a column as wide as its
/// boundary plus its time, split into compute, memory-mode and idle arrays.
struct ModesChart {
  var report: CompileReport

  static let colours = (compute: ModesChartColours.compute, memory: ModesChartColours.memory, idle: ModesChartColours.idle)

  func render() -> String {
    let (left, right) = (130.0, SVG.width - 20)
    let laneHeight = 150.0
    let gap = 34.0
    let top = 28.0
    let lanes: [(String, [CompileReport.Segment])] = [
      ("dual mode", report.segments), ("compute only", report.baselineSegments),
    ]
    let total = lanes.map { $0.1.reduce(0) { $0 + $1.boundarySeconds + $1.seconds } }.max() ?? 0
    let unit = SIUnit.forValue(max(total, 1e-30))
    let step = Ticks.step(total, target: 8)
    let x = LinearScale(domainMax: total, start: left, end: right)
    let bottom = top + Double(lanes.count) * (laneHeight + gap) - gap
    let arrays = Double(max(1, report.arrays))
    var out = [SVG.open(height: bottom + 44, label: "Compute and memory-mode arrays over time, dual mode against compute only")]
    // Legend.
    var lx = left
    for (name, colour) in [("compute", Self.colours.compute), ("memory mode", Self.colours.memory), ("idle", Self.colours.idle)] {
      out.append(SVG.rect(x: lx, y: 6, width: 11, height: 11, fill: colour))
      out.append(SVG.text(name, x: lx + 16, y: 16, className: "legend"))
      lx += 120
    }
    for v in Ticks.linear(upTo: total, target: 8) {
      out.append(SVG.line(x1: x(v), y1: top, x2: x(v), y2: bottom, className: "grid"))
      out.append(SVG.text(Ticks.label(v, unit: unit, step: step), x: x(v), y: bottom + 16, anchor: "middle", className: "tick"))
    }
    out.append(SVG.text("time (\(unit.prefix)s)", x: (left + right) / 2, y: bottom + 36, anchor: "middle", className: "axis"))
    for (n, (name, segments)) in lanes.enumerated() {
      let y0 = top + Double(n) * (laneHeight + gap)
      let h = LinearScale(domainMax: arrays, start: 0, end: laneHeight)
      let seconds = segments.reduce(0) { $0 + $1.boundarySeconds + $1.seconds }
      out.append(SVG.text(name, x: left - 10, y: y0 + laneHeight / 2 - 4, anchor: "end", className: "lane"))
      out.append(SVG.text(SIUnit.auto(seconds, "s"), x: left - 10, y: y0 + laneHeight / 2 + 12, anchor: "end", className: "tick"))
      out.append(SVG.rect(x: left, y: y0, width: x(seconds) - left, height: laneHeight, fill: Self.colours.idle))
      var t = 0.0
      for s in segments {
        let x0 = x(t)
        t += s.boundarySeconds + s.seconds
        let w = max(x(t) - x0, 0.2)
        let compute = h(Double(s.computeArrays))
        let memory = h(Double(s.memoryArrays))
        let ops = s.firstOperator == s.lastOperator ? s.firstOperator : "\(s.firstOperator) … \(s.lastOperator)"
        let title = "segment \(s.index): \(ops) (\(s.cimOperators) CIM operators): \(s.computeArrays) compute, \(s.memoryArrays) memory-mode arrays, "
          + SIUnit.auto(s.seconds, "s") + (s.switches > 0 ? ", \(s.switches) switches before it" : "")
        out.append(SVG.rect(x: x0, y: y0 + laneHeight - compute, width: w, height: compute, fill: Self.colours.compute, title: title))
        if memory > 0 {
          out.append(SVG.rect(x: x0, y: y0 + laneHeight - compute - memory, width: w, height: memory, fill: Self.colours.memory, title: title))
        }
      }
      out.append(SVG.line(x1: left, y1: y0 + laneHeight, x2: right, y2: y0 + laneHeight, className: "axisline"))
      out.append(SVG.text("\(report.arrays)", x: left - 4, y: y0 + 8, anchor: "end", className: "tick"))
      out.append(SVG.text("0", x: left - 4, y: y0 + laneHeight, anchor: "end", className: "tick"))
    }
    out.append(SVG.close)
    return out.joined(separator: "\n")
  }
}

/// The modes chart's colours (tests count the columns by them).
public enum ModesChartColours {
  public static let compute = "#1f77b4"
  public static let memory = "#ff7f0e"
  public static let idle = "#e9edf1"
}
