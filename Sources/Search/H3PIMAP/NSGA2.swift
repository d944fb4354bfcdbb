import Foundation
import HybrixCore

/// One candidate of a generation: its point, its objective values (minimised) and how far it
/// breaks the goal's bounds (0 when it meets them).
public struct Candidate: Sendable {
  public var genome: SplitGenome
  public var values: [Double]
  public var violation: Double
  /// ``SplitGenome/fingerprint``, computed once.
  var key: UInt64 = 0
  var rank = 0
  var crowding = 0.0
}

/// What the engine reports after each generation.
public struct GenerationReport: Sendable {
  public var generation: Int
  public var generations: Int
  /// Candidates on the first non-dominated front.
  public var frontSize: Int
  /// Hypervolume of that front, normalised by the initial population's box (0…1).
  public var hypervolume: Double
}

/// NSGA-II (Deb et al., 2002) over a ``SplitSpace``, as H3PIMAP's stage 1 runs it (papers.md
/// §7.2): non-dominated sorting with crowding distance, binary tournaments, uniform crossover of
/// whole operators, mutation that moves parts between tiers, constraint domination (a point that
/// meets the bounds beats one that does not; among those that do not, the smaller violation
/// wins) and elitist (µ+λ) survival. Every random draw comes from the caller's generator.
///
/// - Complexity: O(generations × population² × objectives) for the sorting, plus one
///   evaluation per child.
public struct NSGA2 {
  public var population: Int
  public var generations: Int
  public var crossoverProbability = 0.9

  public init(population: Int, generations: Int) {
    self.population = max(4, population)
    self.generations = max(0, generations)
  }

  /// Runs from `seeds` (kept, then filled with random points) and returns the last population,
  /// sorted by rank and crowding. `evaluate` gives objective values and violation, or `nil` for a
  /// point that cannot run; `stop` is asked before each generation.
  public func run(
    space: SplitSpace, seeds: [SplitGenome], rng: inout SplitMix64,
    evaluate: (SplitGenome) -> (values: [Double], violation: Double)?,
    stop: () -> Bool = { false }, report: (GenerationReport) -> Void = { _ in }
  ) -> [Candidate] {
    func candidate(_ g: SplitGenome) -> Candidate {
      guard let e = evaluate(g) else { return Candidate(genome: g, values: [], violation: .infinity, key: g.fingerprint) }
      return Candidate(genome: g, values: e.values, violation: e.violation, key: g.fingerprint)
    }
    var pop: [Candidate] = []
    var seen = Set<UInt64>()
    for g in seeds where space.contains(g) && seen.insert(g.fingerprint).inserted { pop.append(candidate(g)) }
    var attempts = 0
    while pop.count < population && attempts < population * 20 {
      attempts += 1
      let g = randomPoint(space, rng: &rng)
      if seen.insert(g.fingerprint).inserted { pop.append(candidate(g)) }
    }
    guard let width = pop.first(where: { !$0.values.isEmpty })?.values.count else { return pop }
    let box = Self.box(pop, width: width)
    pop = Self.survivors(pop, count: pop.count)
    for gen in 0..<generations {
      if stop() { break }
      var children: [Candidate] = []
      while children.count < population {
        let a = tournament(pop, rng: &rng)
        let b = tournament(pop, rng: &rng)
        var (x, y) = (a.genome, b.genome)
        if Double.random(in: 0..<1, using: &rng) < crossoverProbability { crossover(&x, &y, space, rng: &rng) }
        mutate(&x, space, rng: &rng)
        mutate(&y, space, rng: &rng)
        children.append(candidate(x))
        if children.count < population { children.append(candidate(y)) }
      }
      pop = Self.survivors(Self.unique(pop + children), count: population)
      let first = pop.filter { $0.rank == 0 && $0.violation == 0 && !$0.values.isEmpty }
      report(GenerationReport(
        generation: gen + 1, generations: generations, frontSize: first.count,
        hypervolume: box.map { Hypervolume.normalised(first.map(\.values), ideal: $0.ideal, reference: $0.reference) } ?? 0))
    }
    return pop
  }

  /// Ideal and 1.1 × nadir of the feasible candidates, for a progress hypervolume.
  static func box(_ pop: [Candidate], width: Int) -> (ideal: [Double], reference: [Double])? {
    let ok = pop.filter { $0.violation == 0 && $0.values.count == width }
    guard !ok.isEmpty else { return nil }
    let ideal = (0..<width).map { m in ok.map { $0.values[m] }.min() ?? 0 }
    let nadir = (0..<width).map { m in ok.map { $0.values[m] }.max() ?? 0 }
    return (ideal, zip(ideal, nadir).map { $1 + 0.1 * max($1 - $0, abs($1) * 1e-9) })
  }

  /// `c` without repeated points (by fingerprint; the first of each is kept).
  static func unique(_ c: [Candidate]) -> [Candidate] {
    var seen = Set<UInt64>()
    return c.filter { seen.insert($0.key).inserted }
  }

  /// Whether `a` beats `b` under constraint domination.
  static func beats(_ a: Candidate, _ b: Candidate) -> Bool {
    if a.violation != b.violation { return a.violation < b.violation }
    guard a.violation == 0 else { return false }
    var better = false
    for (x, y) in zip(a.values, b.values) {
      if x > y { return false }
      if x < y { better = true }
    }
    return better
  }

  /// The best `count` of `c` by rank, then crowding (ties: earlier first), with ranks and
  /// crowding distances set.
  static func survivors(_ c: [Candidate], count: Int) -> [Candidate] {
    var c = c
    var dominatedBy = [Int](repeating: 0, count: c.count)
    var dominates = [[Int]](repeating: [], count: c.count)
    for i in c.indices {
      for j in c.indices where i != j {
        if beats(c[i], c[j]) { dominates[i].append(j) } else if beats(c[j], c[i]) { dominatedBy[i] += 1 }
      }
    }
    var current = c.indices.filter { dominatedBy[$0] == 0 }
    var rank = 0
    var out: [Candidate] = []
    while !current.isEmpty {
      for i in current { c[i].rank = rank }
      crowd(&c, current)
      let sorted = current.sorted { c[$0].crowding != c[$1].crowding ? c[$0].crowding > c[$1].crowding : $0 < $1 }
      for i in sorted where out.count < count { out.append(c[i]) }
      if out.count >= count { break }
      var next: [Int] = []
      for i in current {
        for j in dominates[i] {
          dominatedBy[j] -= 1
          if dominatedBy[j] == 0 { next.append(j) }
        }
      }
      current = next.sorted()
      rank += 1
    }
    return out
  }

  static func crowd(_ c: inout [Candidate], _ front: [Int]) {
    for i in front { c[i].crowding = 0 }
    guard let width = front.first.map({ c[$0].values.count }), width > 0 else {
      for i in front { c[i].crowding = .infinity }
      return
    }
    for m in 0..<width {
      let s = front.sorted { c[$0].values[m] != c[$1].values[m] ? c[$0].values[m] < c[$1].values[m] : $0 < $1 }
      guard let lo = s.first, let hi = s.last else { continue }
      let span = c[hi].values[m] - c[lo].values[m]
      c[lo].crowding = .infinity
      c[hi].crowding = .infinity
      guard span > 0, s.count > 2 else { continue }
      for k in 1..<(s.count - 1) { c[s[k]].crowding += (c[s[k + 1]].values[m] - c[s[k - 1]].values[m]) / span }
    }
  }

  func tournament(_ pop: [Candidate], rng: inout SplitMix64) -> Candidate {
    let a = pop[Int.random(in: 0..<pop.count, using: &rng)]
    let b = pop[Int.random(in: 0..<pop.count, using: &rng)]
    if a.rank != b.rank { return a.rank < b.rank ? a : b }
    return a.crowding >= b.crowding ? a : b
  }

  /// A uniformly random tier per operator, split at random for products.
  func randomPoint(_ space: SplitSpace, rng: inout SplitMix64) -> SplitGenome {
    var g = SplitGenome(operators: space.operatorCount, tiers: space.tierCount)
    for op in 0..<space.operatorCount {
      let a = space.allowed[op]
      if !space.splittable[op] || a.count == 1 || Bool.random(using: &rng) {
        g[op, a[Int.random(in: 0..<a.count, using: &rng)], space.tierCount] = space.grid
      } else {
        for _ in 0..<space.grid { g[op, a[Int.random(in: 0..<a.count, using: &rng)], space.tierCount] += 1 }
      }
    }
    return g
  }

  /// Swaps whole operators between `x` and `y`, each with probability ½.
  func crossover(_ x: inout SplitGenome, _ y: inout SplitGenome, _ space: SplitSpace, rng: inout SplitMix64) {
    let t = space.tierCount
    var bits: UInt64 = 0
    for op in 0..<space.operatorCount {
      if op % 64 == 0 { bits = rng.next() }
      guard bits & (1 << UInt64(op % 64)) != 0 else { continue }
      for k in (op * t)..<(op * t + t) { swap(&x.units[k], &y.units[k]) }
    }
  }

  /// Changes each operator with probability 1/operators (at least one): a whole operator to
  /// another tier, or, for a product, up to a quarter of the grid from one of its tiers to another.
  func mutate(_ g: inout SplitGenome, _ space: SplitSpace, rng: inout SplitMix64) {
    let n = space.operatorCount
    let t = space.tierCount
    // One operator always, then each with probability 1/n (positions by geometric skips).
    var chosen = [Int.random(in: 0..<n, using: &rng)]
    if n > 1 {
      let q = log(1 - 1 / Double(n))
      var i = -1
      while true {
        let u = max(rng.nextUnitDouble(), .leastNonzeroMagnitude)
        i += 1 + Int(log(u) / q)
        guard i < n else { break }
        if i != chosen[0] { chosen.append(i) }
      }
    }
    for op in chosen {
      let a = space.allowed[op]
      guard a.count > 1 else { continue }
      let row = g.row(op, t)
      let from = a.filter { row[$0] > 0 }
      guard let src = from.randomElement(using: &rng) else { continue }
      let dst = a.filter { $0 != src }[Int.random(in: 0..<(a.count - 1), using: &rng)]
      if !space.splittable[op] || Int.random(in: 0..<3, using: &rng) == 0 {
        for k in 0..<t { g[op, k, t] = 0 }
        g[op, dst, t] = space.grid
      } else {
        let step = min(row[src], Int.random(in: 1...max(1, space.grid / 4), using: &rng))
        g[op, src, t] -= step
        g[op, dst, t] += step
      }
    }
  }
}
