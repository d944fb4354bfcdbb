import Foundation
import Hardware
import HybrixCore
import Testing
import Workloads

@testable import Mapping
@testable import Search

/// `margin=δ` (`--accuracy-margin`): every decision is against X − δ, so a search at X with
/// margin δ takes exactly the decisions of a search at X − δ without one, in both modes and in
/// the lifetime schedule; the outcome states X and δ. Out-of-range margins are one clear error.
@Suite struct LionHeartMarginTests {
  static let day = Time.seconds(86_400)

  func explorer(_ probe: WeightedProbe) throws -> Explorer {
    let graph = try ModelZoo.model(named: "lenet5").graph()
    let arch = try PresetRegistry.architecture(named: "lionheart")
    return Explorer(graph: graph, architecture: arch, precision: .int8, accuracy: probe)
  }

  func digitalTiers() throws -> Set<Int> {
    let arch = try PresetRegistry.architecture(named: "lionheart")
    return Set(arch.tiers.indices.filter { type(of: arch.tiers[$0]).kind == .digital })
  }

  func goal(_ points: Double) -> Goal { Goal([.latency], constraints: [.accuracyDrop(points: points, at: Self.day)]) }

  func outcome(_ e: Explorer, _ s: LionHeartStrategy, limit: Double) async throws -> LionHeartOutcome {
    _ = try await e.run(s, goal: goal(limit))
    return try #require(s.recorder.outcome)
  }

  /// Random per-layer costs, limits and margins (δ = 0 and δ = X included): the margin run's
  /// steps equal the run at X − δ step for step; in some cases the margin changes the set the
  /// plain run at X would choose, so the law is not vacuous.
  @Test(arguments: [LionHeartStrategy.Mode.full, .fast])
  func aMarginDecidesAsTheLowerThreshold(mode: LionHeartStrategy.Mode) async throws {
    let digital = try digitalTiers()
    let ops = try ModelZoo.model(named: "lenet5").graph().operators.indices
    var rng = SplitMix64(seed: 31)
    var (cases, changed) = (0, 0)
    for i in 0..<12 {
      var cost: [Int: Double] = [:]
      for op in ops { cost[op] = Double(rng.next() % 100) / 40 }
      let e = try explorer(WeightedProbe(digital: digital, cost: cost))
      let limit = Double(1 + rng.next() % 50) / 10
      let margin = i == 0 ? 0 : i == 1 ? limit : limit * Double(rng.next() % 100) / 100
      let withMargin = try await outcome(e, LionHeartStrategy(mode: mode, margin: margin), limit: limit)
      let lower = try await outcome(e, LionHeartStrategy(mode: mode), limit: limit - margin)
      let plain = try await outcome(e, LionHeartStrategy(mode: mode), limit: limit)
      #expect(withMargin.steps == lower.steps, "case \(i): X \(limit), δ \(margin)")
      #expect(withMargin.analog == lower.analog && withMargin.metThreshold == lower.metThreshold)
      #expect(withMargin.thresholdPoints == limit && withMargin.marginPoints == margin)
      #expect(lower.marginPoints == 0)
      #expect((withMargin.validation?.points ?? 0) <= limit - margin)
      cases += 1
      if withMargin.analog != plain.analog { changed += 1 }
    }
    #expect(cases == 12)
    #expect(changed >= 3, "the margin changed the set in \(changed) of 12 cases")
  }

  /// The lifetime schedule keeps every checkpoint within X − δ: the same period as at X − δ.
  @Test func theLifetimeScheduleUsesTheDecisionThreshold() async throws {
    let digital = try digitalTiers()
    let e = try explorer(WeightedProbe(digital: digital, cost: [:], growth: { t in 0.25 * max(1, 1 + log10(max(1, t) / 86_400)) }))
    let year = Time.seconds(365.25 * 86_400)
    let m = try await outcome(e, LionHeartStrategy(lifetime: year, margin: 0.25), limit: 1.25)
    let l = try await outcome(e, LionHeartStrategy(lifetime: year), limit: 1)
    let (a, b) = (try #require(m.lifetime), try #require(l.lifetime))
    #expect(a.periodSeconds == b.periodSeconds && a.reprogrammings == b.reprogrammings && a.movedToDigital == b.movedToDigital)
    #expect(a.checkpoints.count == b.checkpoints.count && a.checkpoints.count > 3)
    for p in a.checkpoints { #expect(p.with.points <= 1 + 1e-12, "\(p.seconds) s: \(p.with.points)") }
  }

  @Test func anOutOfRangeMarginIsOneClearError() async throws {
    let e = try explorer(WeightedProbe(digital: try digitalTiers()))
    var message = ""
    do {
      _ = try await e.run(LionHeartStrategy(margin: 1.5), goal: goal(1))
    } catch {
      message = "\(error.path ?? "-"): \(error.message)"
    }
    #expect(message == "--accuracy-margin: 1.5 points with --accuracy-drop 1.0", "\(message)")
    var rejected = 0
    for bad in ["-1", "abc", "nan", "inf"] {
      do {
        _ = try LionHeartStrategy.make(StrategyRequest(options: ["margin": bad], tierIDs: []))
        Issue.record("margin=\(bad) was accepted")
      } catch {
        #expect(error.path == "--accuracy-margin", "\(bad): \(error)")
        rejected += 1
      }
    }
    #expect(rejected == 4)
  }

  /// A report written before the margin existed decodes with margin 0; a new one round-trips it.
  @Test func theOutcomeCarriesTheMargin() throws {
    let o = LionHeartOutcome(
      mode: "full", thresholdPoints: 2, marginPoints: 0.5, atSeconds: 86_400, analogTier: "pcm0", validationImages: "v",
      testImages: "t", candidates: 1, totalMACs: 10, analogMACs: 0, analog: [], steps: [], validation: nil, test: nil,
      metThreshold: false, note: nil, digitalLatencySeconds: 1, digitalEnergyJoules: 1, latencySeconds: 1, energyJoules: 1,
      lifetime: nil, wallSeconds: 0)
    let data = try JSONEncoder().encode(o)
    #expect(try JSONDecoder().decode(LionHeartOutcome.self, from: data).marginPoints == 0.5)
    var old = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    old.removeValue(forKey: "marginPoints")
    let legacy = try JSONDecoder().decode(LionHeartOutcome.self, from: try JSONSerialization.data(withJSONObject: old))
    #expect(legacy.marginPoints == 0 && legacy.thresholdPoints == 2)
  }
}
