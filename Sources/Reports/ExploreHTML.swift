import Foundation
import HybrixCore

/// The self-contained HTML page of `hybrix explore`: the Pareto scatter (SVG) of the front with
/// the baselines and the random mappings, the front and ratio tables, and the picked point's
/// timeline and energy breakdown (the map report's charts of that mapping). No script; the same
/// reports give byte-identical HTML.
public enum ExploreHTML {
  public static func render(_ r: ExploreReport, picked: MapReport?) -> String {
    var body: [String] = []
    body.append(
      "<header><h1>\(esc(r.model.name)) <span class=\"on\">on \(esc(r.architecture.name))</span></h1>"
        + "<p class=\"meta\"><b>H3PIMAP stage 1\(r.rowRemap == nil ? "" : " + Row Remap")</b> (NSGA-II, population \(r.settings.population), \(r.search.generationsRun)/\(r.settings.generations) generations, grid 1/\(r.settings.grid), seed \(r.settings.seed)) · objectives \(esc(r.objectives.joined(separator: ", "))) · \(r.search.evaluations) simulations in \(formatSignificant(r.search.wallSeconds, digits: 3)) s"
        + (r.search.stoppedBy.map { " · <b>cut by the \(esc($0))</b>: the best front so far" } ?? "") + "</p></header>")
    body.append(
      MapHTML.section(
        "Latency and energy", note: "Every point simulated. Front: the search's non-dominated mappings (line); squares: the baselines; grey: \(r.random.count) random mappings of the same space; ring: the picked point (\(r.pick.rule)). Hypervolume \(formatSignificant(r.hypervolume.normalised, digits: 4)) of the box (\(r.hypervolume.note)).",
        scatter(r)))
    body.append(MapHTML.section("Front", note: nil, frontTable(r)))
    body.append(MapHTML.section("Ratios", note: "Baseline ÷ front point: above 1× the front point is better.", ratioTable(r)))
    if let section = rowRemapSection(r) { body.append(section) }
    if let picked, picked.result.feasible {
      let palette = ChartPalette(tiers: picked.tiers)
      body.append(MapHTML.section("Picked mapping: timeline", note: "The picked point's schedule, one lane per busy resource.", TimelineChart(report: picked, palette: palette).render()))
      body.append(MapHTML.section("Picked mapping: energy", note: "Per batch, by component and tier.", EnergyChart(report: picked, palette: palette).render()))
    }
    body.append("<footer>hybrix \(esc(r.toolVersion)) · report schema \(esc(r.schema)) v\(r.schemaVersion)</footer>")
    return MapHTML.page(title: "\(r.model.name) on \(r.architecture.name) · explore · Hybrix", body: body.joined(separator: "\n"))
  }

  static func esc(_ s: String) -> String { SVG.escape(s) }

  static let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"]

  static func scatter(_ r: ExploreReport) -> String {
    let (left, right, top, bottom) = (90.0, SVG.width - 190, 20.0, 440.0)
    let all = r.front + r.baselines.compactMap(\.point) + r.random
    let xs = PanelScale(values: all.map(\.latencySeconds), start: left, end: right, log: true)
    let ys = PanelScale(values: all.map(\.energyJoules), start: bottom, end: top, log: true)
    var out = [SVG.open(height: bottom + 50, label: "Energy against latency of the front, the baselines and random mappings")]
    out += LatencyEnergyScatter.axes(xs, ys, left: left, right: right, top: top, bottom: bottom)
    out.append(SVG.text("latency", x: (left + right) / 2, y: bottom + 38, anchor: "middle", className: "axis"))
    out.append(SVG.text("energy", x: 14, y: top + 10, className: "axis"))
    func tip(_ p: ExploreReport.Point) -> String {
      "\(ExploreReport.time(p.latencySeconds)), \(ExploreReport.energy(p.energyJoules)); MACs % \(r.tiers.joined(separator: "/")): \(r.macs(p))"
    }
    for p in r.random {
      out.append("<circle cx=\"\(SVG.num(xs(p.latencySeconds)))\" cy=\"\(SVG.num(ys(p.energyJoules)))\" r=\"3\" fill=\"#b8c0c8\"><title>random: \(esc(tip(p)))</title></circle>")
    }
    let path = r.front.map { "\(SVG.num(xs($0.latencySeconds))),\(SVG.num(ys($0.energyJoules)))" }.joined(separator: " ")
    out.append("<polyline points=\"\(path)\" fill=\"none\" stroke=\"#1f3b57\" stroke-width=\"1.5\"/>")
    for (i, p) in r.front.enumerated() {
      out.append("<circle cx=\"\(SVG.num(xs(p.latencySeconds)))\" cy=\"\(SVG.num(ys(p.energyJoules)))\" r=\"4.5\" fill=\"#1f3b57\"><title>front point \(i + 1): \(esc(tip(p)))</title></circle>")
    }
    if let i = r.pick.index {
      let p = r.front[i]
      out.append("<circle cx=\"\(SVG.num(xs(p.latencySeconds)))\" cy=\"\(SVG.num(ys(p.energyJoules)))\" r=\"9\" fill=\"none\" stroke=\"#e07b00\" stroke-width=\"2.5\"><title>picked (\(esc(r.pick.rule)))</title></circle>")
    }
    var legendY = top + 6
    for (k, b) in r.baselines.enumerated() {
      let c = colours[k % colours.count]
      if let p = b.point {
        out.append(SVG.rect(x: xs(p.latencySeconds) - 5, y: ys(p.energyJoules) - 5, width: 10, height: 10, fill: c, title: "\(b.name): \(tip(p))"))
      }
      out.append(SVG.rect(x: right + 16, y: legendY - 8, width: 10, height: 10, fill: c))
      out.append(SVG.text(SVG.truncate(b.name + (b.point == nil ? " (infeasible)" : ""), 26), x: right + 32, y: legendY + 1, className: "legend"))
      legendY += 18
    }
    out.append("<circle cx=\"\(SVG.num(right + 21))\" cy=\"\(SVG.num(legendY - 3))\" r=\"4.5\" fill=\"#1f3b57\"/>")
    out.append(SVG.text("front", x: right + 32, y: legendY + 1, className: "legend"))
    out.append("<circle cx=\"\(SVG.num(right + 21))\" cy=\"\(SVG.num(legendY + 15))\" r=\"3\" fill=\"#b8c0c8\"/>")
    out.append(SVG.text("random", x: right + 32, y: legendY + 19, className: "legend"))
    out.append(SVG.close)
    return out.joined(separator: "\n")
  }

  static func table(_ head: [String], _ rows: [[String]]) -> String {
    "<table><thead><tr>" + head.map { "<th>\(esc($0))</th>" }.joined() + "</tr></thead><tbody>"
      + rows.map { "<tr>" + $0.map { "<td>\(esc($0))</td>" }.joined() + "</tr>" }.joined(separator: "\n") + "</tbody></table>"
  }

  static func frontTable(_ r: ExploreReport) -> String {
    table(
      ["#", "latency", "energy", "EDP (J·s)", "area", "MACs % " + r.tiers.joined(separator: "/")]
        + (r.rowRemap == nil ? [] : ["accuracy drop [95 %]"]) + [""],
      r.front.enumerated().map { i, p in
        [
          "\(i + 1)", ExploreReport.time(p.latencySeconds), ExploreReport.energy(p.energyJoules), formatSignificant(p.edpJouleSeconds, digits: 3),
          Area(baseValue: p.areaSquareMetres).description, r.macs(p),
        ] + (r.rowRemap == nil ? [] : [ExploreReport.drop(p.accuracy)]) + [i == r.pick.index ? "picked (\(r.pick.rule))" : ""]
      })
  }

  static func ratioTable(_ r: ExploreReport) -> String {
    table(["front point", "baseline", "latency", "energy"], r.ratios.map { [$0.point, $0.baseline, ExploreReport.ratio($0.latency), ExploreReport.ratio($0.energy)] })
  }
}
