import HybrixCore

/// A digital tier of `count` weight-stationary systolic arrays of `rows × cols` MAC units, with a
/// SIMD vector unit for pointwise work and an SRAM buffer.
///
/// A product is tiled onto an array as `⌈k/rows⌉ · ⌈n/cols⌉` weight tiles per batch element; each
/// tile is loaded (`rows` cycles), streams the `m` input rows and drains (`rows + cols − 2`
/// cycles) [Kung 1982; SCALE-Sim's weight-stationary model]. Tiles are spread evenly over the
/// arrays. The buffer supplies `bufferBytesPerCycle` per array; a slice is bound by the slowest of
/// compute, the vector unit and buffer traffic. The loop order is column tile outer, row tile
/// inner: the inputs `X` are re-read once per column tile, the weights `W` read once (tile by
/// tile), and partial sums written once per row tile. The output stage (bias, fused activation:
/// the work's `vectorOps`) runs on the vector unit, overlapped with the array.
///
/// **Capacity.** Each array's `buffer` holds a double-buffered weight tile; the rest is split
/// evenly between `X` and the partial sums of the column tiles in flight. An `X` that does not fit
/// is fetched again from the memory behind the tier for every column tile after the first, and
/// partial sums that do not fit go there and back for every row tile after the first
/// (``TierActivity/refillBytes``) [SCALE-Sim's ifmap/filter/ofmap SRAMs, Samajdar et al.,
/// ISPASS 2020].
public struct SystolicArrayTier: HardwareTier {
  public static let kind = TierKind.digital
  public let spec: SystolicArraySpec
  // Constants of `evaluate`, read once from the spec.
  let count: Double
  let r: Double
  let c: Double
  let lanes: Double
  let bytesPerCycle: Double
  /// Bytes of all arrays' buffers left for `X` and for partial sums, each.
  let operandRoom: Double

  public init(spec: SystolicArraySpec) throws(ConfigErrors) {
    var errors = spec.common.validate()
    errors += [
      TierCheck.range(spec.rows, 1...65_536, "rows"), TierCheck.range(spec.cols, 1...65_536, "cols"),
      TierCheck.range(spec.vectorLanes, 1...1_048_576, "vector_lanes"),
      TierCheck.range(spec.bufferBytesPerCycle, 1...1_048_576, "buffer_bytes_per_cycle"),
      TierCheck.positive(spec.buffer, "buffer"),
    ].compactMap { $0 }
    let tileBytes = Self.tileBytes(spec)
    if spec.buffer.bytes < tileBytes {
      errors.append(
        ConfigError(
          path: "buffer", message: "\(spec.buffer) is smaller than one tile's operands",
          expected: "at least \(Int(tileBytes)) B (a double-buffered \(spec.rows)×\(spec.cols) weight tile, one input row and one row of 32-bit partial sums)",
          hint: "raise buffer or shrink rows/cols"))
    }
    for action in [Action.mac, .vectorOp, .bufferRead, .bufferWrite] where spec.common.energy[action] == nil {
      errors.append(ConfigError(path: "energy.\(action)", message: "missing", expected: "{value: \"… pJ\", source: \"…\"}"))
    }
    try TierCheck.finish(errors)
    self.spec = spec
    count = Double(spec.common.count)
    r = Double(spec.rows)
    c = Double(spec.cols)
    lanes = Double(spec.vectorLanes)
    bytesPerCycle = Double(spec.bufferBytesPerCycle)
    operandRoom = max(0, spec.buffer.bytes - 2 * Double(spec.rows * spec.cols) * Double((spec.common.weightBits + 7) / 8))
      * Double(spec.common.count) / 2
  }

  /// The least buffer one array can work with: a double-buffered weight tile, one input row and
  /// one row of 32-bit partial sums.
  static func tileBytes(_ spec: SystolicArraySpec) -> Double {
    let wb = Double((spec.common.weightBits + 7) / 8)
    let ab = Double((spec.common.activationBits + 7) / 8)
    return 2 * Double(spec.rows * spec.cols) * wb + Double(spec.rows) * ab + Double(spec.cols) * 4
  }

  public func weightCapacityBytes(weightBits: Int) -> Double? { nil }

  public func evaluate(_ work: TileWork) -> Result<TierActivity, Infeasibility> {
    spec.dataflow.evaluate(work, stationary)
  }

  /// `work` with `W` held in the array (weight-stationary); ``Dataflow`` passes the transposed
  /// product for input-stationary.
  func stationary(_ work: TileWork) -> Result<TierActivity, Infeasibility> {
    var actions = ActionCounts()
    var computeCycles = 0.0
    var utilization: Double?
    var refill = 0.0
    switch work.kind {
    case .matrix:
      let rowTiles = (work.k / r).rounded(.up)
      let colTiles = (work.n / c).rounded(.up)
      let passes = (work.batch * rowTiles * colTiles / count).rounded(.up)
      computeCycles = max(passes * (r + work.m + r + c - 2), (work.vectorOps / (lanes * count)).rounded(.up))
      actions[.mac] = work.macs
      actions[.vectorOp] = work.vectorOps
      actions[.bufferRead] = work.inputBytes * colTiles + work.weightBytes
      actions[.bufferWrite] = work.outputBytes * rowTiles
      if colTiles > 1, work.inputBytes > operandRoom { refill += work.inputBytes * (colTiles - 1) }
      let inFlight = min(work.batch * colTiles, count) * work.m * c * 4
      if rowTiles > 1, inFlight > operandRoom {
        refill += 2 * work.batch * work.m * work.n * 4 * (rowTiles - 1)
      }
    case .vector:
      computeCycles = (work.vectorOps / (lanes * count)).rounded(.up)
      actions[.vectorOp] = work.vectorOps
      actions[.bufferRead] = work.inputBytes + work.weightBytes
      actions[.bufferWrite] = work.outputBytes
    case .movement:
      actions[.bufferRead] = work.inputBytes + work.weightBytes
      actions[.bufferWrite] = work.outputBytes
    }
    let trafficCycles = (actions[.bufferRead] + actions[.bufferWrite]) / (bytesPerCycle * count)
    let cycles = max(computeCycles, trafficCycles.rounded(.up))
    if work.kind == .matrix, cycles > 0 { utilization = work.macs / (cycles * r * c * count) }
    let active = work.kind == .matrix
      ? min(count, work.batch * (work.k / r).rounded(.up) * (work.n / c).rounded(.up)) : count
    return .success(
      TierActivity(cycles: cycles, actions: actions, utilization: utilization, activeUnits: active, refillBytes: refill))
  }

  public static let example = SystolicArraySpec(
    common: TierCommon(
      id: "sa0", kind: .digital, count: 1, clock: .gigahertz(1), weightBits: 8, activationBits: 8,
      areaPerUnit: Sourced(
        .squareMillimetres(4.0),
        source: "assumed: 128×128 int8 MAC array with 2 MB SRAM at 28 nm, scaled from TPUv1's 256×256 array (Jouppi et al., ISCA 2017, 24 % of 331 mm² at 28 nm) by area per MAC", assumed: true),
      staticPowerPerUnit: Sourced(
        .watts(0.05), source: "assumed: 5 % of ~1 W dynamic power at 1 GHz as leakage (28 nm)", assumed: true),
      energy: EnergyTable([
        .mac: Sourced(.picojoules(0.23), source: "Horowitz, ISSCC 2014, 45 nm: 8-bit multiply 0.2 pJ + 8-bit add 0.03 pJ"),
        .vectorOp: Sourced(.picojoules(0.1), source: "Horowitz, ISSCC 2014, 45 nm: 16-bit add 0.05 pJ, doubled for control", assumed: true),
        .bufferRead: Sourced(.picojoules(1.25), source: "Horowitz, ISSCC 2014, 45 nm: 8 kB SRAM 64-bit read 10 pJ → 1.25 pJ/B"),
        .bufferWrite: Sourced(.picojoules(1.25), source: "Horowitz, ISSCC 2014, 45 nm: taken equal to the read energy", assumed: true),
      ])),
    rows: 128, cols: 128, vectorLanes: 128, buffer: .bytes(2_097_152), bufferBytesPerCycle: 256)
}

/// The spec of a ``SystolicArrayTier``.
public struct SystolicArraySpec: TierSpec {
  public var common: TierCommon
  public var rows: Int
  public var cols: Int
  /// Pointwise operations per cycle per array.
  public var vectorLanes: Int
  /// SRAM buffer size per array.
  public var buffer: DataSize
  /// Bytes the buffer delivers per cycle per array.
  public var bufferBytesPerCycle: Int
  /// Which operand the arrays hold (``Dataflow``; default weight-stationary).
  public var dataflow: Dataflow = .weightStationary

  public init(
    common: TierCommon, rows: Int, cols: Int, vectorLanes: Int, buffer: DataSize, bufferBytesPerCycle: Int,
    dataflow: Dataflow = .weightStationary
  ) {
    self.dataflow = dataflow
    self.common = common
    self.rows = rows
    self.cols = cols
    self.vectorLanes = vectorLanes
    self.buffer = buffer
    self.bufferBytesPerCycle = bufferBytesPerCycle
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case rows, cols
    case vectorLanes = "vector_lanes"
    case buffer
    case bufferBytesPerCycle = "buffer_bytes_per_cycle"
    case dataflow
  }
  public static let ownKeys = CodingKeys.allCases.map(\.rawValue)

  public init(from decoder: any Decoder) throws {
    common = try TierCommon(from: decoder)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    rows = try c.decode(Int.self, forKey: .rows)
    cols = try c.decode(Int.self, forKey: .cols)
    vectorLanes = try c.decode(Int.self, forKey: .vectorLanes)
    buffer = try c.decode(DataSize.self, forKey: .buffer)
    bufferBytesPerCycle = try c.decode(Int.self, forKey: .bufferBytesPerCycle)
    dataflow = try c.decodeIfPresent(Dataflow.self, forKey: .dataflow) ?? .weightStationary
  }

  public func encode(to encoder: any Encoder) throws {
    try common.encode(to: encoder)
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(rows, forKey: .rows)
    try c.encode(cols, forKey: .cols)
    try c.encode(vectorLanes, forKey: .vectorLanes)
    try c.encode(buffer, forKey: .buffer)
    try c.encode(bufferBytesPerCycle, forKey: .bufferBytesPerCycle)
    if dataflow != .weightStationary { try c.encode(dataflow, forKey: .dataflow) }
  }
}
