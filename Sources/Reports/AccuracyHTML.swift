import Foundation

/// `hybrix accuracy --html FILE`: a self-contained page with the accuracy-over-time plot, the
/// result table and where each operator ran (same style as the map report).
public enum AccuracyHTML {
  public static func render(_ report: AccuracyReport) -> String {
    let esc = SVG.escape
    let r = report.result
    var rows = ""
    for p in r.points {
      let s = p.statistics
      rows += "<tr><td>\(esc(p.label))</td><td>\(p.compensated ? "global" : "none")</td>"
        + [s.mean, s.standardDeviation, max(0, s.confidenceLow), min(1, s.confidenceHigh), s.mean - r.fp32Accuracy]
        .map { "<td class=\"num\">\(String(format: "%.2f", $0 * 100))</td>" }.joined() + "</tr>\n"
    }
    var ops = ""
    for o in r.operators {
      let tiers = o.tiers.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.0f %%", $0.value * 100))" }
      ops += "<tr><td>\(esc(o.name))</td><td>\(esc(tiers.joined(separator: ", ")))</td><td>\(esc(o.arithmetic))</td></tr>\n"
    }
    let chart = MapHTML.section(
      "Accuracy over time after programming",
      note: "Mean of \(report.repeats) Monte-Carlo repeats with its 95 % confidence interval; dashed: FP32 accuracy of the same weights.",
      AccuracyChart.render(r))
    let table = MapHTML.section("Results (percent)", note: nil, """
      <table class="data"><thead><tr><th>time</th><th>drift comp.</th><th class="num">mean</th><th class="num">SD</th><th class="num">CI low</th><th class="num">CI high</th><th class="num">vs FP32 (pt)</th></tr></thead>
      <tbody>
      \(rows)</tbody></table>
      """)
    let placement = MapHTML.section("Where each operator runs", note: nil, """
      <table class="data"><thead><tr><th>operator</th><th>tiers</th><th>numerical model</th></tr></thead>
      <tbody>
      \(ops)</tbody></table>
      """)
    return MapHTML.page(
      title: "\(report.model) accuracy on \(report.architecture) · Hybrix",
      body: """
        <header>
        <h1>\(esc(report.model)) <span class="on">on</span> \(esc(report.architecture))</h1>
        <p class="meta">mapping <b>\(esc(report.mapping))</b> · weights \(esc(report.weights)) · \(esc(report.dataset)) test set, \(r.samples) images · seed \(report.seed) · \(esc(report.backend))</p>
        </header>
        \(chart)
        \(table)
        \(placement)
        <footer>hybrix \(esc(report.toolVersion)) · report schema \(esc(report.schema)) v\(report.schemaVersion)</footer>
        """)
  }
}
