import Foundation
import Hardware
import HybrixCore
import Testing
import Workloads

@testable import Mapping
@testable import Search

/// A probe whose drop of a plan is the sum of a per-operator cost times g(time) for its analog
/// operators (exact, no noise): LionHeart's decisions can then be checked by brute force.
struct WeightedProbe: AccuracyProbe {
  let digital: Set<Int>
  /// Points each operator costs on a non-digital tier at the reference time (default 1).
  var cost: [Int: Double] = [:]
  /// Growth with time after programming (1 at every time by default).
  var growth: @Sendable (Double) -> Double = { _ in 1 }

  func sensitivity(operator op: Int, tier: Int, at time: Time) async throws(ConfigError) -> AccuracyDrop {
    drop(digital.contains(tier) ? 0 : (cost[op] ?? 1) * growth(time.seconds), time)
  }
  func drop(of plan: MappingPlan, at time: Time) async throws(ConfigError) -> AccuracyDrop {
    let points = plan.placements.indices.reduce(0.0) { sum, i in
      plan.placements[i].shares.contains { !digital.contains($0.tier) } ? sum + (cost[i] ?? 1) : sum
    }
    return drop(points * growth(time.seconds), time)
  }
  func drop(_ points: Double, _ time: Time) -> AccuracyDrop {
    AccuracyDrop(points: points, low95: points, high95: points, referenceAccuracy: 0.9, meanAccuracy: 0.9 - points / 100, repeats: 1, samples: 1, atSeconds: time.seconds)
  }
}

@Suite struct LionHeartStrategyTests {
  static let day = Time.seconds(86_400)

  func explorer(_ model: String = "lenet5", preset: String = "lionheart", probe: ((Set<Int>) -> any AccuracyProbe)? = { WeightedProbe(digital: $0) }) throws -> Explorer {
    let graph = try ModelZoo.model(named: model).graph()
    let arch = try PresetRegistry.architecture(named: preset)
    let digital = Set(arch.tiers.indices.filter { type(of: arch.tiers[$0]).kind == .digital })
    return Explorer(graph: graph, architecture: arch, precision: .int8, accuracy: probe?(digital))
  }

  func goal(_ points: Double, at t: Time = day) -> Goal { Goal([.latency], constraints: [.accuracyDrop(points: points, at: t)]) }

  func candidates(_ g: Graph) -> [Int] {
    g.operators.indices.filter { (g.operators[$0].kind == .conv || g.operators[$0].kind == .matmul) && g.operators[$0].secondOperand == .staticWeight }
  }

  /// One point per analog layer: the threshold k admits k layers, and greedy-by-MACs must then
  /// reach the brute-force maximum of analog MACs over every subset of at most k candidates.
  @Test(arguments: [LionHeartStrategy.Mode.full, .fast])
  func greedyByMACsMatchesBruteForce(mode: LionHeartStrategy.Mode) async throws {
    let e = try explorer()
    let ops = candidates(e.graph)
    #expect(ops.count == 5)
    let analogTier = try #require(e.architecture.tiers.firstIndex { type(of: $0).kind == .analog })
    var checked = 0
    for k in 0...ops.count {
      let s = LionHeartStrategy(mode: mode)
      let r = try await e.run(s, goal: goal(Double(k)))
      let outcome = try #require(s.recorder.outcome)
      var best = 0
      for mask in 0..<(1 << ops.count) where mask.nonzeroBitCount <= k {
        best = max(best, ops.indices.filter { mask & (1 << $0) != 0 }.reduce(0) { $0 + e.graph.operators[ops[$1]].macs })
      }
      #expect(outcome.analogMACs == best, "k = \(k): \(outcome.analog)")
      #expect(outcome.analog.count == k)
      #expect(outcome.metThreshold == (k > 0))
      let plan = try #require(r.front.points.first?.plan)
      #expect(plan.placements.filter { $0.shares.first?.tier == analogTier }.count == k)
      #expect((r.front.points.first?.accuracy?.points ?? -1) == Double(k))
      checked += 1
    }
    #expect(checked == 6)
  }

  /// Unequal per-layer costs: every accepted set stays within the threshold, and every rejected
  /// candidate would have broken it given the set accepted before it (the loop's definition).
  @Test func everyDecisionFollowsTheRule() async throws {
    let base = try explorer()
    let ops = candidates(base.graph)
    var rng = SplitMix64(seed: 9)
    var laws = 0
    for _ in 0..<8 {
      var cost: [Int: Double] = [:]
      for op in ops { cost[op] = Double(rng.next() % 100) / 25 }
      let probe = WeightedProbe(digital: [0], cost: cost)
      let e = Explorer(graph: base.graph, architecture: base.architecture, precision: .int8, accuracy: probe)
      let threshold = Double(rng.next() % 60) / 10
      let s = LionHeartStrategy()
      _ = try await e.run(s, goal: goal(threshold))
      let o = try #require(s.recorder.outcome)
      var set = 0.0
      for step in o.steps {
        let c = cost[step.operatorIndex] ?? 0
        switch step.decision {
        case .accepted:
          #expect(set + c <= threshold)
          set += c
        case .rejected: #expect(set + c > threshold)
        default: Issue.record("unexpected decision \(step.decision)")
        }
        laws += 1
      }
      // Candidates go by MACs, largest first.
      let macs = o.steps.map(\.macs)
      #expect(macs == macs.sorted(by: >))
      #expect((o.validation?.points ?? 0) <= threshold)
    }
    #expect(laws == 8 * ops.count)
  }

  /// A layer whose weights do not fit in the analog tiles left stays digital (one 128×256 tile,
  /// 32 KiB at int8: LeNet-5's fc1, 48 000 weights, does not fit; the other four, 13 470, do).
  @Test func tileCountIsRespected() async throws {
    var arch = try PresetRegistry.architecture(named: "lionheart")
    let analog = try #require(arch.tiers.firstIndex { type(of: $0).kind == .analog })
    var spec = AnalogTileSpec.alpineLike
    spec.common.id = arch.tiers[analog].id
    spec.common.count = 1
    spec.tileRows = 128
    arch.tiers[analog] = try AnalogTileTier(spec: spec)
    let graph = try ModelZoo.model(named: "lenet5").graph()
    let e = Explorer(graph: graph, architecture: arch, precision: .int8, accuracy: WeightedProbe(digital: [0]))
    let problem = e.problem()
    let capacity = try #require(problem.residency.capacity[analog])
    let s = LionHeartStrategy()
    _ = try await e.run(s, goal: goal(100))
    let o = try #require(s.recorder.outcome)
    let bytes = Dictionary(uniqueKeysWithValues: graph.operators.indices.map { (graph.operators[$0].name, problem.weightBytes[$0]) })
    let used = o.analog.reduce(0.0) { $0 + (bytes[$1] ?? 0) }
    #expect(used <= capacity)
    let refused = o.steps.filter { $0.decision == .noTiles }
    #expect(refused.map(\.operatorName) == ["fc1"], "\(o.steps)")
    #expect(o.analog.count == 4)
    for step in refused { #expect(used + problem.weightBytes[step.operatorIndex] > capacity) }
  }

  /// A threshold no layer meets returns the all-digital mapping and says so.
  @Test func impossibleThresholdGivesAllDigital() async throws {
    let e = try explorer()
    let s = LionHeartStrategy()
    let r = try await e.run(s, goal: goal(0.5))
    let o = try #require(s.recorder.outcome)
    #expect(o.analog.isEmpty && !o.metThreshold)
    #expect(o.note?.contains("all-digital") == true)
    #expect(r.isFeasible)
    #expect(r.mapping.placements.allSatisfy { $0.shares.allSatisfy { type(of: e.architecture.tiers[$0.tier]).kind == .digital } })
    #expect(o.speedup == 1 && o.energyGain == 1)
  }

  @Test func badInputIsOneClearError() async throws {
    let e = try explorer()
    let cases: [(Explorer, Goal, String)] = [
      (e, .minimise(.latency), "accuracy threshold"),
      (e, goal(-1), "≥ 0"),
      (e, goal(1, at: .seconds(-5)), "time ≥ 0"),
      (try explorer(probe: nil), goal(1), "trained weights"),
    ]
    var checked = 0
    for (explorer, g, fragment) in cases {
      do {
        _ = try await explorer.run(LionHeartStrategy(), goal: g)
        Issue.record("accepted \(g)")
      } catch {
        #expect("\(error.message) \(error.expected ?? "") \(error.hint ?? "")".contains(fragment), "\(error)")
        checked += 1
      }
    }
    // A preset without an analog tier.
    let noAnalog = try #require(PresetRegistry.names.first { name in
      (try? PresetRegistry.architecture(named: name))?.tiers.allSatisfy { type(of: $0).kind != .analog } == true
    })
    do {
      _ = try await explorer(preset: noAnalog).run(LionHeartStrategy(), goal: goal(1))
      Issue.record("accepted \(noAnalog)")
    } catch let error as ConfigError {
      #expect(error.message.contains("analog tier"), "\(error)")
      checked += 1
    }
    // Strategy options.
    for options in [["mode": "quick"], ["lifetime": "-1y"], ["lifetime": "0s"], ["speed": "1"]] {
      #expect(throws: ConfigError.self) { try LionHeartStrategy.make(StrategyRequest(options: options, tierIDs: ["cpu", "pcm0"])) }
      checked += 1
    }
    #expect(checked == 9)
  }

  /// A model with no conv or linear layer leaves nothing to place: one error naming the model.
  @Test func aModelWithoutConvOrLinearLayersIsOneClearError() async throws {
    var b = GraphBuilder(name: "no-products")
    let x = try b.input("x", [1, 64])
    let h = try b.elementwise("relu", "relu", [x])
    _ = try b.softmax("softmax", h)
    let graph = try b.finish()
    let arch = try PresetRegistry.architecture(named: "lionheart")
    let digital = Set(arch.tiers.indices.filter { type(of: arch.tiers[$0]).kind == .digital })
    let plain = Explorer(graph: graph, architecture: arch, precision: .int8, accuracy: WeightedProbe(digital: digital))
    var message = ""
    do {
      _ = try await plain.run(LionHeartStrategy(), goal: goal(1))
    } catch {
      message = "\(error.path ?? "-"): \(error.message)"
    }
    #expect(message == "MODEL: graph no-products has no conv or linear layer for lionheart to place", "\(message)")
  }

  /// Drift makes the drop grow as 1 + log10(t / 1 d) after a day: at 1 y four layers break the
  /// threshold, so the schedule re-programs at the longest checkpoint that keeps every one within it.
  @Test func lifetimeScheduleKeepsEveryCheckpointWithinTheThreshold() async throws {
    let e = try explorer(probe: { WeightedProbe(digital: $0, cost: [:], growth: { t in 0.25 * max(1, 1 + log10(max(1, t) / 86_400)) }) })
    let s = LionHeartStrategy(lifetime: .seconds(365.25 * 86_400))
    _ = try await e.run(s, goal: goal(1))
    let o = try #require(s.recorder.outcome)
    #expect(o.analog.count == 4)
    let l = try #require(o.lifetime)
    let period = try #require(l.periodSeconds)
    #expect(l.checkpoints.contains { $0.seconds == period })
    #expect(period <= 86_400 && period * sqrt(10) > 86_400)
    #expect(l.reprogrammings == Int((l.lifetimeSeconds / period).rounded(.up)) - 1)
    for p in l.checkpoints {
      #expect(p.with.points <= 1 + 1e-12, "\(p.seconds) s: \(p.with.points)")
      #expect(p.ageSeconds < period || p.seconds <= period)
    }
    #expect(l.checkpoints.last.map { $0.without.points > 1 } == true)
    #expect(l.energyPerReprogrammingJoules > 0 && l.totalEnergyJoules == l.energyPerReprogrammingJoules * Double(l.reprogrammings))
    #expect(l.movedToDigital.isEmpty)
  }
}
