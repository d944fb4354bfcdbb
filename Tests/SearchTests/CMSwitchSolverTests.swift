import HybrixCore
import Testing

@testable import Search

/// The per-segment MIP [issue 11]: the exact specialised solver equals CBC's proven optimum on
/// random small segments, and its allocations keep every constraint of the MIP.
@Suite struct CMSwitchSolverTests {
  /// A random segment: non-increasing times, random caps and producer edges, a small chip. Half
  /// the operators are separable (`max(compute(c), memory(m))`), half work in rounds whose
  /// traffic grows as compute arrays shrink (`max(compute(c), memory(m) · rounds(c))`).
  static func randomProblem(_ rng: inout SplitMix64) -> SegmentAllocationProblem {
    let n = Int.random(in: 1...4, using: &rng)
    let arrays = Int.random(in: n...16, using: &rng)
    var ops: [SegmentAllocationProblem.Operator] = []
    for j in 0..<n {
      var compute: [Double] = []
      var s = Double(Int.random(in: 50...400, using: &rng))
      for _ in 1...arrays {
        compute.append(s)
        s = max(1, s - Double(Int.random(in: 0...60, using: &rng)))
      }
      let inputCap = Int.random(in: 0...4, using: &rng)
      let outputCap = Int.random(in: 0...4, using: &rng)
      var memory: [Double] = []
      var m = Double(Int.random(in: 20...400, using: &rng))
      for _ in 0...min(inputCap + outputCap, arrays - 1) {
        memory.append(m)
        m = max(1, m - Double(Int.random(in: 0...90, using: &rng)))
      }
      let producer = j > 0 && Bool.random(using: &rng) ? Int.random(in: 0..<j, using: &rng) : nil
      if Bool.random(using: &rng) {
        ops.append(.init(computeSeconds: compute, memorySeconds: memory, inputCap: inputCap, outputCap: outputCap, producer: producer))
      } else {
        let weights = Int.random(in: 1...(2 * arrays), using: &rng)
        var choices: [SegmentAllocationProblem.Choice] = []
        for c in 1...arrays {
          let rounds = Double((weights + c - 1) / c)
          for (k, t) in memory.enumerated() { choices.append(.init(compute: c, memory: k, seconds: max(compute[c - 1], t * rounds))) }
        }
        ops.append(.init(choices: choices, inputCap: inputCap, outputCap: outputCap, producer: producer))
      }
    }
    return SegmentAllocationProblem(operators: ops, arrays: arrays)
  }

  /// Whether `a` keeps the MIP's constraints for `p`, and its seconds are what it claims.
  static func keeps(_ a: SegmentAllocation, _ p: SegmentAllocationProblem) -> Bool {
    var fromProducer = [Int](repeating: 0, count: p.operators.count)
    for (j, o) in p.operators.enumerated() {
      let m = a.inputBuffers[j] + a.outputBuffers[j]
      guard a.compute[j] >= 1, a.inputBuffers[j] <= o.inputCap, a.outputBuffers[j] <= o.outputCap,
        a.sharedInputBuffers[j] <= a.inputBuffers[j], o.seconds(compute: a.compute[j], memory: m) <= a.seconds
      else { return false }
      if a.sharedInputBuffers[j] > 0 {
        guard let q = o.producer else { return false }
        fromProducer[q] += a.sharedInputBuffers[j]
      }
    }
    return a.arrays <= p.arrays && fromProducer.indices.allSatisfy { fromProducer[$0] <= a.outputBuffers[$0] }
  }

  /// The least (bottleneck, arrays) by enumerating every choice and input/output split of every
  /// operator, each producer's output buffers shared with its consumers' inputs as far as they go.
  static func bruteForce(_ p: SegmentAllocationProblem) -> (seconds: Double, arrays: Int)? {
    let ops = p.operators
    var best: (seconds: Double, arrays: Int)?
    var picks: [(SegmentAllocationProblem.Choice, Int)] = []
    func walk(_ j: Int) {
      if j == ops.count {
        var arrays = picks.reduce(0) { $0 + $1.0.compute + $1.0.memory }
        for q in ops.indices {
          let consumers = ops.indices.filter { ops[$0].producer == q && q < $0 }
          arrays -= min(picks[q].0.memory - picks[q].1, consumers.reduce(0) { $0 + picks[$1].1 })
        }
        let seconds = picks.map(\.0.seconds).max() ?? 0
        guard arrays <= p.arrays else { return }
        if let b = best, (b.seconds, b.arrays) <= (seconds, arrays) { return }
        best = (seconds, arrays)
        return
      }
      for ch in ops[j].choices {
        let lo = max(0, ch.memory - ops[j].outputCap)
        guard lo <= min(ch.memory, ops[j].inputCap) else { continue }
        for x in lo...min(ch.memory, ops[j].inputCap) {
          picks.append((ch, x))
          walk(j + 1)
          picks.removeLast()
        }
      }
    }
    walk(0)
    return best
  }

  @Test(.enabled(if: CBCSolver.isAvailable, "CBC cannot be loaded: apt-get install coinor-libcbc-dev"))
  func exactSolverEqualsCBCsProvenOptimum() throws {
    var rng = SplitMix64(seed: 11)
    var compared = 0
    var infeasible = 0
    var sharing = 0
    for _ in 0..<150 {
      let p = Self.randomProblem(&rng)
      let exact = ExactSegmentSolver().solve(p, timeLimit: nil)
      let cbc = try MIPSegmentSolver.cbc.solve(p, timeLimit: 30)
      #expect((exact == nil) == (cbc == nil), "\(p)")
      guard let e = exact, let c = cbc else {
        infeasible += 1
        continue
      }
      #expect(c.proven)
      #expect(e.seconds == c.seconds, "exact \(e.seconds) vs CBC \(c.seconds) on \(p)")
      // The lexicographic second objective (fewest arrays) and the canonical tie-break: the same allocation.
      #expect(e.arrays == c.arrays, "exact \(e.arrays) vs CBC \(c.arrays) arrays on \(p)")
      #expect(e == c, "exact \(e) vs CBC \(c)")
      #expect(Self.keeps(e, p), "\(e) breaks the MIP on \(p)")
      #expect(Self.keeps(c, p), "\(c) breaks the MIP on \(p)")
      if e.sharedInputBuffers.contains(where: { $0 > 0 }) { sharing += 1 }
      compared += 1
    }
    // Counted: most cases feasible, some sharing buffers, some not fitting at all.
    #expect(compared >= 100)
    #expect(sharing >= 5)
    #expect(infeasible >= 1 || compared == 150)
  }

  @Test func exactSolverEqualsBruteForce() {
    var rng = SplitMix64(seed: 5)
    var checked = 0
    var sharing = 0
    var rounds = 0
    for _ in 0..<200 {
      var p = Self.randomProblem(&rng)
      p.operators = Array(p.operators.prefix(3))
      // Enumeration size: keep the test fast (the skipped ones are counted).
      let size = p.operators.reduce(1.0) { $0 * Double($1.choices.count * (min($1.inputCap, $1.outputCap) + 1)) }
      if size > 300_000 { continue }
      let brute = Self.bruteForce(p)
      let e = ExactSegmentSolver().solve(p, timeLimit: nil)
      #expect(e?.seconds == brute?.seconds, "\(p)")
      #expect(e?.arrays == brute?.arrays, "fewest arrays: exact \(e?.arrays ?? -1) vs brute force \(brute?.arrays ?? -1) on \(p)")
      if let e { #expect(Self.keeps(e, p)) }
      if e?.sharedInputBuffers.contains(where: { $0 > 0 }) == true { sharing += 1 }
      if p.operators.contains(where: { o in Set(o.choices.map(\.compute)).count > 1 && o.choices.contains { $0.memory > 0 } }) { rounds += 1 }
      checked += 1
    }
    #expect(checked >= 150)
    #expect(sharing >= 5)
    #expect(rounds >= 50)
  }

  @Test func missingCBCIsAClearError() {
    let error = CBCSolver.missing("test")
    #expect(error.description.contains("coinor-libcbc-dev"))
  }
}
