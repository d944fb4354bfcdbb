import Hardware
import HybrixCore
import Mapping
import Testing
import Workloads

@testable import Search

/// A probe whose drop is exact: Σ over product rows of the row's sensitivity × its tier's
/// noise, reading each row's tier from the plan's shares, extents and ``Placement/rowOrder``
/// exactly as the accuracy side does.
struct RowWeightedProbe: AccuracyProbe {
  let graph: Graph
  let sensitivity: RowSensitivity
  let noise: [Double]

  func rowTiers(_ p: Placement, n: Int) -> [Int] {
    var out = [Int](repeating: p.shares[0].tier, count: n)
    guard p.shares.count > 1 else { return out }
    let order = p.rowOrder ?? Array(0..<n)
    for (i, r) in p.extents(of: n).enumerated() { for row in order[r] { out[row] = p.shares[i].tier } }
    return out
  }

  func value(_ plan: MappingPlan) -> Double {
    var total = 0.0
    for (op, p) in plan.placements.enumerated() {
      guard let s = sensitivity.rows[op] else { continue }
      for (row, t) in rowTiers(p, n: s.count).enumerated() { total += s[row] * noise[t] }
    }
    return total
  }
  func sensitivity(operator op: Int, tier: Int, at time: Time) async throws(ConfigError) -> AccuracyDrop {
    exact((sensitivity.rows[op] ?? []).reduce(0, +) * noise[tier], time)
  }
  func drop(of plan: MappingPlan, at time: Time) async throws(ConfigError) -> AccuracyDrop { exact(value(plan), time) }
  func exact(_ points: Double, _ time: Time) -> AccuracyDrop {
    AccuracyDrop(points: points, low95: points, high95: points, referenceAccuracy: 0.9, meanAccuracy: 0.9 - points / 100, repeats: 1, samples: 1, atSeconds: time.seconds)
  }
}

@Suite struct RowRemapTests {
  // h3pimap's tiers: host, reram0, cim0, lt0 — host exact, then cim0 < reram0 < lt0.
  static let noise = [0.0, 0.02, 0.01, 0.05]
  static let day = Time.seconds(86_400)

  static func setup() throws -> (MappingProblem, RowSensitivity, RowWeightedProbe, SplitSpace) {
    let graph = try ModelZoo.model(named: "mlp").graph(ZooOptions(batch: 1))
    let arch = try PresetRegistry.architecture(named: "h3pimap")
    var rng = SplitMix64(seed: 9)
    let s = RowSensitivity(
      method: .proxy, detail: "random test sensitivities",
      rows: graph.operators.map { op in op.matmul.map { m in (0..<m.n).map { _ in Double(rng.next() % 1000) / 1000 } } })
    let probe = RowWeightedProbe(graph: graph, sensitivity: s, noise: noise)
    let problem = Explorer(graph: graph, architecture: arch, precision: .int8, accuracy: probe).problem()
    return (problem, s, probe, CostCurves(problem: problem, grid: 16).space)
  }

  static func stage(_ problem: MappingProblem, _ s: RowSensitivity, _ probe: RowWeightedProbe, _ space: SplitSpace, limit: Double) -> RowRemapStage {
    RowRemapStage(problem: problem, probe: probe, limit: limit, time: day, sensitivity: s, tierError: noise, allowed: space.allowed, stepFraction: 1.0 / 32)
  }

  @Test func stepsMoveTheMostSensitiveRowsFromTheNoisiestTierUntilTheLimitHolds() async throws {
    let (problem, s, probe, space) = try Self.setup()
    let start = space.plan(space.equalSplit(fallback: problem.hostTier))
    let startDrop = probe.value(start)
    let limit = startDrop * 0.4
    let (trace, plan) = try await Self.stage(problem, s, probe, space, limit: limit).run(start: start)

    // Step 0 keeps each operator's row counts per tier and deals the rows by sensitivity.
    let rank = Self.stage(problem, s, probe, space, limit: limit).rank
    let first = RowAssignment(plan: start, rows: problem.graph.operators.map { $0.matmul?.n }, sensitivity: s, rank: rank)
    var dealt = 0
    for (op, rows) in first.tierOfRow.enumerated() {
      guard let rows, let sens = s.rows[op] else { continue }
      let original = probe.rowTiers(start.placements[op], n: rows.count)
      for t in 0..<4 { #expect(rows.filter { $0 == t }.count == original.filter { $0 == t }.count) }
      for a in rows.indices { for b in rows.indices where rank[rows[a]] < rank[rows[b]] { #expect(sens[a] >= sens[b]) } }
      dealt += 1
    }
    #expect(dealt == 3)
    #expect(trace.steps[0].drop.points <= startDrop)

    // Each later step moves stepRows rows from one source to one more precise target, and the
    // drop falls step by step until it first meets the limit.
    #expect(trace.met && trace.steps.count >= 3)
    for (i, step) in trace.steps.enumerated().dropFirst() {
      #expect(step.moved.reduce(0) { $0 + $1.rows.count } == trace.stepRows)
      #expect(Set(step.moved.map(\.from)).count == 1 && Set(step.moved.map(\.to)).count == 1)
      #expect(step.drop.points < trace.steps[i - 1].drop.points)
    }
    // The noisiest tier (lt0) is emptied first, towards the exact host.
    #expect(trace.steps[1].moved.first?.from == "lt0" && trace.steps[1].moved.first?.to == "host")
    #expect(trace.steps.last.map { $0.drop.points <= limit } == true)
    #expect(trace.steps.dropLast().allSatisfy { $0.drop.points > limit })
    #expect(abs(probe.value(plan) - (trace.steps.last?.drop.points ?? -1)) < 1e-12)
    // The cost of each step is the simulator's for that step's plan (row counts, not identities).
    #expect(trace.steps.allSatisfy { $0.latencySeconds > 0 && $0.energyJoules > 0 })
  }

  @Test func anUnmeetableLimitSaysSoAndReturnsTheMostAccurateStep() async throws {
    let (problem, s, probe, space) = try Self.setup()
    let start = space.plan(space.equalSplit(fallback: problem.hostTier))
    let (trace, plan) = try await Self.stage(problem, s, probe, space, limit: -1).run(start: start)
    #expect(!trace.met)
    let best = try #require(trace.steps.indices.min { trace.steps[$0].drop.points < trace.steps[$1].drop.points })
    #expect(trace.mostAccurateStep == best)
    #expect(probe.value(plan) == trace.steps[best].drop.points)
    // Every row ends on the exact host: nothing can move further.
    #expect(trace.steps[best].drop.points == 0)

    // Through the strategy: no point meets the constraint, so the front is empty, and the
    // trace names the most accurate point.
    let recorder = RowRemapRecorder()
    var strategy = H3PIMAPStrategy(population: 8, generations: 2, recorder: recorder)
    strategy.sensitivity = s
    strategy.tierError = Self.noise
    let explorer = Explorer(graph: problem.graph, architecture: try PresetRegistry.architecture(named: "h3pimap"), precision: .int8, accuracy: probe)
    let result = try await explorer.run(strategy, goal: Goal([.latency, .energy], constraints: [.accuracyDrop(points: -1, at: Self.day)]), seed: 1)
    #expect(result.front.isEmpty)
    #expect(recorder.trace?.met == false)
  }

  @Test func theStrategyReturnsOnlyPointsMeetingTheConstraint() async throws {
    let (problem, s, probe, _) = try Self.setup()
    let recorder = RowRemapRecorder()
    var strategy = H3PIMAPStrategy(population: 8, generations: 2, recorder: recorder)
    strategy.sensitivity = s
    strategy.tierError = Self.noise
    let explorer = Explorer(graph: problem.graph, architecture: try PresetRegistry.architecture(named: "h3pimap"), precision: .int8, accuracy: probe)
    let limit = 1.0
    let result = try await explorer.run(strategy, goal: Goal([.latency, .energy], constraints: [.accuracyDrop(points: limit, at: Self.day)]), seed: 1)
    let trace = try #require(recorder.trace)
    #expect(trace.met)
    #expect(!result.front.isEmpty)
    for p in result.front.points {
      let d = try #require(p.accuracy)
      #expect(d.points <= limit && abs(d.points - probe.value(p.plan)) < 1e-12)
    }
    #expect(trace.before.count >= 1 && trace.after.count == result.front.count)
  }

  /// The proxy (no weights): 100 × Σ S_r e_t(r) / Σ S_r, rows read through rowOrder.
  @Test func theProxyProbeIsTheSensitivityWeightedTierError() async throws {
    let (problem, s, _, _) = try Self.setup()
    let probe = ProxyAccuracyProbe(sensitivity: s, tierError: Self.noise)
    let ops = problem.graph.operators.count
    for t in 0..<4 {
      let d = try await probe.drop(of: .uniform(t, operators: ops), at: Self.day)
      #expect(abs(d.points - 100 * Self.noise[t]) < 1e-12 && d.low95 == d.points)
    }
    // One operator split: its first 3 rows (in rowOrder) on lt0, the rest on the host.
    let op = try #require(problem.graph.operators.firstIndex { $0.matmul != nil })
    let rows = try #require(s.rows[op])
    let order = Array(rows.indices.reversed())
    var plan = MappingPlan.uniform(0, operators: ops)
    plan.placements[op] = Placement(
      shares: [TierShare(tier: 3, fraction: 3 / Double(rows.count)), TierShare(tier: 0, fraction: 1 - 3 / Double(rows.count))],
      axis: .n, rowOrder: order)
    let all = s.rows.reduce(0.0) { $0 + ($1?.reduce(0, +) ?? 0) }
    let expected = 100 * order.prefix(3).reduce(0.0) { $0 + rows[$1] } * Self.noise[3] / all
    #expect(abs(probe.value(of: plan) - expected) < 1e-12 * max(1, expected))
  }
}
