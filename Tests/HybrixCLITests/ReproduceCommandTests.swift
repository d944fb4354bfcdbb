import Foundation
import HybrixCLI
import Reports
import Reproduction
import Testing

/// `hybrix reproduce`: the papers' figures beside ours, where ours are the same numbers the
/// other commands print for the same setting.
@Suite struct ReproduceCommandTests {
  static func figure(_ p: PaperComparison, _ subject: String, _ quantity: String) -> PaperFigure? {
    var last = ""
    for f in p.figures {
      last = f.subject
      if last == subject && f.quantity == quantity { return f }
    }
    return nil
  }

  @Test func h3pimapQuickAgreesWithMapAndExplore() async throws {
    let r = await runHybrix(["reproduce", "h3pimap", "--quick", "--json"])
    #expect(r.exitCode == 0, "\(r.standardError)")
    let report = try JSONDecoder().decode(ReproductionReport.self, from: Data(r.standardOutput.utf8))
    #expect(report.schema == "hybrix.reproduce" && report.schemaVersion == 1)
    let p = try #require(report.papers.first)
    #expect(p.paper == "h3pimap" && p.quick)
    // Every figure the paper prints carries where it prints it.
    #expect(p.figures.filter { $0.paper != nil }.allSatisfy { $0.source != nil })
    // The homogeneous SRAM figure is `hybrix map`'s for the same setting.
    let sram = try #require(Self.figure(p, "Pythia-70M", "latency, 100 % SRAM-PIM")?.ours)
    let map = await runHybrix([
      "map", "pythia-70m", "--seq", "128", "--phase", "prefill", "--arch", "h3pimap", "--strategy", "homogeneous:cim0", "--json",
    ])
    #expect(map.exitCode == 0, "\(map.standardError)")
    let mapped = try JSONDecoder().decode(MapReport.self, from: Data(map.standardOutput.utf8))
    #expect(abs(mapped.result.latencySeconds * 1e3 - sram) <= 1e-9 * sram, "map \(mapped.result.latencySeconds * 1e3) ms, reproduce \(sram) ms")
    // Ratios are ours ÷ the paper's.
    let f = try #require(Self.figure(p, "Pythia-70M", "latency, 100 % SRAM-PIM"))
    #expect(abs(try #require(f.ratio) - sram / 10.21) < 1e-12)
    // Stage 1 + 2 runs Row Remap on the accuracy proxy (no Pythia weights) and says so.
    let remapped = try #require(Self.figure(p, "Pythia-70M", "latency, stage 1 + 2 (Row Remap, accuracy proxy)"))
    #expect(remapped.ours != nil && remapped.paper?.low == 2.25)
    #expect(remapped.note?.contains("PROXY, not an accuracy") == true, "\(remapped.note ?? "")")
  }

  @Test func cmswitchQuickAgreesWithCompile() async throws {
    let r = await runHybrix(["reproduce", "cmswitch", "--quick", "--json"])
    #expect(r.exitCode == 0, "\(r.standardError)")
    let report = try JSONDecoder().decode(ReproductionReport.self, from: Data(r.standardOutput.utf8))
    let p = try #require(report.papers.first)
    let ours = try #require(Self.figure(p, "ResNet-18", "speed-up over compute-only")?.ours)
    let compile = await runHybrix(["compile", "resnet18", "--json"])
    #expect(compile.exitCode == 0, "\(compile.standardError)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(compile.standardOutput.utf8)) as? [String: Any])
    let speedup = try #require(json["speedup"] as? Double)
    #expect(abs(speedup - ours) <= 1e-12 * ours, "compile \(speedup)×, reproduce \(ours)×")
    let range = try #require(Self.figure(p, "ResNet-18", "speed-up over compute-only")?.paper)
    #expect(range.isRange && range.low == 1.07 && range.high == 1.23)
  }

  @Test func mirageQuickAgreesWithCompare() async throws {
    let r = await runHybrix(["reproduce", "mirage", "--quick", "--json"])
    #expect(r.exitCode == 0, "\(r.standardError)")
    let report = try JSONDecoder().decode(ReproductionReport.self, from: Data(r.standardOutput.utf8))
    let p = try #require(report.papers.first)
    let ours = try #require(Self.figure(p, "FMAC iso-energy, paper", "runtime, baseline ÷ Mirage")?.ours)
    let compare = await runHybrix(["compare", "resnet18", "--against", "fmac", "--iso", "energy", "--json"])
    #expect(compare.exitCode == 0, "\(compare.standardError)")
    let c = try JSONDecoder().decode(MirageComparison.self, from: Data(compare.standardOutput.utf8))
    let paperWay = try #require(c.conventions.first { $0.name == "paper" })
    #expect(abs(paperWay.ratios.runtime - ours) <= 1e-12 * ours, "compare \(paperWay.ratios.runtime)×, reproduce \(ours)×")
    #expect(Self.figure(p, "FMAC iso-energy, paper", "runtime, baseline ÷ Mirage")?.paper?.low == 23.8)
  }

  @Test func textAndHTML() async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("reproduce-\(UUID().uuidString).html").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let r = await runHybrix(["reproduce", "h3pimap", "--quick", "--html", path])
    #expect(r.exitCode == 0, "\(r.standardError)")
    #expect(r.standardOutput.contains("ours/paper") && r.standardOutput.contains("Where our setting differs"))
    let html = try String(contentsOfFile: path, encoding: .utf8)
    #expect(html.contains("<svg") && html.contains("ours ÷ paper") && html.contains("Table 4"))
    // The H3PIMAP plot: ours filled, the paper's hollow, on log axes.
    #expect(html.contains("Pythia-70M: energy against latency") && html.contains("latency (log)"))
    #expect(html.contains("<title>paper, 100 % TeMPO") && html.contains("<title>ours, stage 1 + 2 (ours: proxy)"))
  }

  /// The experiments' own plots go into the HTML page, never into the JSON; a ratio that a log
  /// scale cannot show (a negative drop) stays out of the ratio chart but not out of the table.
  @Test func chartsAreHTMLOnly() throws {
    var p = PaperComparison(
      paper: "x", title: "X", citation: "c", setting: "s",
      figures: [
        PaperFigure(subject: "a", quantity: "drop", unit: "points", paper: PaperValue(1), ours: -0.5),
        PaperFigure(subject: "b", quantity: "speed-up", unit: "×", paper: PaperValue(2), ours: 3),
      ], assumptions: [], quick: true)
    p.charts = [PaperChart(title: "A <plot>", note: "n", svg: "<svg id=\"mine\"></svg>")]
    let html = ReproductionHTML.render(ReproductionReport(papers: [p], wallSeconds: 1))
    #expect(html.contains("<h3>A &lt;plot&gt;</h3>") && html.contains("<svg id=\"mine\"></svg>"))
    #expect(html.contains("1.50×") && !html.contains("-0.250×</text>"), "only the positive ratio is plotted")
    #expect(html.contains("-0.500"), "the negative drop is in the table")
    let json = String(decoding: try JSONEncoder().encode(p), as: UTF8.self)
    #expect(!json.contains("charts") && !json.contains("mine"))
  }

  @Test func paperValues() {
    let range = PaperValue(low: 1.02, high: 1.25, mean: 1.17)
    #expect(range.central == 1.17 && range.contains(1.1) && !range.contains(1.3))
    #expect(abs(PaperValue(low: 1, high: 4).central - 2) < 1e-12, "geometric middle without a mean")
    let f = PaperFigure(subject: "m", quantity: "q", unit: "×", paper: range, ours: 2.34)
    #expect(abs(f.ratio! - 2) < 1e-12 && f.withinRange == false)
    #expect(PaperFigure(subject: "m", quantity: "q", unit: "×", paper: nil, ours: 1).ratio == nil)
  }

  @Test(arguments: [
    (["reproduce", "h3pimp"], "did you mean h3pimap?"),
    (["reproduce", "nonsense"], "unknown paper"),
    (["reproduce", "h3pimap", "--quick", "--html", "/nonexistent/dir/r.html"], "cannot write the HTML page"),
    (["reproduce", "lionheart", "--quick", "--models", "/nonexistent"], "hybrix train small-cnn"),
    (["reproduce", "lionheart", "--quick", "--data-dir", "/nonexistent"], "/nonexistent"),
  ])
  func badInputGivesOneClearMessage(arguments: [String], fragment: String) async {
    let r = await runHybrix(arguments)
    #expect(r.exitCode != 0)
    #expect(r.standardError.contains(fragment), "stderr was: \(r.standardError)")
  }
}
