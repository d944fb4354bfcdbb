import HybrixCore

/// A tier of `count` analog in-memory PCM tiles of `tile_rows × tile_cols` devices driven by one
/// digital host core, as in ALPINE (Klein et al., IEEE TC 2023) and LionHeart (Lammie et al.,
/// IEEE TETC 2025).
///
/// **Mapping.** A tile holds one weight per cross-point (a differential group of PCM devices) at
/// the tier's native `weight_bits`; wider weights take `s = ⌈weight_bits / native⌉` columns each,
/// and wider inputs `p = ⌈activation_bits / dac_bits⌉` MVMs. A product `Y[m×n] = X[m×k] · W[k×n]`
/// needs `⌈k / tile_rows⌉ · ⌈n·s / tile_cols⌉` tiles per batch element; every row of `X` is one
/// MVM on each of them (with one DAC conversion per used row and one ADC conversion per used
/// column). The host adds the partial results of row tiles, slices and passes
/// (`batch·m·n·(row tiles · s · p − 1)` vector ops) and runs all pointwise work.
///
/// **Time.** Tiles work in parallel, each taking `m · p` MVMs of `mvm_latency` (130 ns, Le Gallo
/// et al., Nature Electronics 2023), converted to cycles of the host clock. The slice cannot be
/// faster than its I/O (`io_bandwidth` per busy tile, 4 GB/s in ALPINE) nor than the host's
/// pointwise work at `host_ops_per_cycle`; the three overlap.
///
/// **Programming.** Tiles hold static weights only: a dynamic second operand is an
/// ``Infeasibility``. Weights that are not resident are programmed first (`program_time_per_tile`,
/// tiles in parallel, one `cellWrite` per weight). Weights needing more tiles than `count` run in
/// `⌈tiles / count⌉` rounds, each programming its tiles again, on every run.
///
/// The host moves one byte per NEON lane per cycle, so data movement costs
/// `bytes / host_ops_per_cycle` cycles and buffer traffic only.
public struct AnalogTileTier: HardwareTier {
  public static let kind = TierKind.analog
  public let spec: AnalogTileSpec

  // Derived constants, so evaluation does no conversion, lookup or string work.
  let count: Double
  let rows: Double
  let cols: Double
  let nativeWeightBits: Int
  let dacBits: Int
  let hostOpsPerCycle: Double
  /// Host cycles of one MVM.
  let mvmCycles: Double
  /// Host cycles to program one tile (all tiles program at once).
  let programCycles: Double
  /// Bytes one tile moves per host cycle.
  let ioBytesPerCycle: Double
  let dynamicRefusal: Infeasibility

  public init(spec: AnalogTileSpec) throws(ConfigErrors) {
    try TierCheck.finish(spec.common.validate() + spec.validate())
    self.spec = spec
    let hz = spec.common.clock.hertz
    count = Double(spec.common.count)
    rows = Double(spec.tileRows)
    cols = Double(spec.tileCols)
    nativeWeightBits = spec.common.weightBits
    dacBits = spec.dacBits
    hostOpsPerCycle = Double(spec.hostOpsPerCycle)
    mvmCycles = CIMCrossbarTier.wholeCycles(spec.mvmLatency.value.seconds * hz)
    programCycles = CIMCrossbarTier.wholeCycles(spec.programTimePerTile.value.seconds * hz)
    ioBytesPerCycle = spec.ioBandwidth.value.bytesPerSecond / hz
    dynamicRefusal = Infeasibility(
      tier: spec.common.id,
      statement:
        "PCM tiles hold static weights only; a run-time operand would be re-programmed "
        + "(iterative program-and-verify) on every product",
      bound: 0, unit: "weights programmed per product",
      levers: ["map the product to a digital or photonic tier", "map it to an SRAM- or eDRAM-CIM tier"])
  }

  /// `count · tile_rows · tile_cols` weights, each `⌈weightBits / native⌉` devices wide.
  public func weightCapacityBytes(weightBits: Int) -> Double? {
    let slices = Double((max(1, weightBits) + nativeWeightBits - 1) / nativeWeightBits)
    return count * rows * cols / slices * Double(weightBits) / 8
  }

  public func evaluate(_ work: TileWork) -> Result<TierActivity, Infeasibility> {
    var actions = ActionCounts()
    switch work.kind {
    case .matrix:
      return matrix(work)
    case .vector:
      actions[.vectorOp] = work.vectorOps
      actions[.bufferRead] = work.inputBytes + work.weightBytes
      actions[.bufferWrite] = work.outputBytes
      let cycles = max(work.vectorOps, actions[.bufferRead] + actions[.bufferWrite]) / hostOpsPerCycle
      return .success(TierActivity(cycles: cycles.rounded(.up), actions: actions, activeUnits: 0))
    case .movement:
      actions[.bufferRead] = work.inputBytes + work.weightBytes
      actions[.bufferWrite] = work.outputBytes
      let cycles = (actions[.bufferRead] + actions[.bufferWrite]) / hostOpsPerCycle
      return .success(TierActivity(cycles: cycles.rounded(.up), actions: actions, activeUnits: 0))
    }
  }

  func matrix(_ work: TileWork) -> Result<TierActivity, Infeasibility> {
    guard work.staticWeights else {
      var refusal = dynamicRefusal
      refusal.demand = work.batch * work.k * work.n
      return .failure(refusal)
    }
    let slices = Double((max(1, work.weightBits) + nativeWeightBits - 1) / nativeWeightBits)
    let passes = Double((max(1, work.activationBits) + dacBits - 1) / dacBits)
    let rowTiles = (work.k / rows).rounded(.up)
    let colTiles = (work.n * slices / cols).rounded(.up)
    let tiles = work.batch * rowTiles * colTiles
    let rounds = tiles <= count ? 1 : (tiles / count).rounded(.up)
    let program = !work.weightsResident || rounds > 1

    var actions = ActionCounts()
    let vectorPasses = work.batch * work.m * passes
    actions[.arrayActivation] = vectorPasses * rowTiles * colTiles
    actions[.dacConversion] = vectorPasses * work.k * colTiles
    actions[.adcConversion] = vectorPasses * rowTiles * work.n * slices
    let partialSums = tiles > 0 ? work.batch * work.m * work.n * (rowTiles * slices * passes - 1) : 0
    actions[.vectorOp] = partialSums + work.vectorOps
    actions[.bufferRead] = work.inputBytes * colTiles
    actions[.bufferWrite] = work.outputBytes * rowTiles
    if program {
      actions[.cellWrite] = work.batch * work.k * work.n * slices
      actions[.bufferRead] += work.weightBytes
    }

    let mvmTime = rounds * work.m.rounded(.up) * passes * mvmCycles
    let tileCycles = mvmTime + (program ? rounds * programCycles : 0)
    let busyTiles = min(tiles, count)
    let ioBytes = actions[.bufferRead] + actions[.bufferWrite]
    let ioCycles = busyTiles > 0 ? (ioBytes / (ioBytesPerCycle * busyTiles)).rounded(.up) : 0
    let hostCycles = (actions[.vectorOp] / hostOpsPerCycle).rounded(.up)
    let cycles = max(tileCycles, ioCycles, hostCycles)
    // Peak: every tile finishes rows · cols / s full-precision MACs every p MVMs.
    let peak = cycles * count * rows * cols / (slices * passes * mvmCycles)
    let utilization = cycles > 0 ? work.macs / peak : nil
    return .success(TierActivity(cycles: cycles, actions: actions, utilization: utilization, activeUnits: busyTiles))
  }

  /// ALPINE-like PCM tiles (``AnalogTileSpec/alpineLike``).
  public static let example = AnalogTileSpec.alpineLike
}
