import Hardware
import HybrixCore
import Testing
import Workloads

@testable import Mapping
@testable import Search

/// A probe whose drop is 1 point per operator share off the digital tiers (no noise), so the
/// driver's accuracy path can be checked exactly without data.
struct CountingProbe: AccuracyProbe {
  let digital: Set<Int>
  func sensitivity(operator op: Int, tier: Int, at time: Time) async throws(ConfigError) -> AccuracyDrop {
    drop(digital.contains(tier) ? 0 : 1, time)
  }
  func drop(of plan: MappingPlan, at time: Time) async throws(ConfigError) -> AccuracyDrop {
    drop(Double(plan.placements.reduce(0) { $0 + $1.shares.filter { !digital.contains($0.tier) }.count }), time)
  }
  func drop(_ points: Double, _ time: Time) -> AccuracyDrop {
    AccuracyDrop(points: points, low95: points, high95: points, referenceAccuracy: 0.9, meanAccuracy: 0.9 - points / 100, repeats: 1, samples: 1, atSeconds: time.seconds)
  }
}

@Suite struct AccuracyGoalTests {
  func explorer(probe: Bool) throws -> Explorer {
    let graph = try ModelZoo.model(named: "lenet5").graph()
    let arch = try PresetRegistry.architecture(named: "lionheart")
    let digital = Set(arch.tiers.indices.filter { type(of: arch.tiers[$0]).kind == .digital })
    return Explorer(graph: graph, architecture: arch, precision: .int8, accuracy: probe ? CountingProbe(digital: digital) : nil)
  }

  @Test func accuracyConstraintsGoThroughTheProbe() async throws {
    let e = try explorer(probe: true)
    let host = try #require(e.architecture.tiers.first { type(of: $0).kind == .digital }?.id)
    let analog = try #require(e.architecture.tiers.first { type(of: $0).kind == .analog }?.id)
    let goal = Goal([.latency], constraints: [.accuracyDrop(points: 0.5, at: .seconds(86_400))])

    let digital = try await e.run(HomogeneousStrategy(tier: host), goal: goal)
    #expect(digital.isFeasible)
    #expect(digital.front.points.first?.accuracy?.points == 0)
    #expect(digital.statistics.accuracyProbes == 1)

    let onAnalog = try await e.run(HomogeneousStrategy(tier: analog), goal: goal)
    #expect(!onAnalog.isFeasible)
    let reason = onAnalog.result.infeasible.first?.statement ?? ""
    #expect(reason.contains("accuracy drop") && reason.contains("exceeds the constraint"), "\(reason)")
    #expect(onAnalog.statistics.infeasible == 1 && onAnalog.statistics.accuracyProbes == 1)

    // A looser bound admits the analog mapping: its drop is one point per analog operator.
    let analogOps = Double(onAnalog.mapping.placements.filter { $0.shares.contains { e.architecture.tiers[$0.tier].id == analog } }.count)
    let loose = try await e.run(HomogeneousStrategy(tier: analog), goal: Goal([.latency], constraints: [.accuracyDrop(points: analogOps, at: .seconds(1))]))
    #expect(loose.isFeasible)
    #expect(loose.front.points.first?.accuracy?.points == analogOps)
  }

  /// The probe runs only for mappings that meet every cost constraint (it is the expensive check).
  @Test func probeRunsOnlyAfterCostConstraintsPass() async throws {
    let e = try explorer(probe: true)
    let goal = Goal([.latency], constraints: [.atMost(.latency, 1e-15), .accuracyDrop(points: 100, at: .seconds(1))])
    let r = try await e.run(GreedyStrategy(), goal: goal)
    #expect(!r.isFeasible)
    #expect(r.statistics.accuracyProbes == 0)
  }

  @Test func accuracyConstraintWithoutProbeIsAClearError() async throws {
    let e = try explorer(probe: false)
    do {
      _ = try await e.run(GreedyStrategy(), goal: Goal([.latency], constraints: [.accuracyDrop(points: 1, at: .seconds(1))]))
      Issue.record("accepted an accuracy constraint without a probe")
    } catch {
      #expect(error.message.contains("accuracy constraint"))
      #expect(error.hint?.contains("hybrix train") == true)
    }
  }

  @Test func goalsParseAndRejectBadInput() throws {
    let g = try Goal.parse(objectives: "latency, energy", constraints: ["latency<=2ms", "area <= 50 mm2", "accuracy-drop<=1@1d", "edp<=1e-6"])
    #expect(g.objectives == [.latency, .energy])
    #expect(g.constraints == [.atMost(.latency, try Time.parse("2ms").seconds), .atMost(.area, Area.squareMillimetres(50).baseValue), .accuracyDrop(points: 1, at: .seconds(86_400)), .atMost(.edp, 1e-6)])
    for (objectives, constraints, fragment) in [
      ("latncy", [String](), "did you mean latency?"), ("", [], "no objective"), ("latency,latency", [], "named twice"),
      ("latency", ["latency<2ms"], "has no <="), ("latency", ["latency<=2"], "no unit"), ("latency", ["lat<=2ms"], "unknown metric"),
      ("latency", ["latency<=0s"], "limit"), ("latency", ["accuracy-drop<=-1@1d"], "negative drop"),
      ("latency", ["energy<=2ms"], "unit of time"),
    ] {
      do {
        _ = try Goal.parse(objectives: objectives, constraints: constraints)
        Issue.record("accepted \(objectives) \(constraints)")
      } catch {
        #expect("\(error)".contains(fragment), "\(error)")
      }
    }
  }

  @Test func budgetsRejectZero() {
    for (t, n) in [("0", nil), ("0s", nil), ("-1s", nil), (nil, 0), (nil, -3)] as [(String?, Int?)] {
      #expect(throws: ConfigError.self) { try SearchBudget.parse(timeLimit: t, evaluations: n) }
    }
    #expect((try? SearchBudget.parse(timeLimit: "250ms", evaluations: 10)) == SearchBudget(timeLimit: .seconds(0.25), evaluations: 10))
  }
}
