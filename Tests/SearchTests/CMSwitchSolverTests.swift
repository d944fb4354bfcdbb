import HybrixCore
import Testing

@testable import Search

/// The per-segment MIP [issue 11]: the exact specialised solver equals CBC's proven optimum on
/// random small segments, and its allocations keep every constraint of the MIP.
@Suite struct CMSwitchSolverTests {
  /// A random segment: non-increasing profiles, random caps and producer edges, a small chip.
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
      ops.append(.init(computeSeconds: compute, memorySeconds: memory, inputCap: inputCap, outputCap: outputCap, producer: producer))
    }
    return SegmentAllocationProblem(operators: ops, arrays: arrays)
  }

  /// Whether `a` keeps the MIP's constraints for `p`, and its seconds are what it claims.
  static func keeps(_ a: SegmentAllocation, _ p: SegmentAllocationProblem) -> Bool {
    var fromProducer = [Int](repeating: 0, count: p.operators.count)
    for (j, o) in p.operators.enumerated() {
      let m = a.inputBuffers[j] + a.outputBuffers[j]
      guard a.compute[j] >= 1, a.compute[j] <= o.computeSeconds.count, m < o.memorySeconds.count,
        a.inputBuffers[j] <= o.inputCap, a.outputBuffers[j] <= o.outputCap, a.sharedInputBuffers[j] <= a.inputBuffers[j],
        o.computeSeconds[a.compute[j] - 1] <= a.seconds, o.memorySeconds[m] <= a.seconds
      else { return false }
      if a.sharedInputBuffers[j] > 0 {
        guard let q = o.producer else { return false }
        fromProducer[q] += a.sharedInputBuffers[j]
      }
    }
    return a.arrays <= p.arrays && fromProducer.indices.allSatisfy { fromProducer[$0] <= a.outputBuffers[$0] }
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

  @Test func exactSolverEqualsBruteForceWithoutSharing() {
    var rng = SplitMix64(seed: 5)
    var checked = 0
    for _ in 0..<200 {
      var p = Self.randomProblem(&rng)
      p.operators = Array(p.operators.prefix(3)).map { o in
        var o = o
        o.producer = nil
        return o
      }
      // Brute force over every (c, m) per operator.
      var best = Double.infinity
      func walk(_ j: Int, _ used: Int, _ worst: Double) {
        if used > p.arrays { return }
        if j == p.operators.count {
          best = min(best, worst)
          return
        }
        let o = p.operators[j]
        for c in 1...o.computeSeconds.count {
          for m in o.memorySeconds.indices {
            walk(j + 1, used + c + m, max(worst, o.computeSeconds[c - 1], o.memorySeconds[m]))
          }
        }
      }
      walk(0, 0, 0)
      let e = ExactSegmentSolver().solve(p, timeLimit: nil)
      #expect(e?.seconds ?? .infinity == best)
      checked += 1
    }
    #expect(checked == 200)
  }

  @Test func missingCBCIsAClearError() {
    let error = CBCSolver.missing("test")
    #expect(error.description.contains("coinor-libcbc-dev"))
  }
}
