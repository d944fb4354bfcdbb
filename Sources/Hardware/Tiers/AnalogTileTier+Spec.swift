import HybrixCore

/// The spec of an ``AnalogTileTier``: `count` analog in-memory PCM tiles tightly coupled to one
/// digital host core (LionHeart/ALPINE).
///
/// Written in YAML at the top level of the tier's mapping, beside ``TierCommon``'s keys
/// (`clock` is the host's clock, in whose cycles the tier reports):
///
/// ```yaml
/// tile_rows: 256
/// tile_cols: 256
/// mvm_latency: {value: "130 ns", source: "…"}
/// dac_bits: 8
/// adc_bits: 8
/// host_ops_per_cycle: 8
/// io_bandwidth: {value: "4 GB/s", source: "…"}          # per tile
/// program_time_per_tile: {value: "5.12 ms", source: "…"}
/// ```
public struct AnalogTileSpec: TierSpec {
  public var common: TierCommon
  public var tileRows: Int
  public var tileCols: Int
  /// Time of one matrix-vector multiplication on one tile, converters included.
  public var mvmLatency: Sourced<Time>
  /// Input bits one MVM applies; wider inputs take `⌈activation_bits / dac_bits⌉` MVMs.
  public var dacBits: Int
  /// Output resolution, bits.
  public var adcBits: Int
  /// Pointwise operations per cycle of the digital host (shared by all tiles).
  public var hostOpsPerCycle: Int
  /// Input and output bandwidth of one tile.
  public var ioBandwidth: Sourced<Bandwidth>
  /// Time to program all weights of one tile (iterative program-and-verify); tiles program in
  /// parallel.
  public var programTimePerTile: Sourced<Time>

  public init(
    common: TierCommon, tileRows: Int, tileCols: Int, mvmLatency: Sourced<Time>, dacBits: Int, adcBits: Int,
    hostOpsPerCycle: Int, ioBandwidth: Sourced<Bandwidth>, programTimePerTile: Sourced<Time>
  ) {
    self.common = common
    self.tileRows = tileRows
    self.tileCols = tileCols
    self.mvmLatency = mvmLatency
    self.dacBits = dacBits
    self.adcBits = adcBits
    self.hostOpsPerCycle = hostOpsPerCycle
    self.ioBandwidth = ioBandwidth
    self.programTimePerTile = programTimePerTile
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case tileRows = "tile_rows"
    case tileCols = "tile_cols"
    case mvmLatency = "mvm_latency"
    case dacBits = "dac_bits"
    case adcBits = "adc_bits"
    case hostOpsPerCycle = "host_ops_per_cycle"
    case ioBandwidth = "io_bandwidth"
    case programTimePerTile = "program_time_per_tile"
  }
  public static let ownKeys = CodingKeys.allCases.map(\.rawValue)

  public init(from decoder: any Decoder) throws {
    common = try TierCommon(from: decoder)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    tileRows = try c.decode(Int.self, forKey: .tileRows)
    tileCols = try c.decode(Int.self, forKey: .tileCols)
    mvmLatency = try c.decode(Sourced<Time>.self, forKey: .mvmLatency)
    dacBits = try c.decode(Int.self, forKey: .dacBits)
    adcBits = try c.decode(Int.self, forKey: .adcBits)
    hostOpsPerCycle = try c.decode(Int.self, forKey: .hostOpsPerCycle)
    ioBandwidth = try c.decode(Sourced<Bandwidth>.self, forKey: .ioBandwidth)
    programTimePerTile = try c.decode(Sourced<Time>.self, forKey: .programTimePerTile)
  }

  public func encode(to encoder: any Encoder) throws {
    try common.encode(to: encoder)
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(tileRows, forKey: .tileRows)
    try c.encode(tileCols, forKey: .tileCols)
    try c.encode(mvmLatency, forKey: .mvmLatency)
    try c.encode(dacBits, forKey: .dacBits)
    try c.encode(adcBits, forKey: .adcBits)
    try c.encode(hostOpsPerCycle, forKey: .hostOpsPerCycle)
    try c.encode(ioBandwidth, forKey: .ioBandwidth)
    try c.encode(programTimePerTile, forKey: .programTimePerTile)
  }

  /// Problems with the spec's own fields, with paths relative to the tier.
  func validate() -> [ConfigError] {
    var errors = [
      TierCheck.range(tileRows, 1...65_536, "tile_rows"), TierCheck.range(tileCols, 1...65_536, "tile_cols"),
      TierCheck.positive(mvmLatency.value, "mvm_latency"), TierCheck.range(dacBits, 1...16, "dac_bits"),
      TierCheck.range(adcBits, 1...16, "adc_bits"), TierCheck.range(hostOpsPerCycle, 1...1_048_576, "host_ops_per_cycle"),
      TierCheck.positive(ioBandwidth.value, "io_bandwidth"),
      TierCheck.positive(programTimePerTile.value, "program_time_per_tile"),
    ].compactMap { $0 }
    for action in [
      Action.arrayActivation, .adcConversion, .dacConversion, .vectorOp, .bufferRead, .bufferWrite, .cellWrite,
    ]
    where common.energy[action] == nil {
      errors.append(ConfigError(path: "energy.\(action)", message: "missing", expected: "{value: \"… pJ\", source: \"…\"}"))
    }
    return errors
  }
}

// MARK: - Presets

extension AnalogTileSpec {
  /// Eight 256×256 PCM tiles on a Cortex-A53-class host, as in ALPINE (Klein et al., IEEE TC
  /// 2023) and LionHeart (Lammie et al., IEEE TETC 2025), with HERMES's MVM time (Le Gallo et al.,
  /// Nature Electronics 2023). ALPINE gives one energy per MVM, so the converters are folded into
  /// `array_activation` and priced at zero on their own. Assumed: 8 tiles; a 1 GHz host clock
  /// (HERMES-Core's main clock is also 1 GHz); `host_ops_per_cycle: 8`, since the Cortex-A53's NEON
  /// unit has a 64-bit datapath, 8 int8 lanes per cycle.
  public static let alpineLike = AnalogTileSpec(
    common: TierCommon(
      id: "aimc0", kind: .analog, count: 8, clock: .gigahertz(1), weightBits: 8, activationBits: 8,
      areaPerUnit: Sourced(
        .squareMillimetres(0.63),
        source: "HERMES core (Khaddam-Aljameh et al., JSSC 2022): 1.59 TOPS/mm² at 14 nm; one 256×256 MVM (131 072 ops) per 130 ns = 1.01 TOPS → 0.63 mm²", assumed: true),
      staticPowerPerUnit: Sourced(
        .watts(1e-3), source: "assumed: PCM holds its weights unpowered; 1 mW of converter and control leakage per tile", assumed: true),
      energy: EnergyTable([
        .arrayActivation: Sourced(
          .picojoules(131_072 / 12.8e12 * 1e12),
          source: "ALPINE (Klein et al., IEEE TC 2023): 12.8 TOp/s/W per tile → 2 · 256 · 256 ops ÷ 12.8e12 op/J = 10.24 nJ per MVM, converters included"),
        .adcConversion: Sourced(.picojoules(0), source: "included in array_activation (ALPINE gives one energy per MVM)"),
        .dacConversion: Sourced(.picojoules(0), source: "included in array_activation (ALPINE gives one energy per MVM)"),
        .vectorOp: Sourced(.picojoules(0.1), source: "Horowitz, ISSCC 2014, 45 nm: 16-bit add 0.05 pJ, doubled for a NEON lane's register and control", assumed: true),
        .bufferRead: Sourced(.picojoules(1.25), source: "Horowitz, ISSCC 2014, 45 nm: 8 kB SRAM 64-bit read 10 pJ → 1.25 pJ/B (host L1 feeding the tile queue)"),
        .bufferWrite: Sourced(.picojoules(1.25), source: "Horowitz, ISSCC 2014, 45 nm: taken equal to the read energy", assumed: true),
        .cellWrite: Sourced(
          .picojoules(200),
          source: "assumed: ~10 pJ per PCM program pulse with its verify read × 20 program-and-verify iterations per weight; ALPINE and HERMES do not report it", assumed: true),
      ]),
      powerGating: .gated(
        wakeUp: .nanoseconds(130),
        source: "assumed: PCM keeps its weights unpowered (static_power_per_unit is converter and control leakage), so idle tiles are switched off; waking a tile's periphery is taken as one 130 ns MVM (Le Gallo et al., Nature Electronics 2023)",
        assumed: true)),
    tileRows: 256, tileCols: 256,
    mvmLatency: Sourced(.nanoseconds(130), source: "Le Gallo et al., Nature Electronics 2023 (HERMES), as quoted by LionHeart: 65 536 MACs in 130 ns"),
    dacBits: 8, adcBits: 8, hostOpsPerCycle: 8,
    ioBandwidth: Sourced(Bandwidth(baseValue: 4e9), source: "ALPINE (Klein et al., IEEE TC 2023): 4 GB/s tile I/O"),
    programTimePerTile: Sourced(
      .nanoseconds(5.12e6),
      source: "assumed: 256 rows, one at a time, × 20 program-and-verify iterations × 1 µs (pulse plus verify read); aihwkit models the programming error but not its time", assumed: true))
}
