import HybrixCore

/// One segment's allocation problem (CMSwitch, Zhao et al., ASPLOS 2025, Eqs. 5–9) by array
/// counts: give each operator `c ≥ 1` compute arrays and `m = in + out` memory-mode arrays
/// (input and output buffers) so that the slowest operator — the pipeline's bottleneck — is as
/// fast as possible, with all arrays on the chip, where an output buffer of the producer of an
/// operator's first operand may be one of its input buffers and is then counted once (Eq. 6);
/// independent operators share nothing (Eq. 7). An operator's seconds are
/// `max(computeSeconds[c − 1], memorySeconds[m])`, both from the cost model (Eq. 10's shape:
/// compute-bound or bandwidth-bound), each measured with the other resource unlimited, so the
/// maximum of the two is its seconds on `(c, m)` exactly when both are non-increasing.
public struct SegmentAllocationProblem: Sendable, Hashable {
  public struct Operator: Sendable, Hashable {
    /// Seconds with `c` compute arrays, at index `c − 1` (`.infinity`: not runnable).
    public var computeSeconds: [Double]
    /// Seconds with `m` memory arrays, at index `m` (`[x]` alone on a single-mode tier).
    public var memorySeconds: [Double]
    /// Most input and output buffers the operands fill.
    public var inputCap: Int
    public var outputCap: Int
    /// The operator of this segment producing this one's first operand, by index in the segment.
    public var producer: Int?

    public init(computeSeconds: [Double], memorySeconds: [Double], inputCap: Int, outputCap: Int, producer: Int?) {
      self.computeSeconds = computeSeconds
      self.memorySeconds = memorySeconds
      self.inputCap = inputCap
      self.outputCap = outputCap
      self.producer = producer
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
    for o in operators {
      all += o.computeSeconds.filter(\.isFinite)
      all += o.memorySeconds.filter(\.isFinite)
    }
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
