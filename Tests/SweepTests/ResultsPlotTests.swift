import Foundation
import Testing

@testable import Sweep

@Suite struct ResultsPlotTests {
  /// Every feasible point is drawn once; the ringed ones are exactly each workload's
  /// non-dominated points, found here by brute force on the store's own figures.
  @Test func paretoSetsAreTheNonDominatedPoints() async throws {
    let path = temporaryFolder() + "/p.sqlite"
    let plan = try SweepPlan.load(path: repositoryRoot.appendingPathComponent("examples/sweep-small.yaml").path)
    _ = try await SweepRunner(plan: plan, store: ResultStore(path: path), jobs: 2).run()
    let store = try ResultStore(path: path, readOnly: true)
    let parameters = try store.parameterPaths()
    let table = try store.query(columns: ResultStore.listColumns + parameters)
    let html = ResultsPlot.html(table, parameters: parameters, title: "t")
    let figures = table.rows.indices.map {
      (model: table.value("model", row: $0).text ?? "", l: table.value("latency_ms", row: $0).double ?? 0, e: table.value("energy_mj", row: $0).double ?? 0)
    }
    let front = figures.filter { a in
      !figures.contains { b in b.model == a.model && b.l <= a.l && b.e <= a.e && (b.l < a.l || b.e < a.e) }
    }
    #expect(front.count > 0 && front.count < figures.count)
    #expect(html.components(separatedBy: "class=\"pareto\"").count - 1 == front.count)
    #expect(html.components(separatedBy: "<circle class=").count - 1 == 20)
    #expect(html.contains("tiers.reram0.adc_bits = 7"))
  }
}
