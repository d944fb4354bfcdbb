import HybrixCore

/// The exact specialised solver of ``SegmentAllocationProblem``: a binary search on the
/// bottleneck over the seconds values operators can take. For a target `T`, each operator may
/// take any choice reaching `T`; of those only the ones with the fewest memory arrays for their
/// compute arrays matter (more memory arrays share at most one array each). A tree dynamic
/// programme — each operator's first operand has at most one producer — picks one choice per
/// operator and splits its memory arrays into input and output buffers so that the arrays on
/// the chip, `Σ c + Σ m − shared`, are fewest; `T` is feasible when they fit. Feasibility is
/// monotone in `T`, so the search finds the least bottleneck, and at it the fewest arrays: the
/// lexicographic objective (bottleneck, arrays) that ``MIPSegmentSolver`` solves too. Ties
/// between allocations of equal bottleneck and arrays go to the first in a fixed order (fewer
/// compute arrays, then fewer input buffers, first operator first), so the result is
/// deterministic and is the *canonical* allocation both solvers return.
///
/// - Complexity: O(log C · n · (q · r + r · s)) for C candidate values, n operators, q choices,
///   r buffer counts and s children's buffer totals per operator.
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

  /// The fewest arrays reaching bottleneck `t` (the canonical one of equal ones), or `nil` when
  /// they exceed the chip.
  func plan(_ problem: SegmentAllocationProblem, at t: Double) -> SegmentAllocation? {
    let ops = problem.operators
    let n = ops.count
    let impossible = Int.max / 4
    // Per operator, the choices reaching t with fewer memory arrays than any with fewer compute.
    var options: [[SegmentAllocationProblem.Choice]] = []
    for o in ops {
      var list: [SegmentAllocationProblem.Choice] = []
      for ch in o.choices where ch.seconds <= t && ch.memory < (list.last?.memory ?? .max) { list.append(ch) }
      guard !list.isEmpty else { return nil }
      options.append(list)
    }
    func inputs(_ j: Int, _ ch: SegmentAllocationProblem.Choice) -> ClosedRange<Int>? {
      let lo = max(0, ch.memory - ops[j].outputCap)
      let hi = min(ch.memory, ops[j].inputCap)
      return lo <= hi ? lo...hi : nil
    }
    let maxInput = (0..<n).map { j in options[j].compactMap { inputs(j, $0)?.upperBound }.max() ?? 0 }
    var children = [[Int]](repeating: [], count: n)
    var isChild = [Bool](repeating: false, count: n)
    for (j, o) in ops.enumerated() {
      if let p = o.producer, p < j {
        children[p].append(j)
        isChild[j] = true
      }
    }
    // cost[j][x]: fewest arrays of j's subtree when j has x input buffers; option[j][x] its
    // choice; sums[j][out]: the children's input total for j's `out` output buffers; steps[j][k][s]:
    // child k's input buffers when the children up to k take s.
    var cost = [[Int]](repeating: [], count: n)
    var option = [[Int]](repeating: [], count: n)
    var sums = [[Int]](repeating: [], count: n)
    var steps = [[[Int]]](repeating: [], count: n)
    for j in stride(from: n - 1, through: 0, by: -1) {
      var g = [0]
      var record: [[Int]] = []
      for c in children[j] {
        var next = [Int](repeating: impossible, count: g.count + maxInput[c])
        var choice = [Int](repeating: -1, count: next.count)
        for s in g.indices where g[s] < impossible {
          for x in cost[c].indices where cost[c][x] < impossible {
            let value = g[s] + cost[c][x]
            if value < next[s + x] {
              next[s + x] = value
              choice[s + x] = x
            }
          }
        }
        g = next
        record.append(choice)
      }
      steps[j] = record
      let maxOut = options[j].map(\.memory).max() ?? 0
      var h = [Int](repeating: impossible, count: maxOut + 1)
      var hs = [Int](repeating: 0, count: maxOut + 1)
      for out in 0...maxOut {
        for s in g.indices where g[s] < impossible {
          let value = g[s] - min(out, s)
          if value < h[out] {
            h[out] = value
            hs[out] = s
          }
        }
      }
      sums[j] = hs
      var row = [Int](repeating: impossible, count: maxInput[j] + 1)
      var which = [Int](repeating: -1, count: maxInput[j] + 1)
      for (o, ch) in options[j].enumerated() {
        guard let r = inputs(j, ch) else { continue }
        for x in r where h[ch.memory - x] < impossible {
          let value = ch.compute + ch.memory + h[ch.memory - x]
          if value < row[x] {
            row[x] = value
            which[x] = o
          }
        }
      }
      cost[j] = row
      option[j] = which
    }
    var total = 0
    var rootInputs: [Int: Int] = [:]
    for j in 0..<n where !isChild[j] {
      guard let x = cost[j].indices.min(by: { cost[j][$0] < cost[j][$1] }), cost[j][x] < impossible else { return nil }
      total += cost[j][x]
      rootInputs[j] = x
    }
    guard total <= problem.arrays else { return nil }
    var compute = [Int](repeating: 0, count: n)
    var inputBuffers = [Int](repeating: 0, count: n)
    var outputBuffers = [Int](repeating: 0, count: n)
    var shared = [Int](repeating: 0, count: n)
    var seconds = 0.0
    func assign(_ j: Int, _ x: Int) {
      let ch = options[j][option[j][x]]
      compute[j] = ch.compute
      inputBuffers[j] = x
      outputBuffers[j] = ch.memory - x
      seconds = max(seconds, ch.seconds)
      var s = sums[j][ch.memory - x]
      var xs = [Int](repeating: 0, count: children[j].count)
      for k in stride(from: children[j].count - 1, through: 0, by: -1) {
        xs[k] = steps[j][k][s]
        s -= xs[k]
      }
      var left = ch.memory - x
      for (k, c) in children[j].enumerated() {
        shared[c] = min(xs[k], left)
        left -= shared[c]
        assign(c, xs[k])
      }
    }
    for (j, x) in rootInputs.sorted(by: { $0.key < $1.key }) { assign(j, x) }
    return SegmentAllocation(
      seconds: seconds, compute: compute, inputBuffers: inputBuffers, outputBuffers: outputBuffers,
      sharedInputBuffers: shared, proven: true, gap: 0)
  }
}
