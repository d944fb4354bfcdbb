import Foundation
import Hardware
import HybrixCore
import Mapping
import Search
import Testing
import Workloads

@testable import Reports

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Map reports made by the real pipeline (zoo graph → architecture → greedy search → report),
/// as `hybrix map` makes them.
enum MapHTMLFixtures {
  static func report(
    _ model: String, _ options: ZooOptions = ZooOptions(), architecture: Architecture? = nil
  ) async throws -> MapReport {
    let graph = try ModelZoo.model(named: model).graph(options)
    let arch = try architecture ?? PresetRegistry.architecture(named: "systolic-baseline")
    return try await makeMapReport(graph: graph, architecture: arch)
  }

  /// A 128×128 and four 32×32 systolic arrays joined by a 64 GB/s link.
  static func twoTiers() throws -> Architecture {
    func tier(_ id: String, size: Int, count: Int) throws -> SystolicArrayTier {
      var spec = SystolicArrayTier.example
      spec.common.id = id
      spec.common.count = count
      spec.rows = size
      spec.cols = size
      return try SystolicArrayTier(spec: spec)
    }
    let link = LinkSpec(
      from: "big", to: "small", bandwidth: Sourced(.bytesPerSecond(64e9), source: "test"),
      energy: Sourced(EnergyPerData(baseValue: 2e-12), source: "test"))
    return Architecture(
      name: "two",
      tiers: [try tier("big", size: 128, count: 1), try tier("small", size: 32, count: 4)],
      memory: MemoryPresets.hbm, links: [link])
  }
}

/// Checks on rendered HTML: the `<svg>` parts and whether tags are balanced.
enum HTMLCheck {
  /// Every `<svg …>…</svg>` of the page.
  static func svgs(_ html: String) -> [String] {
    var out: [String] = []
    var rest = html[...]
    while let open = rest.range(of: "<svg"),
      let close = rest.range(of: "</svg>", range: open.upperBound..<rest.endIndex)
    {
      out.append(String(rest[open.lowerBound..<close.upperBound]))
      rest = rest[close.upperBound...]
    }
    return out
  }

  /// The first tag that is closed without being open, or left open; `nil` when balanced.
  /// Comments, the doctype and HTML's void elements are skipped.
  static func unbalancedTag(_ html: String) -> String? {
    let void: Set<String> = ["meta", "br", "img", "input", "link", "hr", "col", "wbr"]
    var stack: [String] = []
    var rest = html[...]
    while let lt = rest.firstIndex(of: "<") {
      guard let gt = rest[lt...].firstIndex(of: ">") else { return "unterminated <" }
      let tag = rest[rest.index(after: lt)..<gt]
      rest = rest[rest.index(after: gt)...]
      if tag.hasPrefix("!") || tag.hasSuffix("/") { continue }
      if tag.hasPrefix("/") {
        let name = String(tag.dropFirst())
        guard stack.last == name else { return "</\(name)> closes <\(stack.last ?? "nothing")>" }
        stack.removeLast()
      } else {
        let name = String(tag.prefix { !$0.isWhitespace })
        if !void.contains(name.lowercased()) { stack.append(name) }
      }
    }
    return stack.last.map { "<\($0)> is never closed" }
  }

  /// Whether `xml` parses as XML (always `true` where FoundationXML is missing).
  static func parsesAsXML(_ xml: String) -> Bool {
    #if canImport(FoundationXML) || os(macOS)
      return XMLParser(data: Data(xml.utf8)).parse()
    #else
      return true
    #endif
  }

  static func count(_ needle: String, in s: String) -> Int {
    s.components(separatedBy: needle).count - 1
  }
}

@Suite struct MapHTMLTests {
  /// Checks every SVG is closed, balanced and valid XML, and the whole page is balanced.
  func expectWellFormed(_ html: String) {
    #expect(HTMLCheck.count("<svg", in: html) == HTMLCheck.count("</svg>", in: html))
    for svg in HTMLCheck.svgs(html) {
      #expect(HTMLCheck.unbalancedTag(svg) == nil)
      #expect(HTMLCheck.parsesAsXML(svg), "not XML: \(svg.prefix(200))")
    }
    #expect(HTMLCheck.unbalancedTag(html) == nil)
    #expect(!html.contains("<script"))
  }

  @Test func resnet50HasEveryChartAndIsWellFormed() async throws {
    let html = MapHTML.render(try await MapHTMLFixtures.report("resnet50"))
    expectWellFormed(html)
    // Timeline, energy and operators; one tier has no baselines.
    #expect(HTMLCheck.svgs(html).count == 3)
    for text in [
      "Timeline", "Energy", "Operators", "Tiers", "Technology numbers and sources", "No baselines",
      "assumed",
    ] {
      #expect(html.contains(text), "missing \(text)")
    }
    #expect(html.contains("All 175 operators"))
  }

  @Test func heterogeneousReportDrawsLinksAndBaselines() async throws {
    let report = try await MapHTMLFixtures.report(
      "bert-base", architecture: try MapHTMLFixtures.twoTiers())
    let html = MapHTML.render(report)
    expectWellFormed(html)
    #expect(HTMLCheck.svgs(html).count == 4)
    #expect(html.contains("link big↔small"))
    #expect(html.contains("homogeneous:small"))
    #expect(html.contains("(this mapping)"))
    #expect(html.contains("×</tspan>"))
    #expect(html.contains("the 40 longest are drawn"))  // bert-base has more than 200 operators
  }

  @Test func escapesNamesFromUserFiles() async throws {
    var report = try await MapHTMLFixtures.report("resnet20")
    let evil = "<script>&\"'"
    report.model.name = evil
    report.operators[0].name = evil
    // The longest operator, so that its name is also drawn as a label.
    report.operators[0].endSeconds = report.result.latencySeconds
    report.timeline[0].label = evil
    report.sources[0].source = evil
    let html = MapHTML.render(report)
    expectWellFormed(html)
    #expect(!html.contains("<script>"))
    #expect(html.contains("&lt;script&gt;&amp;&quot;&#39;"))
  }

  @Test func sameReportGivesSameBytes() async throws {
    let report = try await MapHTMLFixtures.report(
      "bert-base", architecture: try MapHTMLFixtures.twoTiers())
    let copy = try JSONDecoder().decode(MapReport.self, from: try JSONEncoder().encode(report))
    let html = MapHTML.render(report)
    #expect(html == MapHTML.render(report))
    #expect(html == MapHTML.render(copy))
  }

  @Test func largeGraphStaysSmall() async throws {
    let report = try await MapHTMLFixtures.report(
      "llama2-7b", ZooOptions(sequenceLength: 128, phase: .prefill))
    let html = MapHTML.render(report)
    expectWellFormed(html)
    #expect(html.utf8.count < 2_000_000)
    let timeline = try #require(HTMLCheck.svgs(html).first)
    let lanes = Set(report.timeline.map(\.resource)).count
    #expect(HTMLCheck.count("<rect", in: timeline) <= lanes * Int(SVG.width))
    #expect(html.contains("the 40 longest are drawn"))
    #expect(html.contains("others (\(report.operators.count - 40) operators)"))
  }

  @Test func manyTinyEventsAreMerged() async throws {
    var report = try await MapHTMLFixtures.report("resnet20")
    let n = 20_000
    report.result.latencySeconds = Double(n) * 1e-9
    report.timeline = (0..<n).map { i in
      // Back-to-back 1 ns events with an occasional gap, on one tier.
      let start = Double(i) * 1e-9 + (i % 97 == 0 ? 0.2e-9 : 0)
      return MapReport.Event(
        resource: "sa0", label: "op\(i)", kind: "compute", startSeconds: start,
        endSeconds: start + 0.8e-9)
    }
    let timeline = try #require(HTMLCheck.svgs(MapHTML.render(report)).first)
    let bars = HTMLCheck.count("<rect", in: timeline)
    #expect(bars < 1_000)
    #expect(timeline.contains("events, op0 … op"))
  }

  @Test func infeasibleReportShowsItsReasonsInsteadOfCharts() async throws {
    var report = try await MapHTMLFixtures.report("resnet20")
    report.result.feasible = false
    report.result.infeasible = ["tier sa0 holds 2 MiB, layer1 needs 9 MiB <weights>"]
    let html = MapHTML.render(report)
    expectWellFormed(html)
    #expect(html.contains("Infeasible"))
    #expect(html.contains("layer1 needs 9 MiB &lt;weights&gt;"))
    #expect(HTMLCheck.svgs(html).isEmpty)
  }

  @Test func checkersCatchBrokenMarkup() async {
    #expect(HTMLCheck.unbalancedTag("<svg><g><rect/></svg>") != nil)
    #expect(HTMLCheck.unbalancedTag("<p><b>x</b></p><meta charset=\"utf-8\">") == nil)
    #if canImport(FoundationXML) || os(macOS)
      #expect(!HTMLCheck.parsesAsXML("<svg><text>a & b</text></svg>"))
      #expect(HTMLCheck.parsesAsXML("<svg><text>a &amp; b</text></svg>"))
    #endif
  }

  /// Operator indices under the columns are whole and distinct for every graph size (seven
  /// operators once printed 0, 0, 1, 1, …: a 0.5 step truncated to integers).
  @Test func operatorIndexTicksAreWholeAndDistinct() {
    var checked = 0
    for n in 1...200 {
      let ticks = OperatorBars.indexTicks(n)
      #expect(ticks.first == 0 && ticks.allSatisfy { $0 == $0.rounded() && $0 < Double(n) }, "n = \(n): \(ticks)")
      #expect(Set(ticks).count == ticks.count && ticks.count <= 16, "n = \(n): \(ticks)")  // a 1-2-5 step for about ten parts
      checked += 1
    }
    #expect(checked == 200)
    #expect(OperatorBars.indexTicks(7) == [0, 1, 2, 3, 4, 5, 6])
  }

  @Test func axisHelpers() async {
    let ticks = Ticks.linear(upTo: 1.25e-3, target: 6)
    let expected = [0, 2e-4, 4e-4, 6e-4, 8e-4, 1e-3, 1.2e-3]
    #expect(
      ticks.count == expected.count && zip(ticks, expected).allSatisfy { abs($0 - $1) < 1e-12 })
    #expect(SIUnit.auto(0.0028, "J") == "2.80 mJ")
    #expect(SIUnit.auto(2.6e-5, "s") == "26.0 µs")
    #expect(Ticks.label(4e-4, unit: SIUnit.forValue(1.25e-3), step: 2e-4) == "0.4")
    #expect(Ticks.decades(3e-4, 2e-2) == [1e-3, 1e-2])
    #expect(SVG.escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;")
    #expect(SVG.num(12.0) == "12" && SVG.num(12.345) == "12.3")
  }
}
