import HybrixCore

/// One systolic-array baseline of Mirage's Table II: energy and area per MAC unit and clock,
/// built as `arrays` arrays of 16 × 32 MAC units (Mirage's array size, replicated to scale)
/// [Demirkiran et al., ISCA 2024, arXiv 2311.17323v2 §V-B2, Table II; papers.md §7.1].
public struct MirageBaseline: Sendable, Hashable {
  public var name: String
  public var energyPerMAC: Sourced<Energy>
  /// `nil` where Table II gives none (FMAC): no iso-area comparison.
  public var areaPerMAC: Sourced<Area>?
  public var clock: Sourced<Frequency>
  /// Operand format of its MACs (the tier's nominal bits; the whole-system comparison stores
  /// FP32 tensors on both sides, as Mirage does).
  public var precision: SourcedValue<[Int]>
  public var summary: String

  static let table = "Demirkiran et al., Mirage, ISCA 2024 (arXiv 2311.17323v2) Table II"

  init(_ name: String, pJ: Double, mm2: Double?, gigahertz: Double, bits: Int, bitsSource: String? = nil, _ summary: String) {
    self.name = name
    energyPerMAC = Sourced(.picojoules(pJ), source: "\(Self.table): \(name) \(pJ) pJ/MAC")
    areaPerMAC = mm2.map { Sourced(.squareMillimetres($0), source: "\(Self.table): \(name) \($0) mm²/MAC") }
    clock = Sourced(.gigahertz(gigahertz), source: "\(Self.table): \(name) at \(gigahertz) GHz")
    precision = SourcedValue(
      [bits, bits], source: bitsSource ?? "\(Self.table): the \(name) format, \(bits)-bit operands",
      assumed: bitsSource != nil)
    self.summary = summary
  }

  /// Table II's baselines, in its order.
  public static let all: [MirageBaseline] = [
    MirageBaseline("fp32", pJ: 12.42, mm2: 9.6e-3, gigahertz: 0.5, bits: 32, "FP32 systolic array"),
    MirageBaseline("bf16", pJ: 3.20, mm2: 3.5e-3, gigahertz: 0.5, bits: 16, "bfloat16 systolic array"),
    MirageBaseline("hfp8", pJ: 1.47, mm2: 1.4e-3, gigahertz: 0.5, bits: 8, "hybrid FP8 systolic array"),
    MirageBaseline("int12", pJ: 0.71, mm2: 7.7e-4, gigahertz: 1, bits: 12, bitsSource: "assumed: INT12 operands stored as 12-bit values (packed)", "INT12 systolic array"),
    MirageBaseline("int8", pJ: 0.42, mm2: 4.1e-4, gigahertz: 1, bits: 8, "INT8 systolic array"),
    MirageBaseline(
      "fmac", pJ: 0.11, mm2: nil, gigahertz: 0.5, bits: 8,
      bitsSource: "assumed: Table II's FMAC is a block-floating-point MAC; operands stored as 8-bit BFP values (4-bit mantissas + sign and shared exponents rounded up)",
      "FMAC (block-floating-point MAC) systolic array; no area in Table II"),
  ]

  /// Mirage's own row of Table II (for the paper's scaling rule).
  public static let mirageEnergyPerMAC = Sourced(Energy.picojoules(0.21), source: "\(table): Mirage 0.21 pJ/MAC")
  public static let mirageAreaPerMAC = Sourced(Area.squareMillimetres(0.12), source: "\(table): Mirage 0.12 mm²/MAC")

  public static var names: [String] { all.map(\.name) }

  /// The baseline called `name` (case-insensitive); the error suggests the nearest.
  public static func named(_ name: String, path: String = "--against") throws(ConfigError) -> MirageBaseline {
    if let b = all.first(where: { $0.name == name.lowercased() }) { return b }
    throw ConfigError(
      path: path, message: "no Mirage baseline named \"\(name)\"",
      expected: "one of Table II's systolic arrays: \(names.joined(separator: ", "))",
      hint: NearestName.suggestion(for: name.lowercased(), among: names).map { "did you mean \($0)?" })
  }

  public static let rows = MiragePreset.rows
  public static let cols = MiragePreset.cols
  public static var macsPerArray: Int { rows * cols }

  /// `arrays` 16 × 32 arrays of this MAC unit (tier `sa-NAME`). Only the MAC energy is the
  /// paper's; the SRAM is priced as Mirage's, so that a whole-system comparison charges both
  /// sides the same memory. Each array gets its share of Mirage's 24 MB of SRAM (at least one
  /// tile's operands) and a port wide enough that it never starves.
  public func tier(arrays: Int) -> SystolicArraySpec {
    let bytes = (precision.value[0] + 7) / 8
    let tileBytes = 2 * Self.macsPerArray * bytes + Self.rows * bytes + Self.cols * 4
    let share = MiragePreset.memory.globalBuffer.bytes
    let area = areaPerMAC.map {
      Sourced($0.value * Double(Self.macsPerArray), source: $0.source + " × 512 MAC units per 16×32 array")
    } ?? Sourced(.zero, source: "\(Self.table): no area for \(name)", assumed: true)
    return SystolicArraySpec(
      common: TierCommon(
        id: "sa-\(name)", kind: .digital, count: max(1, arrays), clock: clock.value,
        weightBits: precision.value[0], activationBits: precision.value[1], areaPerUnit: area,
        staticPowerPerUnit: Sourced(.watts(0), source: "\(Self.table): MAC energy only, no leakage", assumed: true),
        energy: EnergyTable([
          .mac: energyPerMAC,
          .vectorOp: MiragePreset.fp32Add,
          .bufferRead: MiragePreset.sramPerByte,
          .bufferWrite: MiragePreset.sramPerByte,
        ])),
      rows: Self.rows, cols: Self.cols, vectorLanes: Self.cols, buffer: .bytes(max(Double(tileBytes), share)),
      bufferBytesPerCycle: (Self.rows + Self.cols) * 4, dataflow: .best)
  }

  /// The baseline system: Mirage's digital side (host) and memory with the MAC arrays in place
  /// of the photonic core.
  public func architecture(arrays: Int) throws(ConfigErrors) -> Architecture {
    let sa = tier(arrays: arrays)
    return Architecture(
      name: "mirage-baseline-\(name)", description: "\(arrays) × 16×32 \(summary) beside Mirage's digital side",
      tiers: [try SystolicArrayTier(spec: MiragePreset.digital()), try SystolicArrayTier(spec: sa)],
      memory: MiragePreset.memory, links: [MiragePreset.stack("host", sa.common.id)])
  }
}
