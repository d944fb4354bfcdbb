/// The self-contained HTML report of a mapping: headline figures, then inline SVG charts (the
/// schedule's timeline, energy by component and tier, time and energy per operator, this mapping
/// against its baselines) and the tier and source tables.
///
/// The page needs no script, font or file besides itself, prints with its colours, and is a pure
/// function of the report: the same report gives byte-identical HTML. Every string that comes
/// from the report is escaped (operator names come from users' ONNX files). An infeasible
/// mapping shows its reasons in place of the charts.
public enum MapHTML {
  public static func render(_ report: MapReport) -> String {
    let palette = ChartPalette(tiers: report.tiers)
    var body = [header(report)]
    if let lionheart = report.lionheart { body.append(LionHeartHTML.section(lionheart)) }
    if report.result.feasible {
      body.append(figures(report))
      body.append(
        section(
          "Timeline",
          note:
            "One lane per resource that was busy; hover a bar for the operator and its duration. "
            + "Work closer together than a pixel is drawn as one bar. “busy” is the lane’s busy time ÷ latency.",
          TimelineChart(report: report, palette: palette).render()))
      body.append(
        section(
          "Energy",
          note: "Per batch, by component; the tiers’ bars use the total’s scale.",
          EnergyChart(report: report, palette: palette).render()))
      let ops = OperatorBars(report: report, palette: palette)
      body.append(section("Operators", note: ops.caption, ops.render()))
      body.append(baselines(report, palette: palette))
      body.append(section("Tiers", note: nil, tierTable(report, palette: palette)))
    } else {
      body.append(infeasible(report))
      body.append(baselines(report, palette: palette))
    }
    body.append(notes(report))
    body.append(section("Technology numbers and sources", note: nil, sourceTable(report)))
    body.append(
      "<footer>hybrix \(esc(report.toolVersion)) · report schema \(esc(report.schema)) v\(report.schemaVersion)</footer>"
    )
    return page(
      title: "\(report.model.name) on \(report.architecture.name) · Hybrix",
      body: body.filter { !$0.isEmpty }.joined(separator: "\n"))
  }

  /// A self-contained HTML page in the reports' style around `body`.
  static func page(title: String, body: String) -> String {
    """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(esc(title))</title>
    <style>
    \(style)
    </style>
    </head>
    <body>
    <main>
    \(body)
    </main>
    </body>
    </html>

    """
  }

  /// A titled section around already-rendered content (charts are wrapped in a `<figure>`).
  static func section(_ title: String, note: String?, _ content: String) -> String {
    let n = note.map { "<p class=\"note\">\(esc($0))</p>\n" } ?? ""
    let c = content.hasPrefix("<svg") ? "<figure>\n\(content)\n</figure>" : content
    return "<section>\n<h2>\(esc(title))</h2>\n\(n)\(c)\n</section>"
  }

  /// Title, strategy and objective, and one line describing the workload.
  static func header(_ r: MapReport) -> String {
    var w = [r.workload.phase.rawValue, "batch \(r.workload.batch)"]
    if let s = r.workload.sequenceLength { w.append("sequence \(s)") }
    if let c = r.workload.contextLength { w.append("context \(c)") }
    if let i = r.workload.imageSize { w.append("image \(i)×\(i)") }
    w.append(
      "\(r.precision.name) (\(r.precision.weightBits)-bit weights, \(r.precision.activationBits)-bit activations)"
    )
    if r.result.feasible {
      w.append("\(r.operators.count) operators")
      w.append("\(NumberFormat.count(r.operators.reduce(0) { $0 + $1.macs })) MACs")
    }
    let tiers = r.tiers.map { "\($0.id) (\($0.kind)\($0.count > 1 ? " ×\($0.count)" : ""))" }
      .joined(separator: ", ")
    return """
      <header>
      <h1>\(esc(r.model.name)) <span class="on">on</span> \(esc(r.architecture.name))</h1>
      <p class="meta">strategy <b>\(esc(r.strategy))</b> · objective <b>\(esc(r.objective))</b> · \
      tiers \(esc(tiers))\(r.architecture.origin.isEmpty ? "" : " · from " + esc(r.architecture.origin))</p>
      <p class="meta">\(esc(w.joined(separator: " · ")))</p>\(r.search.map { "\n<p class=\"meta\">\(esc($0.line))</p>" } ?? "")
      </header>
      """
  }

  /// The row of headline numbers.
  static func figures(_ r: MapReport) -> String {
    func fig(_ label: String, _ formatted: String, _ sub: String) -> String {
      let parts = formatted.split(separator: " ", maxSplits: 1).map(String.init)
      let unit = parts.count > 1 ? "<span class=\"u\">\(esc(parts[1]))</span>" : ""
      return
        "<div class=\"fig\"><div class=\"k\">\(esc(label))</div><div class=\"v\">\(esc(parts.first ?? ""))\(unit)</div>"
        + "<div class=\"s\">\(esc(sub))</div></div>"
    }
    let res = r.result
    let perSample = r.workload.batch > 1 ? "batch of \(r.workload.batch)" : "one sample"
    return "<div class=\"figures\">"
      + fig("latency", SIUnit.auto(res.latencySeconds, "s"), perSample)
      + fig(
        "throughput", "\(NumberFormat.count(res.throughputSamplesPerSecond)) samples/s",
        "pipelined batches")
      + fig("energy", SIUnit.auto(res.energyJoules, "J"), perSample)
      + fig("EDP", SIUnit.auto(res.edpJouleSeconds, "J·s"), "energy × delay")
      + fig("area", SVG.area(r.architecture.areaMM2), "compute tiers")
      + "</div>"
  }

  /// The reasons an infeasible mapping cannot run, shown where the charts would be.
  static func infeasible(_ r: MapReport) -> String {
    let reasons = r.result.infeasible.isEmpty ? ["no reason given"] : r.result.infeasible
    let shown = reasons.prefix(50).map { "<li>\(esc($0))</li>" }.joined(separator: "\n")
    let more = reasons.count > 50 ? "<li>… and \(reasons.count - 50) more</li>" : ""
    return """
      <section class="infeasible">
      <h2>Infeasible: this mapping cannot run on \(esc(r.architecture.name))</h2>
      <ul>
      \(shown)\(more)
      </ul>
      </section>
      """
  }

  /// This mapping against the baselines, or why there are none.
  static func baselines(_ r: MapReport, palette: ChartPalette) -> String {
    if r.baselines.isEmpty {
      return section(
        "Baselines",
        note: "No baselines: they are the homogeneous and naive mappings of an architecture "
          + "with more than one tier (or were skipped with --no-baselines).", "")
    }
    guard r.result.feasible, r.baselines.contains(where: \.feasible) else {
      return section("Baselines", note: nil, baselineList(r, feasibleToo: true))
    }
    let failed = baselineList(r)
    let chart = BaselineChart(report: r, palette: palette).render()
    return section(
      "Baselines",
      note:
        "Ratio = baseline ÷ this mapping: above 1× (green) this mapping is faster or uses less energy.",
      "<figure>\n\(chart)\n</figure>\n\(failed)")
  }
}
