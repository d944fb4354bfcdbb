/// The work of one operator slice, lowered to what a tier needs to count its actions.
///
/// A tier never sees a graph or a mapping, only this: the GEMM extents, the pointwise operation
/// count and the operand traffic [Timeloop `CompoundTile`]. Counts are `Double` because the cost
/// of a whole LLM step exceeds what a tier needs exactly, and evaluation must be fast.
public struct TileWork: Hashable, Sendable {
  public enum Kind: UInt8, Sendable, Hashable {
    /// `batch` products `Y[m×n] = X[m×k] · W[k×n]`.
    case matrix
    /// Pointwise and reduction operations (activations, normalization, softmax, pooling).
    case vector
    /// Data movement only (transpose, concat, KV-cache store).
    case movement
  }

  public var kind: Kind
  public var batch: Double
  public var m: Double
  public var k: Double
  public var n: Double
  /// `W` is a trained weight (it can stay programmed in a crossbar); otherwise it is computed at run
  /// time and must be loaded for every product.
  public var staticWeights: Bool
  public var vectorOps: Double
  /// Activation bytes read (including KV cache), weight bytes read, output bytes written.
  public var inputBytes: Double
  public var weightBytes: Double
  public var outputBytes: Double
  public var weightBits: Int
  public var activationBits: Int
  /// Whether static weights are already in the tier (programmed ahead of the run). When false, a
  /// weight-stationary tier must write them first, and pays for it here.
  public var weightsResident: Bool
  /// The arrays a dual-mode CIM tier gives this work (CMSwitch), or `nil`: the tier's own
  /// choice, every array in compute mode.
  public var arrayModes: ArrayModes? = nil

  public init(
    kind: Kind, batch: Double = 1, m: Double = 0, k: Double = 0, n: Double = 0,
    staticWeights: Bool = false, vectorOps: Double = 0, inputBytes: Double = 0,
    weightBytes: Double = 0, outputBytes: Double = 0, weightBits: Int = 8, activationBits: Int = 8,
    weightsResident: Bool = true
  ) {
    self.kind = kind
    self.batch = batch
    self.m = m
    self.k = k
    self.n = n
    self.staticWeights = staticWeights
    self.vectorOps = vectorOps
    self.inputBytes = inputBytes
    self.weightBytes = weightBytes
    self.outputBytes = outputBytes
    self.weightBits = weightBits
    self.activationBits = activationBits
    self.weightsResident = weightsResident
  }

  /// Multiply-accumulates of the matrix work.
  public var macs: Double { kind == .matrix ? batch * m * k * n : 0 }

  /// Whether the work does nothing (no MACs, no operations, no bytes).
  public var isEmpty: Bool {
    macs == 0 && vectorOps == 0 && inputBytes == 0 && weightBytes == 0 && outputBytes == 0
  }
}

/// How many arrays of a CIM tier one operator gets in each mode (CMSwitch's λ_c, λ_min, λ_mout
/// counted), and its share of the tier's own buffer port while it runs beside others.
public struct ArrayModes: Hashable, Sendable {
  /// Arrays in compute mode holding the operator's weights (≥ 1).
  public var computeArrays: Double
  /// Arrays in memory mode holding its first operand `X` (input buffers).
  public var inputBuffers: Double
  /// Arrays in memory mode holding its output `Y` (output buffers).
  public var outputBuffers: Double
  /// The fraction of the tier's buffer port (`buffer_bytes_per_cycle`) it gets, in (0, 1].
  public var portShare: Double

  public init(computeArrays: Double, inputBuffers: Double = 0, outputBuffers: Double = 0, portShare: Double = 1) {
    self.computeArrays = computeArrays
    self.inputBuffers = inputBuffers
    self.outputBuffers = outputBuffers
    self.portShare = portShare
  }

  /// Arrays in memory mode.
  public var memoryArrays: Double { inputBuffers + outputBuffers }
}
