/// The report's HTML tables: tier use, baselines that could not run, and the technology numbers
/// with their sources (assumed ones marked).
extension MapHTML {
  static func esc(_ s: String) -> String { SVG.escape(s) }

  /// A table row of already-escaped cells; `numeric` columns are right-aligned.
  static func row(_ cells: [String], numeric: Set<Int> = [], tag: String = "td", cls: String? = nil)
    -> String
  {
    let c = cls.map { " class=\"\($0)\"" } ?? ""
    let tds = cells.enumerated().map { i, v in
      numeric.contains(i) ? "<\(tag) class=\"num\">\(v)</\(tag)>" : "<\(tag)>\(v)</\(tag)>"
    }
    return "<tr\(c)>" + tds.joined() + "</tr>"
  }

  /// Units, operators, MACs, busy time, occupancy, energy and area of every tier.
  static func tierTable(_ r: MapReport, palette: ChartPalette) -> String {
    let numeric: Set<Int> = [2, 3, 4, 5, 6, 7, 8]
    var out = ["<table class=\"data\"><thead>"]
    out.append(
      row(
        ["tier", "kind", "units", "ops", "MACs", "busy", "occupancy", "energy", "area"],
        numeric: numeric, tag: "th"))
    out.append("</thead><tbody>")
    for t in r.tiers {
      let occ = max(0, min(t.occupancy, 1))
      let bar =
        "<span class=\"occ\"><span style=\"width:\(SVG.num(occ * 100))%;background:\(palette.tier(t.id))\"></span></span>"
      out.append(
        row(
          [
            "<span class=\"sw\" style=\"background:\(palette.tier(t.id))\"></span>\(esc(t.id))",
            esc(t.kind), String(t.count),
            String(t.operators), NumberFormat.count(t.macs), esc(SIUnit.auto(t.busySeconds, "s")),
            "\(bar)\(Int((t.occupancy * 100).rounded())) %", esc(SIUnit.auto(t.energyJoules, "J")),
            esc(SVG.area(t.areaMM2)),
          ], numeric: numeric))
    }
    out.append("</tbody><tfoot>")
    out.append(
      row(
        [
          "all tiers", "", String(r.tiers.reduce(0) { $0 + $1.count }), "",
          NumberFormat.count(r.tiers.reduce(0) { $0 + $1.macs }), "", "",
          esc(SIUnit.auto(r.tiers.reduce(0) { $0 + $1.energyJoules }, "J")),
          esc(SVG.area(r.architecture.areaMM2)),
        ], numeric: numeric))
    out.append("</tfoot></table>")
    out.append(
      "<p class=\"note\">Energy per tier excludes DRAM and link movement, which the total counts "
        + "(\(esc(SIUnit.auto(r.result.energyByComponentJoules["movement"] ?? 0, "J"))) here). "
        + "Occupancy is busy time ÷ latency.</p>")
    return out.joined(separator: "\n")
  }

  /// Every technology number with its source; assumed numbers carry a visible badge.
  static func sourceTable(_ r: MapReport) -> String {
    let assumed = r.sources.filter(\.assumed).count
    var out = [
      "<p class=\"note\">\(r.sources.count) numbers; <span class=\"badge\">assumed</span> marks the "
        + "\(assumed) taken where papers are silent.</p>"
    ]
    out.append("<table class=\"data sources\"><thead>")
    out.append(row(["tier", "quantity", "value", "source"], numeric: [2], tag: "th"))
    out.append("</thead><tbody>")
    var previous = ""
    for s in r.sources {
      let tier = s.tier == previous ? "" : esc(s.tier)
      previous = s.tier
      let badge = s.assumed ? "<span class=\"badge\">assumed</span> " : ""
      out.append(
        row(
          [tier, esc(s.quantity), esc(s.value), badge + esc(s.source)], numeric: [2],
          cls: s.assumed ? "assumed" : nil))
    }
    out.append("</tbody></table>")
    return out.joined(separator: "\n")
  }

  /// Baselines as a list: those that could not run with their first reason, and, when
  /// `feasibleToo` (this mapping has no chart to compare against), those that ran with their costs.
  static func baselineList(_ r: MapReport, feasibleToo: Bool = false) -> String {
    let listed = r.baselines.filter { feasibleToo || !$0.feasible }
    guard !listed.isEmpty else { return "" }
    var out = [
      feasibleToo
        ? "<ul class=\"failed\">"
        : "<p class=\"note\">Infeasible baselines (not drawn):</p><ul class=\"failed\">"
    ]
    for b in listed {
      let what: String
      if b.feasible, let l = b.latencySeconds, let e = b.energyJoules {
        what = "runs in \(SIUnit.auto(l, "s")) using \(SIUnit.auto(e, "J"))"
      } else {
        what = "infeasible: " + (b.reason ?? "no reason given")
      }
      out.append("<li><b>\(esc(b.strategy))</b> \(esc(what))</li>")
    }
    out.append("</ul>")
    return out.joined(separator: "\n")
  }

  /// Fallbacks, warnings and one-time programming cost, if any.
  static func notes(_ r: MapReport) -> String {
    var items: [String] = []
    if r.result.programmingJoules > 0 {
      items.append(
        "One-time weight programming before the first run (not in the energy above): "
          + "\(esc(SIUnit.auto(r.result.programmingJoules, "J"))), \(esc(SIUnit.auto(r.result.programmingSeconds, "s")))."
      )
    }
    if !r.fallbacks.isEmpty {
      let names = r.fallbacks.prefix(8).map(esc).joined(separator: ", ")
      items.append(
        "\(r.fallbacks.count) operators the strategy could not place as intended ran on the host tier: "
          + names + (r.fallbacks.count > 8 ? ", …" : "") + ".")
    }
    items += r.warnings.map { "Warning: " + esc($0) }
    guard !items.isEmpty else { return "" }
    return "<ul class=\"notes\">" + items.map { "<li>\($0)</li>" }.joined() + "</ul>"
  }
}
