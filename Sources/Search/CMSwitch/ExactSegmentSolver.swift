import HybrixCore

/// The exact specialised solver of ``SegmentAllocationProblem``: a binary search on the
/// bottleneck over the seconds values operators can take. For a target `T`, each operator
/// needs the fewest compute arrays `κ` and memory arrays `μ` that reach `T` (both profiles are
/// non-increasing), and the memory arrays are split into input and output buffers to share as
/// many as possible along producer → consumer edges — a tree dynamic programme, since each
/// operator's first operand has at most one producer. `T` is feasible when
/// `Σ κ + Σ μ − shared ≤ N`. Taking more than `κ` or `μ` never helps: one more array shares at
/// most one, and feasibility is monotone in `T`, so the search is exact.
///
/// - Complexity: O(log C · n · r²) for C candidate values, n operators and r buffer choices.
public struct ExactSegmentSolver: SegmentSolver {
  public let name = "exact"
  public init() {}

  public func solve(_ problem: SegmentAllocationProblem, timeLimit: Double?) -> SegmentAllocation? {
    let candidates = problem.candidates
    var lo = 0
    var hi = candidates.count - 1
    guard hi >= 0, var best = plan(problem, at: candidates[hi]) else { return nil }
    while lo < hi {
      let mid = (lo + hi) / 2
      if let p = plan(problem, at: candidates[mid]) {
        best = p
        hi = mid
      } else {
        lo = mid + 1
      }
    }
    return best
  }

  /// The fewest arrays reaching bottleneck `t`, or `nil` when they exceed the chip.
  func plan(_ problem: SegmentAllocationProblem, at t: Double) -> SegmentAllocation? {
    let ops = problem.operators
    var kappa: [Int] = []
    var mu: [Int] = []
    for o in ops {
      guard let c = o.computeSeconds.firstIndex(where: { $0 <= t }), let m = o.memorySeconds.firstIndex(where: { $0 <= t })
      else { return nil }
      kappa.append(c + 1)
      mu.append(m)
    }
    let (inputs, shared) = Self.split(ops, memory: mu)
    let total = kappa.reduce(0, +) + mu.reduce(0, +) - shared.reduce(0, +)
    guard total <= problem.arrays else { return nil }
    let seconds = zip(ops.indices, kappa).map { i, c in max(ops[i].computeSeconds[c - 1], ops[i].memorySeconds[mu[i]]) }.max() ?? 0
    return SegmentAllocation(
      seconds: seconds, compute: kappa, inputBuffers: inputs, outputBuffers: zip(mu, inputs).map { $0 - $1 },
      sharedInputBuffers: shared, proven: true, gap: 0)
  }

  /// Splits each operator's `memory` arrays into input and output buffers to share the most
  /// along producer → consumer edges; returns the input buffers and the shared ones per operator.
  static func split(_ ops: [SegmentAllocationProblem.Operator], memory mu: [Int]) -> (inputs: [Int], shared: [Int]) {
    let n = ops.count
    func range(_ j: Int) -> ClosedRange<Int> {
      let lo = max(0, mu[j] - ops[j].outputCap)
      return lo...max(lo, min(mu[j], ops[j].inputCap))
    }
    var children = [[Int]](repeating: [], count: n)
    var edges = false
    for (j, o) in ops.enumerated() {
      if let p = o.producer, p < j, mu[p] > 0, mu[j] > 0 {
        children[p].append(j)
        edges = true
      }
    }
    var inputs = (0..<n).map { range($0).lowerBound }
    var shared = [Int](repeating: 0, count: n)
    guard edges else { return (inputs, shared) }
    // f[j][x − lo]: most shared arrays in j's subtree when j has x input buffers; per node the
    // children's input total chosen for each x, and per child step the child's x for each total.
    var f = [[Int]](repeating: [], count: n)
    var bestSum = [[Int]](repeating: [], count: n)
    var steps = [[[Int]]](repeating: [], count: n)
    for j in stride(from: n - 1, through: 0, by: -1) {
      var g = [0]  // g[s]: best children's value with input total s (−1: impossible)
      var record: [[Int]] = []
      for c in children[j] {
        let rc = range(c)
        var next = [Int](repeating: -1, count: g.count + rc.upperBound)
        var choice = [Int](repeating: -1, count: next.count)
        for s in g.indices where g[s] >= 0 {
          for x in rc {
            let value = g[s] + f[c][x - rc.lowerBound]
            if value > next[s + x] {
              next[s + x] = value
              choice[s + x] = x
            }
          }
        }
        g = next
        record.append(choice)
      }
      steps[j] = record
      let r = range(j)
      var values: [Int] = []
      var sums: [Int] = []
      for x in r {
        var bestValue = -1
        var bestS = 0
        for s in g.indices where g[s] >= 0 {
          let value = min(mu[j] - x, s) + g[s]
          if value > bestValue {
            bestValue = value
            bestS = s
          }
        }
        values.append(bestValue)
        sums.append(bestS)
      }
      f[j] = values
      bestSum[j] = sums
    }
    var isChild = [Bool](repeating: false, count: n)
    for cs in children { for c in cs { isChild[c] = true } }
    func assign(_ j: Int, _ x: Int) {
      inputs[j] = x
      var s = bestSum[j][x - range(j).lowerBound]
      var xs = [Int](repeating: 0, count: children[j].count)
      for k in stride(from: children[j].count - 1, through: 0, by: -1) {
        let xc = max(range(children[j][k]).lowerBound, steps[j][k][s])
        xs[k] = xc
        s -= xc
      }
      var left = mu[j] - x
      for (k, c) in children[j].enumerated() {
        shared[c] = min(xs[k], left)
        left -= shared[c]
        assign(c, xs[k])
      }
    }
    for j in 0..<n where !isChild[j] {
      let x = range(j).lowerBound + (f[j].indices.max { f[j][$0] < f[j][$1] } ?? 0)
      assign(j, x)
    }
    return (inputs, shared)
  }
}
