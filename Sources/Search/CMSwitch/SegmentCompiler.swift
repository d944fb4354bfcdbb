import HybrixCore
import Mapping

/// CMSwitch's DACO (Zhao et al., ASPLOS 2025, §4.3, Eq. 3, Algorithm 1): a dynamic programme
/// over segments of the CIM operators in graph order, each segment's arrays chosen by a
/// ``SegmentSolver`` (the per-segment MIP), with the inter-segment cost (mode switches and
/// write-back, from the cost model) depending on the previous segment's allocation. The state
/// is the last segment (`a...b`), so the DP is exact for that cost. Segments longer than
/// `maxSegment` operators, or whose operators cannot fit the chip even with one compute array
/// each, are pruned; backtracking gives the segmentation.
///
/// - Complexity: O(K · L) segment solves and O(K · L²) boundary estimates for K CIM operators
///   and maximum segment length L.
public struct CompiledSegment: Sendable, Hashable {
  /// Indices into the CIM operators, and the graph operators the segment covers.
  public var first: Int
  public var last: Int
  public var operators: Range<Int>
  public var allocation: SegmentAllocation
  /// Seconds of the boundary before it and of its operators side by side.
  public var interSeconds: Double
  public var intraSeconds: Double
}

/// The compiled program: the plan, its segments and what compiling cost.
public struct CompiledProgram: Sendable {
  public var plan: MappingPlan
  public var segments: [CompiledSegment]
  /// The CIM operators' graph indices.
  public var cimOperators: [Int]
  public var tier: Int
  public var arrays: Int
  public var dualMode: Bool
  public var solver: String
  /// Segment problems solved, how many proven optimal, and the largest gap of the others.
  public var solves: Int
  public var proven: Int
  public var largestGap: Double
  public var solverSeconds: Double
  public var totalSeconds: Double

  /// The predicted latency: every boundary and segment one after another.
  public var predictedSeconds: Double { segments.reduce(0) { $0 + $1.interSeconds + $1.intraSeconds } }

  /// Time at segment boundaries: mode switches and write-back (what the paper's 3–5 % counts).
  public var boundarySeconds: Double { segments.reduce(0) { $0 + $1.interSeconds } }
}

public struct SegmentCompiler: Sendable {
  public var solver: any SegmentSolver
  public var maxSegment: Int
  public var timeLimit: Double?
  public var computeOnly: Bool

  public init(solver: any SegmentSolver = ExactSegmentSolver(), maxSegment: Int = 8, timeLimit: Double? = nil, computeOnly: Bool = false) {
    self.solver = solver
    self.maxSegment = maxSegment
    self.timeLimit = timeLimit
    self.computeOnly = computeOnly
  }

  /// Compiles `problem`; `nil` when it has no CIM tier with arrays, or the budget ran out.
  public func compile(_ problem: MappingProblem) throws(ConfigError) -> CompiledProgram? {
    let clock = ContinuousClock()
    let started = clock.now
    guard let costs = SegmentCosts(problem, computeOnly: computeOnly) else { return nil }
    let k = costs.cims.count
    var solverTime = Duration.zero
    var solves = 0
    var proven = 0
    var gap = 0.0
    // solved[a][len − 1]: segment a...a+len−1 and its intra seconds.
    var solved = [[(s: SegmentAllocation, intra: Double)?]](repeating: [], count: k)
    var choices: [Int: [SegmentAllocationProblem.Choice]] = [:]
    var scratch = costs.base
    for a in 0..<k {
      for b in a..<min(k, a + maxSegment) {
        if problem.isOverBudget { return nil }
        let segmentProblem = costs.allocationProblem(a, b, cache: &choices)
        let t0 = clock.now
        let allocation = try solver.solve(segmentProblem, timeLimit: timeLimit)
        solverTime += clock.now - t0
        solves += 1
        guard let s = allocation, let intra = costs.intra(a, b, s, scratch: &scratch) else {
          solved[a].append(nil)
          // A longer segment needs at least as many arrays: stop growing it.
          if allocation == nil { break }
          continue
        }
        if s.proven { proven += 1 } else { gap = max(gap, s.gap) }
        solved[a].append((s, intra))
      }
    }
    // best[b][a]: the least seconds of CIM operators 0...b ending with segment a...b.
    var best = [[Double]](repeating: [], count: k)
    var from = [[Int?]](repeating: [], count: k)
    var inter = [[Double]](repeating: [], count: k)
    for b in 0..<k {
      best[b] = [Double](repeating: .infinity, count: b + 1)
      from[b] = [Int?](repeating: nil, count: b + 1)
      inter[b] = [Double](repeating: .infinity, count: b + 1)
      for a in max(0, b - maxSegment + 1)...b {
        guard b - a < solved[a].count, let (s, intra) = solved[a][b - a] else { continue }
        if a == 0 {
          guard let i = costs.inter(from: nil, to: a, b, s, scratch: &scratch) else { continue }
          best[b][a] = i + intra
          inter[b][a] = i
          continue
        }
        for p in max(0, a - maxSegment)..<a where best[a - 1][p].isFinite {
          if problem.isOverBudget { return nil }
          guard let (ps, _) = solved[p][a - 1 - p], let i = costs.inter(from: (p, a - 1, ps), to: a, b, s, scratch: &scratch) else { continue }
          let total = best[a - 1][p] + i + intra
          if total < best[b][a] {
            best[b][a] = total
            from[b][a] = p
            inter[b][a] = i
          }
        }
      }
    }
    guard k > 0, let lastStart = best[k - 1].indices.min(by: { best[k - 1][$0] < best[k - 1][$1] }),
      best[k - 1][lastStart].isFinite
    else { return nil }
    var segments: [CompiledSegment] = []
    var b = k - 1
    var a: Int? = lastStart
    while let start = a, let (s, intra) = solved[start][b - start] {
      segments.append(
        CompiledSegment(
          first: start, last: b, operators: costs.operatorRange(start, b), allocation: s, interSeconds: inter[b][start],
          intraSeconds: intra))
      a = from[b][start]
      b = start - 1
      if b < 0 { break }
    }
    segments.reverse()
    var placements = costs.base
    for (n, seg) in segments.enumerated() {
      for (op, p) in costs.placements(seg.first, seg.last, seg.allocation, segment: n) { placements[op] = p }
    }
    let elapsed = clock.now - started
    return CompiledProgram(
      plan: MappingPlan(placements: placements), segments: segments, cimOperators: costs.cims, tier: costs.cim,
      arrays: costs.arrays, dualMode: costs.dualMode, solver: solver.name, solves: solves, proven: proven,
      largestGap: gap, solverSeconds: solverTime.seconds, totalSeconds: elapsed.seconds)
  }
}

extension Duration {
  var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
