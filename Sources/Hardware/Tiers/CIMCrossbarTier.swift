import HybrixCore

/// A tier of `count` compute-in-memory crossbar arrays (SRAM, ReRAM or eDRAM), with bit-sliced
/// weights, bit-serial inputs, shared ADCs, a small digital unit and a buffer.
///
/// **Mapping.** A product `Y[m×n] = X[m×k] · W[k×n]` stores each weight over
/// `s = ⌈weight_bits / cell_bits⌉` adjacent columns, so `W` needs `⌈k / array_rows⌉ · ⌈n·s /
/// array_cols⌉` arrays per batch element [ISAAC, Shafiee et al., ISCA 2016; NeuroSim]. Each row
/// of `X` is applied bit-serially in `t = ⌈activation_bits / dac_bits⌉` steps; in each step every
/// group of `rows_active` rows of every column tile is activated once (`⌈k / rows_active⌉ ·
/// ⌈n·s / array_cols⌉` array activations), with one DAC conversion per active row and one ADC
/// conversion per used column. Each ADC output is shift-added digitally (one vector op, in
/// pipelined shift-and-add units: energy but no time), which also sums the partial sums of the row
/// groups [ISAAC's S+A units]; partial sums go to the buffer once per row group and inputs are
/// read once per column tile — or, with `input_broadcast`, once (per round of rewrites) and
/// broadcast to the column tiles of their row stripe. Pointwise work runs on `vector_lanes` lanes; movement only costs
/// buffer traffic at `buffer_bytes_per_cycle`.
///
/// **Time.** An array activation takes `mvm_latency`; its conversions take one cycle each, and
/// the `array_cols / adcs_per_array` columns sharing an ADC are converted one after another. The
/// next activation settles while the previous one converts [ISAAC's pipeline], so one activation
/// occupies `max(⌈mvm_latency · clock⌉, ⌈array_cols / adcs_per_array⌉)` cycles. Arrays work in
/// parallel; when the weights leave arrays idle, up to `replication` copies split the rows of `X`.
/// The slice is bound by the slowest of the arrays, the digital unit and the buffer.
///
/// **Writes.** Static weights not yet resident, and dynamic operands (SRAM and eDRAM only), are
/// written first: one `cellWrite` per cell and `write_latency` per row, all arrays in parallel.
/// Weights that need more arrays than `count` run in `⌈arrays / count⌉` rounds, each rewriting
/// the arrays. On ReRAM a dynamic operand is refused, and so is any write pattern that writes a
/// cell more than `endurance / 10⁶` times per inference (a lifetime of 10⁶ inferences).
///
/// **Dual mode** (CMSwitch, Zhao et al., ASPLOS 2025, Eq. 10). Work that carries
/// ``ArrayModes`` runs on `compute_arrays` arrays instead of `count` (rounds and copies follow
/// from them as above), and its buffer traffic is served by its share of the buffer port plus
/// `memory_bytes_per_cycle` from each of its arrays in memory mode, so an operator is
/// compute-bound or bandwidth-bound by its arithmetic intensity. Memory-mode arrays need
/// `dual_mode: true`; buffers beyond what the operand fills (`⌈bytes / (rows · cols · cell_bits / 8)⌉`)
/// are refused, as they would hold nothing.
public struct CIMCrossbarTier: HardwareTier {
  public static let kind = TierKind.cim
  public let spec: CIMCrossbarSpec

  /// Inferences a deployed chip must survive; ReRAM writes per inference are bounded by
  /// `endurance / lifetimeInferences`.
  public static let lifetimeInferences = 1e6

  // Derived constants, so evaluation does no conversion, lookup or string work.
  let count: Double
  let rows: Double
  let cols: Double
  let rowsActive: Double
  let cellBits: Int
  let dacBits: Int
  let replication: Double
  let vectorLanes: Double
  let bufferBytesPerCycle: Double
  let memoryBytesPerCycle: Double
  /// Cycles one array activation occupies (settling overlapped with conversions).
  let activationCycles: Double
  /// Cycles to write one row (not rounded: a phase of rows is rounded as a whole).
  let writeCyclesPerRow: Double
  let isReRAM: Bool
  let maxWritesPerInference: Double
  let dynamicRefusal: Infeasibility
  let enduranceRefusal: Infeasibility
  /// Bytes one array holds in memory mode.
  let arrayBytes: Double
  /// Whether a row stripe's column tiles share one broadcast input read.
  let inputBroadcast: Bool

  public init(spec: CIMCrossbarSpec) throws(ConfigErrors) {
    try TierCheck.finish(spec.common.validate() + spec.validate())
    self.spec = spec
    let hz = spec.common.clock.hertz
    count = Double(spec.common.count)
    rows = Double(spec.arrayRows)
    cols = Double(spec.arrayCols)
    rowsActive = Double(spec.rowsActive)
    cellBits = spec.cellBits
    dacBits = spec.dacBits
    replication = Double(spec.replication)
    vectorLanes = Double(spec.vectorLanes)
    bufferBytesPerCycle = Double(spec.bufferBytesPerCycle)
    memoryBytesPerCycle = Double(spec.memoryBytesPerCycle)
    let settle = Self.wholeCycles(spec.mvmLatency.value.seconds * hz)
    let convert = (Double(spec.arrayCols) / Double(spec.adcsPerArray)).rounded(.up)
    activationCycles = max(settle, convert)
    writeCyclesPerRow = spec.writeLatency.value.seconds * hz
    isReRAM = spec.technology == .reram
    arrayBytes = Double(spec.arrayRows * spec.arrayCols * spec.cellBits) / 8
    inputBroadcast = spec.inputBroadcast
    maxWritesPerInference = spec.endurance.value.writes / Self.lifetimeInferences
    let id = spec.common.id
    dynamicRefusal = Infeasibility(
      tier: id,
      statement:
        "ReRAM crossbars hold static weights only; a run-time operand would rewrite the cells on every product",
      bound: 0, unit: "cell writes per product",
      levers: ["map the product to an SRAM- or eDRAM-CIM tier", "map it to a digital or photonic tier"])
    enduranceRefusal = Infeasibility(
      tier: id,
      statement:
        "re-programming the ReRAM weights writes each cell more often per inference than "
        + "endurance / \(Int(Self.lifetimeInferences)) inferences allows",
      unit: "writes per cell per inference",
      levers: [
        "raise count so the weights stay resident", "split the operator over more tiers",
        "map it to an SRAM-CIM, digital or photonic tier", "use cells with a higher endurance",
      ])
  }

  /// Static weights all arrays hold at `weightBits` per weight: `count · rows · cols` cells of
  /// `cell_bits`, one weight per `⌈weightBits / cell_bits⌉` cells.
  public func weightCapacityBytes(weightBits: Int) -> Double? {
    let slices = Double((max(1, weightBits) + cellBits - 1) / cellBits)
    return count * rows * cols / slices * Double(weightBits) / 8
  }

  public func evaluate(_ work: TileWork) -> Result<TierActivity, Infeasibility> {
    var actions = ActionCounts()
    if work.arrayModes != nil, work.kind != .matrix {
      return .failure(
        Infeasibility(tier: spec.common.id, statement: "only matrix products get arrays of their own", levers: ["leave the operator's arrays out"]))
    }
    switch work.kind {
    case .matrix:
      if let modes = work.arrayModes, let why = refusal(modes, work) { return .failure(why) }
      return matrix(work)
    case .vector:
      actions[.vectorOp] = work.vectorOps
      actions[.bufferRead] = work.inputBytes + work.weightBytes
      actions[.bufferWrite] = work.outputBytes
      let cycles = max((work.vectorOps / vectorLanes).rounded(.up), trafficCycles(actions))
      // Only the digital periphery works; the arrays are idle (their leakage is not charged).
      return .success(TierActivity(cycles: cycles, actions: actions, activeUnits: 0))
    case .movement:
      actions[.bufferRead] = work.inputBytes + work.weightBytes
      actions[.bufferWrite] = work.outputBytes
      return .success(TierActivity(cycles: trafficCycles(actions), actions: actions, activeUnits: 0))
    }
  }

  /// `x` rounded up to whole cycles, ignoring the last bits of floating-point error (so
  /// 100 ns × 1 GHz = 100.00000000000001 is 100 cycles, not 101).
  @inline(__always)
  static func wholeCycles(_ x: Double) -> Double { (x * (1 - 1e-12)).rounded(.up) }

  @inline(__always)
  func trafficCycles(_ a: ActionCounts) -> Double {
    ((a[.bufferRead] + a[.bufferWrite]) / bufferBytesPerCycle).rounded(.up)
  }

  func matrix(_ work: TileWork) -> Result<TierActivity, Infeasibility> {
    let (slices, colTiles, arrays) = arrayLayout(work)
    let steps = Double((max(1, work.activationBits) + dacBits - 1) / dacBits)
    let cells = work.batch * work.k * work.n * slices
    let dynamic = !work.staticWeights
    if dynamic, isReRAM {
      var refusal = dynamicRefusal
      refusal.demand = cells
      return .failure(refusal)
    }
    let rowGroups = (work.k / rowsActive).rounded(.up)
    let rowsPerArray = min(work.k, rows)
    let groupsPerArray = (rowsPerArray / rowsActive).rounded(.up)
    let available = work.arrayModes?.computeArrays ?? count
    let fits = arrays <= available
    let rounds = fits ? 1 : (arrays / available).rounded(.up)
    let spare = fits && arrays > 0 ? (available / arrays).rounded(.down) : 1
    let copies = max(1, min(replication, spare, work.m.rounded(.up)))
    let writes = dynamic || !work.weightsResident || rounds > 1
    if writes, isReRAM, rounds > maxWritesPerInference {
      var refusal = enduranceRefusal
      refusal.demand = rounds
      refusal.bound = maxWritesPerInference
      return .failure(refusal)
    }

    var actions = ActionCounts()
    let vectorSteps = work.batch * work.m * steps
    actions[.arrayActivation] = vectorSteps * rowGroups * colTiles
    actions[.dacConversion] = vectorSteps * work.k * colTiles
    actions[.adcConversion] = vectorSteps * rowGroups * work.n * slices
    actions[.vectorOp] = actions[.adcConversion] + work.vectorOps
    // Inputs: once per column tile, or with a broadcast bus once per round of rewrites (a round
    // holds its own column tiles, so a round never needs an input twice).
    actions[.bufferRead] = work.inputBytes * (inputBroadcast ? min(rounds, colTiles) : colTiles)
    actions[.bufferWrite] = work.outputBytes * rowGroups
    var writeCycles = 0.0
    if writes {
      actions[.cellWrite] = cells * copies
      actions[.bufferRead] += work.weightBytes * copies
      writeCycles = rounds * Self.wholeCycles(rowsPerArray * writeCyclesPerRow)
    }
    let computeCycles = rounds * (work.m / copies).rounded(.up) * steps * groupsPerArray * activationCycles
    let vectorCycles = (work.vectorOps / vectorLanes).rounded(.up)
    let traffic = work.arrayModes.map { dualModeTrafficCycles(actions, $0) } ?? trafficCycles(actions)
    let cycles = max(writeCycles + computeCycles, vectorCycles, traffic)
    // Peak: each array finishes rows_active · cols / s full-precision MACs every t activations.
    let peak = cycles * available * rowsActive * cols / (slices * steps * activationCycles)
    let utilization = cycles > 0 ? work.macs / peak : nil
    let active = work.arrayModes.map { $0.computeArrays + $0.memoryArrays } ?? min(count, arrays * copies)
    return .success(TierActivity(cycles: cycles, actions: actions, utilization: utilization, activeUnits: active))
  }

  /// Cycles to move the buffer traffic through the work's share of the buffer port and its
  /// memory-mode arrays (CMSwitch Eq. 10's `Mem · D_cim + D_main`).
  @inline(__always)
  func dualModeTrafficCycles(_ a: ActionCounts, _ modes: ArrayModes) -> Double {
    let bytesPerCycle = bufferBytesPerCycle * modes.portShare + modes.memoryArrays * memoryBytesPerCycle
    return ((a[.bufferRead] + a[.bufferWrite]) / bytesPerCycle).rounded(.up)
  }

  /// Why `modes` cannot be given to `work` (nil when it can).
  func refusal(_ modes: ArrayModes, _ work: TileWork) -> Infeasibility? {
    let id = spec.common.id
    func no(_ statement: String, _ demand: Double, _ bound: Double, _ lever: String) -> Infeasibility {
      Infeasibility(tier: id, statement: statement, demand: demand, bound: bound, unit: "arrays", levers: [lever])
    }
    if modes.computeArrays < 1 || modes.computeArrays != modes.computeArrays.rounded() {
      return no("a product needs a whole number ≥ 1 of compute arrays", modes.computeArrays, 1, "give it at least one compute array")
    }
    if modes.memoryArrays > 0, !spec.dualMode {
      return no("the arrays have no memory mode (dual_mode: false)", modes.memoryArrays, 0, "use a dual-mode CIM tier, or compute-only arrays")
    }
    // Compute and memory arrays together are checked per segment by the mapper (shared
    // buffers count once there), so each count is bounded by the tier alone here.
    if modes.computeArrays > count || modes.memoryArrays > count {
      return no("the operator's arrays exceed the tier's", max(modes.computeArrays, modes.memoryArrays), count, "give it fewer arrays")
    }
    let inputCap = (work.inputBytes / arrayBytes).rounded(.up)
    if modes.inputBuffers > inputCap {
      return no("more input buffers than its input fills", modes.inputBuffers, inputCap, "give it fewer input buffers")
    }
    let outputCap = (work.outputBytes / arrayBytes).rounded(.up)
    if modes.outputBuffers > outputCap {
      return no("more output buffers than its output fills", modes.outputBuffers, outputCap, "give it fewer output buffers")
    }
    if !(modes.portShare > 0 && modes.portShare <= 1) {
      return no("the share of the buffer port must be in (0, 1]", modes.portShare, 1, "share the port among the segment's operators")
    }
    return nil
  }

  /// An SRAM-CIM tier after NeuroSim's defaults (``CIMCrossbarSpec/sramExample``).
  public static let example = CIMCrossbarSpec.sramExample
}
