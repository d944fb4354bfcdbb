import Foundation
import Hardware
import HybrixCore
import Reports
import Search
import Testing
import Workloads

/// Golden cost snapshots of `map` for a few model × preset pairs, so that every cost change is a
/// visible diff: totals, energy by component and tier, each operator's tier, time and energy, and
/// the baselines, at 6 significant digits (no timings). `RECORD_SNAPSHOTS=1 swift test` rewrites
/// them and fails that run.
@Suite struct MapGoldenTests {
  static let pairs: [(model: String, options: ZooOptions, preset: String)] = [
    ("resnet20", ZooOptions(), "h3pimap"),
    ("lenet5", ZooOptions(), "lionheart"),
    ("bert-base", ZooOptions(sequenceLength: 32), "mirage"),
    ("gpt2", ZooOptions(sequenceLength: 64, phase: .decode), "cmswitch"),
    ("mlp", ZooOptions(batch: 16), "systolic-baseline"),
  ]

  static func g(_ v: Double) -> String { formatSignificant(v, digits: 6) }

  static func snapshot(_ r: MapReport) -> String {
    var out = ["# \(r.model.name) on \(r.architecture.name), strategy \(r.strategy), objective \(r.objective)"]
    let t = r.result
    out.append("feasible \(t.feasible) latency_s \(g(t.latencySeconds)) energy_J \(g(t.energyJoules))")
    for (k, v) in t.energyByComponentJoules.sorted(by: { $0.key < $1.key }) { out.append("  component \(k) \(g(v))") }
    for tier in r.tiers {
      out.append("tier \(tier.id) busy_s \(g(tier.busySeconds)) energy_J \(g(tier.energyJoules))")
    }
    for o in r.operators {
      let shares = o.shares.sorted { $0.key < $1.key }.map { "\($0.key)=\(g($0.value))" }.joined(separator: ",")
      out.append("op \(o.index) \(o.name) \(shares) time_s \(g(o.endSeconds - o.startSeconds)) energy_J \(g(o.energyJoules)) moved_J \(g(o.movementJoules))")
    }
    for b in r.baselines {
      out.append("baseline \(b.strategy) [\(b.kind ?? "")] latency_s \(g(b.latencySeconds ?? 0)) energy_J \(g(b.energyJoules ?? 0))")
    }
    return out.joined(separator: "\n") + "\n"
  }

  @Test(arguments: pairs.indices)
  func mapSnapshot(_ i: Int) async throws {
    let (model, options, preset) = Self.pairs[i]
    let graph = try ModelZoo.model(named: model).graph(options)
    let arch = try PresetRegistry.architecture(named: preset)
    let report = try await makeMapReport(graph: graph, architecture: arch, excludingStrategy: true)
    try InspectReportGoldenTests().assertGolden(Self.snapshot(report), "map-\(model)-\(preset).txt")
  }
}
