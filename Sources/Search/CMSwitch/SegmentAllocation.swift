import HybrixCore

/// One segment's allocation problem (CMSwitch, Zhao et al., ASPLOS 2025, Eqs. 5–9) by array
/// counts: give each operator `c ≥ 1` compute arrays and `m = in + out` memory-mode arrays
/// (input and output buffers) so that the slowest operator — the pipeline's bottleneck — is as
/// fast as possible, with all arrays on the chip, where an output buffer of the producer of an
/// operator's first operand may be one of its input buffers and is then counted once (Eq. 6);
/// independent operators share nothing (Eq. 7).
///
/// An operator's seconds on `(c, m)` come from the cost model (Eq. 10's shape: compute-bound or
/// bandwidth-bound) as a table of ``Choice``s: the Pareto-minimal `(c, m, seconds)` — no other
/// choice has at most its compute arrays, at most its memory arrays and at most its seconds.
/// The table is exact, not a product of two profiles: with a broadcast input bus an operator
/// whose weights need more arrays than `c` reads its inputs once per round of rewrites, so its
/// traffic (and the memory arrays it needs) depends on `c` too. Both solvers read the same
/// table and optimise the same lexicographic objective: least bottleneck, then fewest arrays.
public struct SegmentAllocationProblem: Sendable, Hashable {
  /// `compute` arrays and `memory` arrays give the operator `seconds`.
  public struct Choice: Sendable, Hashable {
    public var compute: Int
    public var memory: Int
    public var seconds: Double
    public init(compute: Int, memory: Int, seconds: Double) {
      self.compute = compute
      self.memory = memory
      self.seconds = seconds
    }
  }

  public struct Operator: Sendable, Hashable {
    /// The Pareto-minimal choices, by compute arrays then memory arrays (empty: not runnable).
    public var choices: [Choice]
    /// Most input and output buffers the operands fill.
    public var inputCap: Int
    public var outputCap: Int
    /// The operator of this segment producing this one's first operand, by index in the segment.
    public var producer: Int?

    public init(choices: [Choice], inputCap: Int, outputCap: Int, producer: Int?) {
      self.choices = Self.pareto(choices)
      self.inputCap = inputCap
      self.outputCap = outputCap
      self.producer = producer
    }

    /// A separable operator: `max(computeSeconds[c − 1], memorySeconds[m])` on `(c, m)`
    /// (`.infinity`: not runnable).
    public init(computeSeconds: [Double], memorySeconds: [Double], inputCap: Int, outputCap: Int, producer: Int?) {
      var all: [Choice] = []
      for (i, s) in computeSeconds.enumerated() where s.isFinite {
        for (m, t) in memorySeconds.enumerated() where t.isFinite { all.append(Choice(compute: i + 1, memory: m, seconds: max(s, t))) }
      }
      self.init(choices: all, inputCap: inputCap, outputCap: outputCap, producer: producer)
    }

    /// The seconds on `c` compute and `m` memory arrays: the best choice using at most them.
    public func seconds(compute c: Int, memory m: Int) -> Double {
      choices.filter { $0.compute <= c && $0.memory <= m }.map(\.seconds).min() ?? .infinity
    }

    /// Drops every choice another one dominates (at most its arrays of each mode and its seconds;
    /// the first of equal ones stays). More memory arrays share at most one array each, so a
    /// dominated choice is never needed for the fewest arrays either.
    static func pareto(_ choices: [Choice]) -> [Choice] {
      let sorted = choices.filter(\.seconds.isFinite).sorted { ($0.compute, $0.memory, $0.seconds) < ($1.compute, $1.memory, $1.seconds) }
      var kept: [Choice] = []
      // best[m]: least seconds of a kept choice with at most m memory arrays.
      var best: [Double] = []
      for c in sorted {
        if c.memory < best.count, best[c.memory] <= c.seconds { continue }
        kept.append(c)
        if best.count <= c.memory { best += [Double](repeating: best.last ?? .infinity, count: c.memory + 1 - best.count) }
        for m in c.memory..<best.count { best[m] = min(best[m], c.seconds) }
      }
      return kept
    }
  }
  public var operators: [Operator]
  /// Arrays on the chip (N_cim).
  public var arrays: Int

  public init(operators: [Operator], arrays: Int) {
    self.operators = operators
    self.arrays = arrays
  }

  /// Every seconds value an operator can take: the optimum bottleneck is one of them.
  var candidates: [Double] {
    var all: [Double] = []
    for o in operators { all += o.choices.map(\.seconds) }
    all.sort()
    var unique: [Double] = []
    unique.reserveCapacity(all.count)
    for v in all where unique.last != v { unique.append(v) }
    return unique
  }
}

/// A solved segment: arrays per operator and the bottleneck seconds.
public struct SegmentAllocation: Sendable, Hashable {
  public var seconds: Double
  public var compute: [Int]
  public var inputBuffers: [Int]
  public var outputBuffers: [Int]
  /// Input buffers that are the producer's output buffers.
  public var sharedInputBuffers: [Int]
  /// Whether the solver proved `seconds` optimal, and the relative gap to its bound otherwise.
  public var proven: Bool
  public var gap: Double

  /// Memory-mode arrays on the chip, shared buffers counted once.
  public var memoryArrays: Int {
    zip(inputBuffers, outputBuffers).reduce(0) { $0 + $1.0 + $1.1 } - sharedInputBuffers.reduce(0, +)
  }
  /// All arrays on the chip.
  public var arrays: Int { compute.reduce(0, +) + memoryArrays }
}

/// Solves ``SegmentAllocationProblem``s: the specialised exact solver or a MIP on a
/// ``LinearSolver``.
public protocol SegmentSolver: Sendable {
  /// The name reports use (`exact`, `cbc`).
  var name: String { get }
  /// The best allocation, or `nil` when the segment cannot fit the chip.
  func solve(_ problem: SegmentAllocationProblem, timeLimit: Double?) throws(ConfigError) -> SegmentAllocation?
}
