import HybrixCore

/// The spec of a ``PhotonicCoreTier``: SimPhony's DPTC sub-architecture parameters
/// [`ScopeX-ASU/SimPhony` configs/design/cores/dptc.yml, sub_architectures/LT.yml].
///
/// `adc_conversion`, `dac_conversion` and `modulation` are derived from `adc`, `dac` and
/// `modulator_energy_per_bit`, so a file must not give them under `energy:`; the built tier's
/// ``TierCommon/energy`` holds the derived values with the formula as their source.
public struct PhotonicCoreSpec: TierSpec {
  /// Which operand the core keeps in its encoders while the other streams
  /// [SimPhony onnarchsim/workflow/energy.py `reuse_determinator`].
  public enum Dataflow: String, Codable, Hashable, Sendable, CaseIterable {
    case weightStationary = "weight-stationary"
    case inputStationary = "input-stationary"
    case outputStationary = "output-stationary"

    public init(from decoder: any Decoder) throws {
      let text = try decoder.singleValueContainer().decode(String.self)
      guard let value = Dataflow(rawValue: text) else {
        throw ConfigError(
          path: decoder.codingPath.map(\.stringValue).joined(separator: "."), message: "unknown dataflow \"\(text)\"",
          expected: Dataflow.allCases.map(\.rawValue).joined(separator: ", "))
      }
      self = value
    }
  }

  /// How signed operands are encoded [SimPhony dataflow.py `loading_factor_calculator`].
  public enum SignedOperands: String, Codable, Hashable, Sendable, CaseIterable {
    /// Coherent or balanced detection carries the sign (SimPhony range `full`): one pass.
    case differential
    /// Positive-only encoding: the product runs twice (x⁺·w, x⁻·w) and is subtracted digitally.
    case twoPass = "two-pass"

    public init(from decoder: any Decoder) throws {
      let text = try decoder.singleValueContainer().decode(String.self)
      guard let value = SignedOperands(rawValue: text) else {
        throw ConfigError(
          path: decoder.codingPath.map(\.stringValue).joined(separator: "."),
          message: "unknown signed-operand encoding \"\(text)\"",
          expected: SignedOperands.allCases.map(\.rawValue).joined(separator: ", "))
      }
      self = value
    }
  }

  public var common: TierCommon
  /// R: tiles of the sub-architecture.
  public var tiles: Int
  /// C: cores per tile.
  public var coresPerTile: Int
  /// H × W: dot-product nodes per core.
  public var nodeRows: Int
  public var nodeCols: Int
  /// N_λ: wavelengths, each carrying one element of the reduction.
  public var wavelengths: Int
  public var dataflow: Dataflow
  public var signedOperands: SignedOperands
  /// Cycles an integrator accumulates before its ADC converts (SimPhony `temporal_accum_factor`).
  public var accumulationCycles: Int
  /// Reference ADC (SAR) and DAC, rescaled to the tier's bits and clock.
  public var adc: ConverterReference
  public var dac: ConverterReference
  /// Operand modulator (MZM) efficiency; one symbol costs it once (SimPhony `testing_bit` = 1).
  public var modulatorEnergyPerBit: Sourced<EnergyPerData>
  /// Response time of the operand-encoding devices (MZM + DAC); at least one cycle.
  public var tuningLatency: Sourced<Time>
  /// Power one node phase shifter draws to hold its bias (there are H·W·R·C).
  public var phaseShifterHoldPower: Sourced<Power>
  /// Laser link budget: loss of the longest optical path, photodetector sensitivity, laser
  /// wall-plug efficiency and modulator extinction ratio.
  public var insertionLossDB: SourcedNumber
  public var pdSensitivityDBm: SourcedNumber
  public var laserWallPlugEfficiency: SourcedNumber
  public var extinctionRatioDB: SourcedNumber

  public init(
    common: TierCommon, tiles: Int, coresPerTile: Int, nodeRows: Int, nodeCols: Int, wavelengths: Int,
    dataflow: Dataflow, signedOperands: SignedOperands = .twoPass, accumulationCycles: Int = 3,
    adc: ConverterReference, dac: ConverterReference, modulatorEnergyPerBit: Sourced<EnergyPerData>,
    tuningLatency: Sourced<Time>, phaseShifterHoldPower: Sourced<Power>, insertionLossDB: SourcedNumber,
    pdSensitivityDBm: SourcedNumber, laserWallPlugEfficiency: SourcedNumber, extinctionRatioDB: SourcedNumber
  ) {
    self.common = common
    self.tiles = tiles
    self.coresPerTile = coresPerTile
    self.nodeRows = nodeRows
    self.nodeCols = nodeCols
    self.wavelengths = wavelengths
    self.dataflow = dataflow
    self.signedOperands = signedOperands
    self.accumulationCycles = accumulationCycles
    self.adc = adc
    self.dac = dac
    self.modulatorEnergyPerBit = modulatorEnergyPerBit
    self.tuningLatency = tuningLatency
    self.phaseShifterHoldPower = phaseShifterHoldPower
    self.insertionLossDB = insertionLossDB
    self.pdSensitivityDBm = pdSensitivityDBm
    self.laserWallPlugEfficiency = laserWallPlugEfficiency
    self.extinctionRatioDB = extinctionRatioDB
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case tiles
    case coresPerTile = "cores_per_tile"
    case nodeRows = "node_rows"
    case nodeCols = "node_cols"
    case wavelengths, dataflow
    case signedOperands = "signed_operands"
    case accumulationCycles = "accumulation_cycles"
    case adc, dac
    case modulatorEnergyPerBit = "modulator_energy_per_bit"
    case tuningLatency = "tuning_latency"
    case phaseShifterHoldPower = "phase_shifter_hold_power"
    case insertionLossDB = "insertion_loss_db"
    case pdSensitivityDBm = "pd_sensitivity_dbm"
    case laserWallPlugEfficiency = "laser_wall_plug_efficiency"
    case extinctionRatioDB = "extinction_ratio_db"
  }
  public static let ownKeys = CodingKeys.allCases.map(\.rawValue)

  public init(from decoder: any Decoder) throws {
    common = try TierCommon(from: decoder)
    try DerivedEnergy.reject(PhotonicCoreTier.derivedActions, in: common, from: "adc, dac and modulator_energy_per_bit")
    let c = try decoder.container(keyedBy: CodingKeys.self)
    tiles = try c.decode(Int.self, forKey: .tiles)
    coresPerTile = try c.decode(Int.self, forKey: .coresPerTile)
    nodeRows = try c.decode(Int.self, forKey: .nodeRows)
    nodeCols = try c.decode(Int.self, forKey: .nodeCols)
    wavelengths = try c.decode(Int.self, forKey: .wavelengths)
    dataflow = try c.decode(Dataflow.self, forKey: .dataflow)
    signedOperands = try c.decodeIfPresent(SignedOperands.self, forKey: .signedOperands) ?? .twoPass
    accumulationCycles = try c.decodeIfPresent(Int.self, forKey: .accumulationCycles) ?? 3
    adc = try c.decode(ConverterReference.self, forKey: .adc)
    dac = try c.decode(ConverterReference.self, forKey: .dac)
    modulatorEnergyPerBit = try c.decode(Sourced<EnergyPerData>.self, forKey: .modulatorEnergyPerBit)
    tuningLatency = try c.decode(Sourced<Time>.self, forKey: .tuningLatency)
    phaseShifterHoldPower = try c.decode(Sourced<Power>.self, forKey: .phaseShifterHoldPower)
    insertionLossDB = try c.decode(SourcedNumber.self, forKey: .insertionLossDB)
    pdSensitivityDBm = try c.decode(SourcedNumber.self, forKey: .pdSensitivityDBm)
    laserWallPlugEfficiency = try c.decode(SourcedNumber.self, forKey: .laserWallPlugEfficiency)
    extinctionRatioDB = try c.decode(SourcedNumber.self, forKey: .extinctionRatioDB)
  }

  public func encode(to encoder: any Encoder) throws {
    try DerivedEnergy.removing(PhotonicCoreTier.derivedActions, from: common).encode(to: encoder)
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(tiles, forKey: .tiles)
    try c.encode(coresPerTile, forKey: .coresPerTile)
    try c.encode(nodeRows, forKey: .nodeRows)
    try c.encode(nodeCols, forKey: .nodeCols)
    try c.encode(wavelengths, forKey: .wavelengths)
    try c.encode(dataflow, forKey: .dataflow)
    try c.encode(signedOperands, forKey: .signedOperands)
    try c.encode(accumulationCycles, forKey: .accumulationCycles)
    try c.encode(adc, forKey: .adc)
    try c.encode(dac, forKey: .dac)
    try c.encode(modulatorEnergyPerBit, forKey: .modulatorEnergyPerBit)
    try c.encode(tuningLatency, forKey: .tuningLatency)
    try c.encode(phaseShifterHoldPower, forKey: .phaseShifterHoldPower)
    try c.encode(insertionLossDB, forKey: .insertionLossDB)
    try c.encode(pdSensitivityDBm, forKey: .pdSensitivityDBm)
    try c.encode(laserWallPlugEfficiency, forKey: .laserWallPlugEfficiency)
    try c.encode(extinctionRatioDB, forKey: .extinctionRatioDB)
  }
}

/// A published data converter that a tier rescales to its own bits and clock, written as
/// `{bits: 8, sample_rate: "10 GHz", power: "14.8 mW", area: "2850 um^2", source: "…"}`
/// [SimPhony configs/devices/electronics/adc.yml, dac.yml].
public struct ConverterReference: Codable, Hashable, Sendable {
  public var bits: Int
  public var sampleRate: Frequency
  public var power: Power
  public var area: Area
  public var source: String
  public var assumed: Bool

  public init(bits: Int, sampleRate: Frequency, power: Power, area: Area, source: String, assumed: Bool = false) {
    self.bits = bits
    self.sampleRate = sampleRate
    self.power = power
    self.area = area
    self.source = source
    self.assumed = assumed
  }

  /// SAR ADC power at `bits` and `clock`: P = P_ref · (f / f_ref) · (b / b_ref)
  /// [SimPhony onnarchsim/workflow/energy.py `cal_ADC_power`, type `sar`].
  public func sarADCPower(bits b: Int, clock: Frequency) -> Power {
    power * (clock.hertz / sampleRate.hertz) * (Double(b) / Double(bits))
  }

  /// DAC power at `bits` and `clock`: P = P_ref · [2^b / (b+1)] / [2^b_ref / (b_ref+1)] · f / f_ref
  /// [SimPhony energy.py `cal_DAC_power`, the branch without a figure of merit].
  public func dacPower(bits b: Int, clock: Frequency) -> Power {
    let scale = Self.dacCost(b) / Self.dacCost(bits)
    return power * scale * (clock.hertz / sampleRate.hertz)
  }

  /// 2^b / (b+1), the DAC power law's bit dependence.
  static func dacCost(_ b: Int) -> Double { Double(1 << b) / Double(b + 1) }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case bits
    case sampleRate = "sample_rate"
    case power, area, source, assumed
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    bits = try c.decode(Int.self, forKey: .bits)
    sampleRate = try c.decode(Frequency.self, forKey: .sampleRate)
    power = try c.decode(Power.self, forKey: .power)
    area = try c.decode(Area.self, forKey: .area)
    source = try c.decode(String.self, forKey: .source)
    assumed = try c.decodeIfPresent(Bool.self, forKey: .assumed) ?? false
    if source.trimmingCharacters(in: .whitespaces).isEmpty {
      throw DecodingError.dataCorruptedError(
        forKey: .source, in: c, debugDescription: "the source of a converter is empty")
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(bits, forKey: .bits)
    try c.encode(sampleRate, forKey: .sampleRate)
    try c.encode(power, forKey: .power)
    try c.encode(area, forKey: .area)
    try c.encode(source, forKey: .source)
    if assumed { try c.encode(true, forKey: .assumed) }
  }

  /// Problems with the reference, with paths under `path`; `needed` is the most bits the tier
  /// converts (SimPhony asserts that a converter is only rescaled down in bits).
  func validate(_ path: String, needed: Int) -> [ConfigError] {
    [
      TierCheck.range(bits, 1...24, "\(path).bits"), TierCheck.positive(sampleRate, "\(path).sample_rate"),
      power.baseValue >= 0 ? nil : ConfigError(path: "\(path).power", message: "\(power)", expected: "a power ≥ 0"),
      area.baseValue >= 0 ? nil : ConfigError(path: "\(path).area", message: "\(area)", expected: "an area ≥ 0"),
      needed <= bits
        ? nil
        : ConfigError(
          path: "\(path).bits", message: "\(bits)-bit reference, but the tier converts \(needed) bits",
          expected: "a reference of at least \(needed) bits", hint: "SimPhony only rescales converters down in bits"),
    ].compactMap { $0 }
  }
}

/// A sourced plain number (dB, dBm, an efficiency).
public typealias SourcedNumber = SourcedValue<Double>

/// Energy-table entries a tier computes from device models rather than reads from `energy:`.
enum DerivedEnergy {
  /// A decoding error when a file gives one of `actions` under `energy:`.
  static func reject(_ actions: [Action], in common: TierCommon, from fields: String) throws(ConfigError) {
    for a in actions where common.energy[a] != nil {
      throw ConfigError(
        path: "energy.\(a)", message: "\(a) is derived by this tier", expected: "no \(a) entry",
        hint: "the \(common.kind.rawValue) tier computes it from \(fields)")
    }
  }

  /// `common` without the derived entries, as written to a file.
  static func removing(_ actions: [Action], from common: TierCommon) -> TierCommon {
    var c = common
    c.energy = EnergyTable(common.energy.entries.filter { !actions.contains($0.key) })
    return c
  }

  /// `common` with `entries` set (replacing any given for the same actions).
  static func setting(_ entries: [Action: Sourced<Energy>], in common: TierCommon) -> TierCommon {
    var c = common
    c.energy = EnergyTable(common.energy.entries.merging(entries) { _, derived in derived })
    return c
  }
}
