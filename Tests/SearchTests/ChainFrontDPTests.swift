import HybrixCore
import Testing
import Workloads

@testable import Hardware
@testable import Search

/// Random per-share cost curves with the shapes the cost model has: seconds grow in steps
/// (crossbars or cores filled), joules grow with the parts plus a fixed cost per used tier.
final class SyntheticCurves: ShareCostSource {
  let grid: Int
  let base: [[(seconds: Double, joules: Double, fixed: Double, steps: Int)]]

  init(operators: Int, tiers: Int, grid: Int, rng: inout SplitMix64) {
    self.grid = grid
    base = (0..<operators).map { _ in
      (0..<tiers).map { _ in
        (Double.random(in: 0.1...10, using: &rng), Double.random(in: 0.1...10, using: &rng),
         Double.random(in: 0...1, using: &rng), Int.random(in: 1...4, using: &rng))
      }
    }
  }

  func cost(op: Int, tier: Int, units: Int, resident: Bool) -> ShareCost? {
    guard units > 0 else { return ShareCost(seconds: 0, joules: 0) }
    let b = base[op][tier]
    let f = Double(units) / Double(grid)
    return ShareCost(seconds: b.seconds * (f * Double(b.steps)).rounded(.up) / Double(b.steps), joules: b.joules * f + b.fixed)
  }
}

/// The chain DP against brute force, and the NSGA-II front against the DP's exact front.
@Suite struct ChainFrontDPTests {
  /// Every combination of every operator's options, its (seconds, joules), non-dominated.
  static func bruteForce(_ space: SplitSpace, _ source: any ShareCostSource) -> [(Double, Double)] {
    let opts = (0..<space.operatorCount).map { op in
      ChainFrontDP.options(space, op: op).compactMap { ChainFrontDP.cost($0, op: op, source: source) }
    }
    var all: [(Double, Double, Int)] = []
    var index = [Int](repeating: 0, count: opts.count)
    outer: while true {
      var s = 0.0
      var j = 0.0
      for (op, i) in index.enumerated() {
        s += opts[op][i].0
        j += opts[op][i].1
      }
      all.append((s, j, 0))
      var k = opts.count - 1
      while k >= 0 {
        index[k] += 1
        if index[k] < opts[k].count { continue outer }
        index[k] = 0
        k -= 1
      }
      break
    }
    return ChainFrontDP.prune(all).map { ($0.0, $0.1) }
  }

  static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1e-300) }

  static func space(operators: Int, tiers: Int, grid: Int, rng: inout SplitMix64) -> SplitSpace {
    let allowed = (0..<operators).map { _ in
      let a = (0..<tiers).filter { _ in Int.random(in: 0..<4, using: &rng) != 0 }
      return a.isEmpty ? [Int.random(in: 0..<tiers, using: &rng)] : a
    }
    return SplitSpace(grid: grid, tierCount: tiers, allowed: allowed, splittable: (0..<operators).map { _ in Int.random(in: 0..<5, using: &rng) != 0 })
  }

  @Test func dpEqualsBruteForceOnSmallChains() {
    var rng = SplitMix64(seed: 2026)
    var cases = 0
    var points = 0
    for operators in 1...8 {
      for trial in 0..<6 {
        // Keep brute force small: a finer grid on shorter chains.
        let (tiers, grid) = operators <= 4 ? (3, trial % 2 == 0 ? 4 : 3) : (operators <= 6 ? (3, 2) : (2, 2))
        let space = Self.space(operators: operators, tiers: tiers, grid: grid, rng: &rng)
        let curves = SyntheticCurves(operators: operators, tiers: tiers, grid: grid, rng: &rng)
        let dp = ChainFrontDP.front(space: space, source: curves)
        let brute = Self.bruteForce(space, curves)
        #expect(dp.count == brute.count, "\(operators) operators, trial \(trial): DP \(dp.count) points, brute force \(brute.count)")
        for (p, b) in zip(dp, brute) {
          #expect(Self.close(p.seconds, b.0) && Self.close(p.joules, b.1))
          // The DP's mapping has the figures it claims under the separable model.
          #expect(space.contains(p.genome))
          let c = SeparableModel(space: space, source: curves, tierAreas: [Double](repeating: 0, count: tiers)).cost(p.genome)
          #expect(c.map { Self.close($0.latency.seconds, p.seconds) && Self.close($0.energy.joules, p.joules) } == true)
        }
        points += dp.count
        cases += 1
      }
    }
    #expect(cases == 48)
    #expect(points >= 48 * 2, "fronts too small to mean anything: \(points) points in \(cases) cases")
  }

  /// DP == brute force on a real chain's cost curves (the MLP on the h3pimap preset).
  @Test func dpEqualsBruteForceOnTheMLP() throws {
    let explorer = try StrategyConformanceTests.explorer("mlp", ZooOptions(batch: 4), "h3pimap")
    let curves = CostCurves(problem: explorer.problem(), grid: 2)
    #expect(curves.space.operatorCount >= 2 && curves.space.operatorCount <= 8)
    let dp = ChainFrontDP.front(space: curves.space, source: curves)
    let brute = Self.bruteForce(curves.space, curves)
    #expect(dp.count == brute.count && dp.count >= 2)
    for (p, b) in zip(dp, brute) { #expect(Self.close(p.seconds, b.0) && Self.close(p.joules, b.1)) }
  }

  /// NSGA-II on the same separable model reaches ≥ 99 % of the exact front's hypervolume
  /// (normalised to the exact front's box, reference 10 % beyond its nadir).
  static func ratio(_ space: SplitSpace, _ source: any ShareCostSource, seed: UInt64, population: Int, generations: Int, scalarised: Bool = true) -> Double {
    let exact = ChainFrontDP.front(space: space, source: source)
    let model = SeparableModel(space: space, source: source, tierAreas: [Double](repeating: 0, count: space.tierCount))
    var rng = SplitMix64(seed: seed)
    let seeds = (0..<space.tierCount).map { space.homogeneous($0, fallback: 0) } + [space.equalSplit(fallback: 0)]
      + (scalarised ? ScalarisedSeeds.points(space, source: source, weights: ScalarisedSeeds.weights(9)) : [])
    let last = NSGA2(population: population, generations: generations).run(space: space, seeds: seeds, rng: &rng) { g in
      model.cost(g).map { ([$0.latency.seconds, $0.energy.joules], 0) }
    }
    let found = last.filter { $0.rank == 0 }.map(\.values)
    let ideal = [exact.map(\.seconds).min() ?? 0, exact.map(\.joules).min() ?? 0]
    let nadir = [exact.map(\.seconds).max() ?? 0, exact.map(\.joules).max() ?? 0]
    let ref = zip(ideal, nadir).map { $1 + 0.1 * ($1 - $0) }
    let exactHV = Hypervolume.normalised(exact.map { [$0.seconds, $0.joules] }, ideal: ideal, reference: ref)
    return Hypervolume.normalised(found, ideal: ideal, reference: ref) / exactHV
  }

  @Test func nsga2ReachesTheExactFrontOnChains() throws {
    var rng = SplitMix64(seed: 77)
    var cases = 0
    var worst = 1.0
    var searchMattered = 0
    for trial in 0..<6 {
      let space = Self.space(operators: 6, tiers: 3, grid: 8, rng: &rng)
      let curves = SyntheticCurves(operators: 6, tiers: 3, grid: 8, rng: &rng)
      let r = Self.ratio(space, curves, seed: UInt64(trial + 1), population: 32, generations: 100)
      let start = Self.ratio(space, curves, seed: UInt64(trial + 1), population: 32, generations: 0)
      #expect(r >= 0.99, "synthetic chain \(trial): \(r)")
      if start < 0.99 { searchMattered += 1 }
      worst = min(worst, r)
      cases += 1
    }
    for (model, options) in [("mlp", ZooOptions(batch: 4)), ("lenet5", ZooOptions())] {
      let explorer = try StrategyConformanceTests.explorer(model, options, "h3pimap")
      let curves = CostCurves(problem: explorer.problem(), grid: 8)
      let r = Self.ratio(curves.space, curves, seed: 5, population: 32, generations: 100)
      #expect(r >= 0.99, "\(model): \(r)")
      worst = min(worst, r)
      cases += 1
    }
    #expect(cases == 8)
    // The starting points alone do not reach the front: the search does the work.
    #expect(searchMattered >= 3, "only \(searchMattered) of 6 chains needed the search")
    print("NSGA-II / exact hypervolume, worst of \(cases) chains: \(worst)")
  }
}
