import Hardware
import HybrixCore
import Workloads

/// One operator's work seen by role, at the workload precision: the GEMM view and the bytes of
/// its first operand `X`, its second operand `W` (a static weight, an activation, or the KV
/// cache) and its output `Y`. Computed once per operator, so pricing a share does no graph work.
public struct OperatorWork: Hashable, Sendable {
  public var matmul: MatMulShape?
  public var staticWeights: Bool
  public var vectorOps: Double
  /// Bytes of `X` (for a convolution its input tensor, read once: the compulsory traffic).
  public var xBytes: Double
  /// Bytes of `W` and its bias; for a dynamic product the second activation or the KV cache.
  public var wBytes: Double
  public var yBytes: Double
  /// Of `xBytes` and `wBytes`, what comes from the model's inputs or the KV cache in DRAM.
  public var xFromDRAM: Double
  public var wFromDRAM: Double
  /// Output elements (the partial sums of a `k` split are this many accumulator words).
  public var outputElements: Double
  /// The join of a split product (``Graph/splittingColumns(_:)``): its parts wrote their slices
  /// where the joined tensor lies, so it moves nothing and reads no input from anywhere.
  public var readsInPlace: Bool

  /// The roles of `op`'s operands in `graph`: for a product the first input is `X` and every
  /// other non-constant input (`W`, its bias) is the second operand; for other work all inputs
  /// are read alike.
  public init(_ op: Operator, in graph: Graph, precision: Precision) {
    func bytes(_ id: TensorID) -> Double {
      let t = graph[id]
      return t.role == .constant ? 0 : Double(precision.bytes(t.shape.elementCount, t.role))
    }
    func external(_ id: TensorID) -> Bool { graph[id].role == .input || graph[id].role == .kvCache }
    matmul = op.matmul
    staticWeights = op.secondOperand == .staticWeight
    vectorOps = Double(op.vectorOps)
    yBytes = Double(op.bytes(at: precision).out)
    outputElements = Double(op.operands.out)
    let inputs = op.inputs
    readsInPlace = op.kind == .layout && op.attributes.function == Graph.joinFunction
    if readsInPlace {
      xBytes = 0
      xFromDRAM = 0
      wBytes = 0
      wFromDRAM = 0
    } else if op.matmul != nil, let first = inputs.first {
      xBytes = bytes(first)
      xFromDRAM = external(first) ? xBytes : 0
      let rest = inputs.dropFirst()
      wBytes = rest.reduce(0) { $0 + bytes($1) }
      wFromDRAM = rest.reduce(0) { $0 + (external($1) ? bytes($1) : 0) }
    } else {
      xBytes = inputs.reduce(0) { $0 + (graph[$1].role == .weight ? 0 : bytes($1)) }
      xFromDRAM = inputs.reduce(0) { $0 + (external($1) ? bytes($1) : 0) }
      wBytes = inputs.reduce(0) { $0 + (graph[$1].role == .weight ? bytes($1) : 0) }
      wFromDRAM = 0
    }
  }

  /// The share of `X`, `W` and `Y` one part of a split needs, as fractions of the whole.
  public struct Scale: Hashable, Sendable {
    public var x: Double
    public var w: Double
    public var y: Double
  }

  /// The part of this work whose extent along `axis` is `extent` indices.
  public func scale(axis: SplitAxis, extent: Int) -> Scale {
    let total = Double(size(along: axis))
    let f = total > 0 ? Double(extent) / total : 0
    guard matmul != nil else { return Scale(x: f, w: f, y: f) }
    switch axis {
    case .m: return Scale(x: f, w: 1, y: f)
    case .n: return Scale(x: 1, w: f, y: f)
    case .k: return Scale(x: f, w: f, y: 1)
    }
  }

  /// Indices along `axis`: the GEMM dimension of a product, output elements for other work.
  public func size(along axis: SplitAxis) -> Int {
    guard let g = matmul else { return Int(outputElements) }
    switch axis {
    case .m: return g.m
    case .n: return g.n
    case .k: return g.k
    }
  }
}

/// Turns a share of an operator into the ``TileWork`` a tier evaluates.
///
/// Bytes are at the workload precision (the tier compares the bits it is asked for with its own
/// and bit-slices or refuses). An `m` share keeps all of `W`; an `n` share all of `X`; a `k` share
/// writes partial sums of all of `Y` as 32-bit accumulator words and leaves the output-stage work
/// (bias, fused activation) to the tier that adds the partial sums.
public enum Lowering {
  /// Bytes of one partial sum (a 32-bit accumulator word).
  public static let partialSumBytes = 4.0

  public static func work(
    _ w: OperatorWork, axis: SplitAxis, extent: Int, whole: Bool, precision: Precision,
    weightsResident: Bool
  ) -> TileWork {
    let s = whole ? OperatorWork.Scale(x: 1, w: 1, y: 1) : w.scale(axis: axis, extent: extent)
    let partial = axis == .k && !whole
    if let g = w.matmul {
      let e = Double(extent)
      return TileWork(
        kind: .matrix, batch: Double(g.batch), m: axis == .m && !whole ? e : Double(g.m),
        k: partial ? e : Double(g.k), n: axis == .n && !whole ? e : Double(g.n),
        staticWeights: w.staticWeights, vectorOps: partial ? 0 : w.vectorOps * s.y,
        inputBytes: w.xBytes * s.x, weightBytes: w.wBytes * s.w,
        outputBytes: partial ? w.outputElements * partialSumBytes : w.yBytes * s.y,
        weightBits: precision.weightBits, activationBits: precision.activationBits,
        weightsResident: weightsResident)
    }
    return TileWork(
      kind: w.vectorOps > 0 ? .vector : .movement, vectorOps: w.vectorOps * s.y,
      inputBytes: w.xBytes * s.x, weightBytes: w.wBytes * s.w, outputBytes: w.yBytes * s.y,
      weightBits: precision.weightBits, activationBits: precision.activationBits,
      weightsResident: true)
  }

  /// The digital work of adding `parts` partial sums of every output and applying the output
  /// stage (bias, fused activation) once: what a `k` split leaves to its reducing tier.
  public static func reduction(_ w: OperatorWork, parts: Int, precision: Precision) -> TileWork {
    let words = w.outputElements * partialSumBytes
    return TileWork(
      kind: .vector, vectorOps: w.outputElements * Double(max(0, parts - 1)) + w.vectorOps,
      inputBytes: words * Double(parts), outputBytes: w.yBytes,
      weightBits: precision.weightBits, activationBits: precision.activationBits)
  }
}
