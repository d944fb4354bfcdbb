import HybrixCore

/// The spec of a ``CIMCrossbarTier``: `count` identical compute-in-memory arrays of one memory
/// technology, with their converters, write costs and (optionally) CMSwitch's dual mode.
///
/// Written in YAML at the top level of the tier's mapping, beside ``TierCommon``'s keys:
///
/// ```yaml
/// technology: reram          # sram | reram | edram
/// array_rows: 128
/// array_cols: 128
/// cell_bits: 2               # bits stored per cell; a weight takes ⌈weight_bits / cell_bits⌉ columns
/// adc_bits: 8
/// adcs_per_array: 1          # one ADC serves array_cols / adcs_per_array columns
/// dac_bits: 1                # input bits applied per step (bit-serial inputs)
/// rows_active: 128           # rows switched on in one activation
/// mvm_latency: {value: "100 ns", source: "…"}
/// write_latency: {value: "203.52 ns", source: "…"}   # per row
/// endurance: {value: "1e8 writes", source: "…"}
/// replication: 1             # weight copies allowed in spare arrays
/// vector_lanes: 32
/// buffer_bytes_per_cycle: 48
/// dual_mode: false
/// switch_cycles: 0
/// memory_bytes_per_cycle: 0
/// input_broadcast: false     # true: inputs read once and broadcast to a row stripe's column tiles
/// ```
public struct CIMCrossbarSpec: TierSpec {
  /// The memory cell the arrays are built from.
  public enum Technology: String, Codable, Hashable, Sendable, CaseIterable {
    /// Static RAM: fast, unlimited writes, volatile (Dynaplasia-like digital or charge-domain CIM).
    case sram
    /// Resistive RAM: dense and non-volatile, but slow, costly writes with limited endurance
    /// (ISAAC, PRIME).
    case reram
    /// Embedded DRAM (Dynaplasia's triple-mode cell): dense and writable at run time.
    case edram
  }

  public var common: TierCommon
  public var technology: Technology
  public var arrayRows: Int
  public var arrayCols: Int
  /// Bits stored per cell.
  public var cellBits: Int
  /// ADC resolution, bits.
  public var adcBits: Int
  /// ADCs per array; each converts `arrayCols / adcsPerArray` columns one after another.
  public var adcsPerArray: Int
  /// Input bits applied per step.
  public var dacBits: Int
  /// Rows switched on in one array activation (≤ `arrayRows`).
  public var rowsActive: Int
  /// Time of one array activation (analog settling and sensing), excluding the conversions.
  public var mvmLatency: Sourced<Time>
  /// Time to write one row of cells.
  public var writeLatency: Sourced<Time>
  /// Writes a cell survives.
  public var endurance: Sourced<WriteCycles>
  /// Most weight copies the tier keeps in otherwise idle arrays to share the rows of `X`.
  public var replication: Int
  /// Pointwise operations per cycle of the tier's digital unit (all arrays together).
  public var vectorLanes: Int
  /// Bytes the tier's buffer delivers per cycle (all arrays together).
  public var bufferBytesPerCycle: Int
  /// Whether each array can switch between compute and memory mode (CMSwitch).
  public var dualMode: Bool
  /// Cycles to switch one array's mode (either direction).
  public var switchCycles: Int
  /// Bytes one array delivers per cycle in memory mode (CMSwitch's D_cim).
  public var memoryBytesPerCycle: Int
  /// Whether the arrays of one row stripe share a broadcast input bus, so each input is read from
  /// the buffer once (per round of weight rewrites) instead of once per column tile. `false` is
  /// ISAAC/NeuroSim-style point-to-point delivery; `true` is CMSwitch's Eq. 10 (`AI_O = K`: an
  /// input element is read once) on Dynaplasia's global input lines.
  public var inputBroadcast: Bool

  public init(
    common: TierCommon, technology: Technology, arrayRows: Int, arrayCols: Int, cellBits: Int,
    adcBits: Int, adcsPerArray: Int, dacBits: Int, rowsActive: Int, mvmLatency: Sourced<Time>,
    writeLatency: Sourced<Time>, endurance: Sourced<WriteCycles>, replication: Int, vectorLanes: Int,
    bufferBytesPerCycle: Int, dualMode: Bool = false, switchCycles: Int = 0, memoryBytesPerCycle: Int = 0,
    inputBroadcast: Bool = false
  ) {
    self.common = common
    self.technology = technology
    self.arrayRows = arrayRows
    self.arrayCols = arrayCols
    self.cellBits = cellBits
    self.adcBits = adcBits
    self.adcsPerArray = adcsPerArray
    self.dacBits = dacBits
    self.rowsActive = rowsActive
    self.mvmLatency = mvmLatency
    self.writeLatency = writeLatency
    self.endurance = endurance
    self.replication = replication
    self.vectorLanes = vectorLanes
    self.bufferBytesPerCycle = bufferBytesPerCycle
    self.dualMode = dualMode
    self.switchCycles = switchCycles
    self.memoryBytesPerCycle = memoryBytesPerCycle
    self.inputBroadcast = inputBroadcast
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case technology
    case arrayRows = "array_rows"
    case arrayCols = "array_cols"
    case cellBits = "cell_bits"
    case adcBits = "adc_bits"
    case adcsPerArray = "adcs_per_array"
    case dacBits = "dac_bits"
    case rowsActive = "rows_active"
    case mvmLatency = "mvm_latency"
    case writeLatency = "write_latency"
    case endurance, replication
    case vectorLanes = "vector_lanes"
    case bufferBytesPerCycle = "buffer_bytes_per_cycle"
    case dualMode = "dual_mode"
    case switchCycles = "switch_cycles"
    case memoryBytesPerCycle = "memory_bytes_per_cycle"
    case inputBroadcast = "input_broadcast"
  }
  public static let ownKeys = CodingKeys.allCases.map(\.rawValue)

  public init(from decoder: any Decoder) throws {
    common = try TierCommon(from: decoder)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    technology = try c.decode(Technology.self, forKey: .technology)
    arrayRows = try c.decode(Int.self, forKey: .arrayRows)
    arrayCols = try c.decode(Int.self, forKey: .arrayCols)
    cellBits = try c.decode(Int.self, forKey: .cellBits)
    adcBits = try c.decode(Int.self, forKey: .adcBits)
    adcsPerArray = try c.decode(Int.self, forKey: .adcsPerArray)
    dacBits = try c.decode(Int.self, forKey: .dacBits)
    rowsActive = try c.decode(Int.self, forKey: .rowsActive)
    mvmLatency = try c.decode(Sourced<Time>.self, forKey: .mvmLatency)
    writeLatency = try c.decode(Sourced<Time>.self, forKey: .writeLatency)
    endurance = try c.decode(Sourced<WriteCycles>.self, forKey: .endurance)
    replication = try c.decode(Int.self, forKey: .replication)
    vectorLanes = try c.decode(Int.self, forKey: .vectorLanes)
    bufferBytesPerCycle = try c.decode(Int.self, forKey: .bufferBytesPerCycle)
    // Dual mode is optional: a single-mode tier may leave all three keys out.
    dualMode = try c.decodeIfPresent(Bool.self, forKey: .dualMode) ?? false
    switchCycles = try c.decodeIfPresent(Int.self, forKey: .switchCycles) ?? 0
    memoryBytesPerCycle = try c.decodeIfPresent(Int.self, forKey: .memoryBytesPerCycle) ?? 0
    inputBroadcast = try c.decodeIfPresent(Bool.self, forKey: .inputBroadcast) ?? false
  }

  public func encode(to encoder: any Encoder) throws {
    try common.encode(to: encoder)
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(technology, forKey: .technology)
    try c.encode(arrayRows, forKey: .arrayRows)
    try c.encode(arrayCols, forKey: .arrayCols)
    try c.encode(cellBits, forKey: .cellBits)
    try c.encode(adcBits, forKey: .adcBits)
    try c.encode(adcsPerArray, forKey: .adcsPerArray)
    try c.encode(dacBits, forKey: .dacBits)
    try c.encode(rowsActive, forKey: .rowsActive)
    try c.encode(mvmLatency, forKey: .mvmLatency)
    try c.encode(writeLatency, forKey: .writeLatency)
    try c.encode(endurance, forKey: .endurance)
    try c.encode(replication, forKey: .replication)
    try c.encode(vectorLanes, forKey: .vectorLanes)
    try c.encode(bufferBytesPerCycle, forKey: .bufferBytesPerCycle)
    try c.encode(dualMode, forKey: .dualMode)
    try c.encode(switchCycles, forKey: .switchCycles)
    try c.encode(memoryBytesPerCycle, forKey: .memoryBytesPerCycle)
    try c.encode(inputBroadcast, forKey: .inputBroadcast)
  }

  /// Problems with the spec's own fields, with paths relative to the tier.
  func validate() -> [ConfigError] {
    var errors = [
      TierCheck.range(arrayRows, 1...65_536, "array_rows"), TierCheck.range(arrayCols, 1...65_536, "array_cols"),
      TierCheck.range(cellBits, 1...8, "cell_bits"), TierCheck.range(adcBits, 1...16, "adc_bits"),
      TierCheck.range(adcsPerArray, 1...max(1, arrayCols), "adcs_per_array"),
      TierCheck.range(dacBits, 1...16, "dac_bits"), TierCheck.range(rowsActive, 1...max(1, arrayRows), "rows_active"),
      TierCheck.positive(mvmLatency.value, "mvm_latency"), TierCheck.positive(writeLatency.value, "write_latency"),
      TierCheck.positive(endurance.value, "endurance"), TierCheck.range(replication, 1...65_536, "replication"),
      TierCheck.range(vectorLanes, 1...1_048_576, "vector_lanes"),
      TierCheck.range(bufferBytesPerCycle, 1...1_048_576, "buffer_bytes_per_cycle"),
      TierCheck.range(switchCycles, 0...1_000_000_000, "switch_cycles"),
    ].compactMap { $0 }
    if dualMode, memoryBytesPerCycle < 1 {
      errors.append(
        ConfigError(
          path: "memory_bytes_per_cycle", message: "\(memoryBytesPerCycle)",
          expected: "an integer ≥ 1 when dual_mode is true"))
    }
    var needed: [Action] = [
      .arrayActivation, .adcConversion, .dacConversion, .bufferRead, .bufferWrite, .cellWrite, .vectorOp,
    ]
    if dualMode { needed.append(.modeSwitch) }
    for action in needed where common.energy[action] == nil {
      errors.append(ConfigError(path: "energy.\(action)", message: "missing", expected: "{value: \"… pJ\", source: \"…\"}"))
    }
    return errors
  }
}

/// How many writes a memory cell survives (its endurance), written `"1e8 writes"`.
public struct WriteCycles: Quantity {
  public var baseValue: Double
  public init(baseValue: Double) { self.baseValue = baseValue }
  public static let dimension = "write count"
  public static let units: [(symbol: String, factor: Double)] = [("writes", 1), ("cycles", 1)]
  public static let displayUnits: [(symbol: String, factor: Double)] = [("writes", 1)]
  public static func writes(_ v: Double) -> WriteCycles { WriteCycles(baseValue: v) }
  public var writes: Double { baseValue }
}

// MARK: - Presets

extension CIMCrossbarSpec {
  /// One ISAAC tile as a tier: 96 ReRAM crossbars of 128×128 two-bit cells, one 8-bit ADC per
  /// crossbar (128 columns share it) and 1-bit DACs [ISAAC, Shafiee et al., ISCA 2016, Table II,
  /// 32 nm]. The clock is the ADC's sample rate, so 128 conversions take the crossbar's 100 ns.
  /// Weights and activations are 8-bit here (ISAAC uses 16).
  public static let reramExample = CIMCrossbarSpec(
    common: TierCommon(
      id: "reram0", kind: .cim, count: 96, clock: Frequency(baseValue: 1.28e9), weightBits: 8, activationBits: 8,
      areaPerUnit: Sourced(
        .squareMillimetres(0.372 / 96),
        source: "ISAAC (Shafiee et al., ISCA 2016) Table II: tile 0.372 mm² at 32 nm holds 12 IMAs × 8 crossbars → 0.00388 mm² per crossbar, its share of ADCs, eDRAM and router included"),
      staticPowerPerUnit: Sourced(
        .watts(0.05 * 0.330 / 96),
        source: "assumed: 5 % of ISAAC's 330 mW tile power (Table II) as leakage, shared by 96 crossbars", assumed: true),
      energy: EnergyTable([
        .arrayActivation: Sourced(.picojoules(30), source: "ISAAC Table II: 8 crossbars 2.4 mW per IMA → 0.3 mW × 100 ns read = 30 pJ per activation"),
        .adcConversion: Sourced(.picojoules(2.0 / 1.28), source: "ISAAC Table II: 8-bit ADC 2 mW at 1.28 GS/s → 1.5625 pJ per conversion"),
        .dacConversion: Sourced(.picojoules(0.390625), source: "ISAAC Table II: 8 × 128 1-bit DACs 4 mW per IMA, each converting once per 100 ns → 0.39 pJ"),
        .vectorOp: Sourced(.picojoules(0.0195), source: "ISAAC Table II: shift-and-add 0.2 mW per IMA over 8 ADCs × 1.28 GS/s → 0.0195 pJ per add"),
        .bufferRead: Sourced(.picojoules(1.25), source: "Horowitz, ISSCC 2014, 45 nm: 8 kB SRAM 64-bit read 10 pJ → 1.25 pJ/B (ISAAC's eDRAM taken alike)", assumed: true),
        .bufferWrite: Sourced(.picojoules(1.25), source: "Horowitz, ISSCC 2014, 45 nm: taken equal to the read energy", assumed: true),
        .cellWrite: Sourced(.picojoules(26.7), source: "assumed: NeuroSim's 2 V write voltage (Param.cpp) across its 6 kΩ on-resistance for a 10 ns pulse = 6.7 pJ, × 4 program-and-verify pulses for a 2-bit level", assumed: true),
      ]),
      powerGating: .gated(
        wakeUp: .nanoseconds(100),
        source: "assumed: ReRAM cells keep their weights unpowered, so idle crossbars and their ADCs are switched off; waking the periphery is taken as one 100 ns crossbar read (ISAAC Table II), a conservative bound for sleep transistors",
        assumed: true)),
    technology: .reram, arrayRows: 128, arrayCols: 128, cellBits: 2, adcBits: 8, adcsPerArray: 1, dacBits: 1,
    rowsActive: 128,
    mvmLatency: Sourced(.nanoseconds(100), source: "ISAAC §IV: one crossbar read (an ISAAC cycle) takes 100 ns"),
    writeLatency: Sourced(
      .nanoseconds(4 * 50.88),
      source: "assumed: 4 program-and-verify iterations for a 2-bit level × the 50.88 ns ReRAM write latency used by PRIME (Chi et al., ISCA 2016, after Xu et al., HPCA 2015), a whole row per pulse", assumed: true),
    endurance: Sourced(
      .writes(1e8), source: "assumed: middle of the 10⁶–10¹² write cycles reported for ReRAM cells; multi-level cells sit low", assumed: true),
    replication: 1, vectorLanes: 4, bufferBytesPerCycle: 48)

  /// 64 SRAM-CIM arrays after NeuroSim's default sub-array (DNN_NeuroSim_V1.3 `Param.cpp`: 128×128,
  /// 1-bit SRAM cells, 8 columns per ADC, 32-level (5-bit) sensing, 1 GHz, 22 nm).
  public static let sramExample = CIMCrossbarSpec(
    common: TierCommon(
      id: "cim0", kind: .cim, count: 64, clock: .gigahertz(1), weightBits: 8, activationBits: 8,
      areaPerUnit: Sourced(
        .squareMillimetres(0.01),
        source: "assumed: 128 × 128 cells × 280 F² (NeuroSim SRAM cell 10 F × 28 F) at F = 22 nm ≈ 0.0022 mm², × 4.5 for ADCs, drivers and shift-add", assumed: true),
      staticPowerPerUnit: Sourced(
        .watts(50e-6), source: "assumed: ~1 nW per 22 nm SRAM cell × 16 384 cells, doubled for the periphery, rounded up", assumed: true),
      energy: EnergyTable([
        .arrayActivation: Sourced(.picojoules(2), source: "assumed: 128 bit lines × ~20 fF × (0.8 V)² ≈ 1.6 pJ plus the word lines", assumed: true),
        .adcConversion: Sourced(.picojoules(0.925), source: "assumed: SimPhony's 8-bit SAR ADC (14.8 mW at 10 GS/s = 1.48 pJ) scaled linearly to 5 bits, SimPhony's SAR rule", assumed: true),
        .dacConversion: Sourced(.picojoules(0.02), source: "assumed: a 1-bit input is one word-line pulse, ~25 fF × (0.8 V)²", assumed: true),
        .vectorOp: Sourced(.picojoules(0.05), source: "Horowitz, ISSCC 2014, 45 nm: 16-bit add 0.05 pJ"),
        .bufferRead: Sourced(.picojoules(1.25), source: "Horowitz, ISSCC 2014, 45 nm: 8 kB SRAM 64-bit read 10 pJ → 1.25 pJ/B"),
        .bufferWrite: Sourced(.picojoules(1.25), source: "Horowitz, ISSCC 2014, 45 nm: taken equal to the read energy", assumed: true),
        .cellWrite: Sourced(.picojoules(0.015), source: "assumed: full bit-line swing, ~20 fF × (0.8 V)² ≈ 13 fJ per SRAM cell", assumed: true),
      ])),
    technology: .sram, arrayRows: 128, arrayCols: 128, cellBits: 1, adcBits: 5, adcsPerArray: 16, dacBits: 1,
    rowsActive: 128,
    mvmLatency: Sourced(.nanoseconds(1), source: "assumed: one 1 GHz cycle per sensing step (NeuroSim's synchronous mode sets the clock from the sensing delay)", assumed: true),
    writeLatency: Sourced(.nanoseconds(1), source: "assumed: one SRAM row written per 1 GHz cycle", assumed: true),
    endurance: Sourced(.writes(1e16), source: "assumed: SRAM does not wear out; 10¹⁶ stands for unlimited", assumed: true),
    replication: 1, vectorLanes: 16, bufferBytesPerCycle: 64)

  /// The Dynaplasia-like dual-mode eDRAM CIM of CMSwitch's evaluation (Zhao et al., ASPLOS 2025,
  /// Table 2: 96 switchable 320×320 arrays, 1-cycle switch, 8-bit models) with energies and
  /// timing fitted to Dynaplasia (Kim et al., ISSCC 2023 / JSSC 2024: 28 nm, 20.25 mm², 19.5 TOPS
  /// and 56.0 TOPS/W peak at 4–5 bit). Table 2's "internal bandwidth 32 bit/cycle" is read as the
  /// port of every memory: one array in memory mode (`memory_bytes_per_cycle: 4`) and each of the
  /// 8 × 10 KB buffers (`buffer_bytes_per_cycle: 32`). The 250 MHz clock is assumed; inputs are
  /// bit-serial (CMSwitch §2.1.1: compute mode drives the inputs one bit at a time).
  /// Inputs are broadcast (`input_broadcast: true`): Dynaplasia drives every array's inputs over
  /// global input lines (GIA/GIAb, CMSwitch §2.1.1), and CMSwitch's Eq. 10 reads each input
  /// element once (its MMM example: `AI_O = K`), so a row stripe's column tiles share one read.
  public static let dynaplasiaLike = CIMCrossbarSpec(
    common: TierCommon(
      id: "dyna0", kind: .cim, count: 96, clock: Frequency(baseValue: 250e6), weightBits: 8, activationBits: 8,
      areaPerUnit: Sourced(
        .squareMillimetres(20.25 / 96),
        source: "Dynaplasia (Kim et al., JSSC 2024): 20.25 mm² die at 28 nm ÷ 96 arrays, periphery included", assumed: true),
      staticPowerPerUnit: Sourced(
        .watts(0.05 * 19.5 / 56.0 / 96),
        source: "assumed: 5 % of Dynaplasia's peak power (19.5 TOPS ÷ 56.0 TOPS/W = 0.35 W) as leakage and refresh, over 96 arrays", assumed: true),
      energy: EnergyTable([
        .arrayActivation: Sourced(.picojoules(148.6), source: "assumed: 56.0 TOPS/W at 4 bit → 12 800 ops per 1-bit activation of 320 × 80 4-bit weights = 228.6 pJ, less the ADC and DAC shares below", assumed: true),
        .adcConversion: Sourced(.picojoules(0.2), source: "assumed: Dynaplasia's in-memory 5-bit Hi-ADC, 64 pJ of the 228.6 pJ per activation over 320 columns", assumed: true),
        .dacConversion: Sourced(.picojoules(0.05), source: "assumed: 1-bit input drive of one row, 16 pJ of the 228.6 pJ per activation over 320 rows", assumed: true),
        .vectorOp: Sourced(.picojoules(0.05), source: "Horowitz, ISSCC 2014, 45 nm: 16-bit add 0.05 pJ"),
        .bufferRead: Sourced(.picojoules(1.25), source: "Horowitz, ISSCC 2014, 45 nm: 8 kB SRAM 64-bit read 10 pJ → 1.25 pJ/B"),
        .bufferWrite: Sourced(.picojoules(1.25), source: "Horowitz, ISSCC 2014, 45 nm: taken equal to the read energy", assumed: true),
        .cellWrite: Sourced(.picojoules(0.02), source: "assumed: ~20 fF eDRAM storage and bit line at 0.9 V", assumed: true),
        .modeSwitch: Sourced(.picojoules(26), source: "assumed: toggling one array's 2 × 320 global input lines GIA/GIAb (CMSwitch §2.1.1), ~50 fF each at 0.9 V", assumed: true),
      ])),
    technology: .edram, arrayRows: 320, arrayCols: 320, cellBits: 1, adcBits: 5, adcsPerArray: 320, dacBits: 1,
    rowsActive: 320,
    mvmLatency: Sourced(
      .nanoseconds(63),
      source: "assumed: fitted to Dynaplasia's 19.5 TOPS peak: 19.5e12 ÷ 96 arrays ÷ 12 800 ops per 1-bit activation (320 × 80 4-bit weights) = 1.59e7 activations/s", assumed: true),
    writeLatency: Sourced(.nanoseconds(4), source: "assumed: one eDRAM row per 250 MHz cycle; CMSwitch leaves Latency_write out", assumed: true),
    endurance: Sourced(.writes(1e15), source: "assumed: eDRAM does not wear out; 10¹⁵ stands for unlimited", assumed: true),
    replication: 1, vectorLanes: 32, bufferBytesPerCycle: 32, dualMode: true, switchCycles: 1,
    memoryBytesPerCycle: 4, inputBroadcast: true)
}
