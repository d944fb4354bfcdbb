import HybrixCore

/// A compute tier: a spec plus a pure evaluator that counts the actions and cycles of a slice of
/// work [Timeloop `LevelSpecs`/`Level`]. Energy comes from pricing the actions with the tier's
/// ``EnergyTable``; the tier itself never prices anything.
///
/// A new tier is one file with a type conforming to this protocol and one line in
/// ``TierRegistry``; the conformance tests then cover it.
public protocol HardwareTier: Sendable {
  associatedtype Spec: TierSpec
  /// The `kind:` this tier is written as in YAML.
  static var kind: TierKind { get }
  /// Example spec for tests and documentation (a valid, sourced configuration).
  static var example: Spec { get }
  var spec: Spec { get }
  /// Validates the spec, collecting every problem with its path.
  init(spec: Spec) throws(ConfigErrors)
  /// Cycles and actions of `work` on all `count` units of this tier, or why the tier cannot run it.
  func evaluate(_ work: TileWork) -> Result<TierActivity, Infeasibility>
  /// Bytes of static weights the tier can keep programmed at `weightBits` per weight; `nil` when
  /// it holds no weights (they stream through buffers).
  func weightCapacityBytes(weightBits: Int) -> Double?
  /// Static power of the whole tier while it is powered: leakage, lasers, held phase shifters.
  /// The default is the spec's `static_power_per_unit` × `count`; what a tier adds beyond that
  /// (lasers) cannot be power-gated.
  var staticPower: Power { get }
  /// The numbers the tier computes with, read from the spec values its cost model prices; the
  /// accuracy side builds the tier's numerical model from them. No default: a tier must say.
  var numerics: TierNumerics { get }
}

extension HardwareTier {
  public var common: TierCommon { spec.common }
  public var id: String { spec.common.id }
  public var clock: Frequency { spec.common.clock }
  public var energyTable: EnergyTable { spec.common.energy }
  /// Area of all units.
  public var area: Area { spec.common.areaPerUnit.value * Double(spec.common.count) }
  /// Static power of all units while powered (a tier with lasers adds them in its own `staticPower`).
  public var staticPower: Power { commonStaticPower }
  /// `static_power_per_unit` × `count`.
  public var commonStaticPower: Power { spec.common.staticPowerPerUnit.value * Double(spec.common.count) }
}

/// What a slice of work does on a tier.
public struct TierActivity: Hashable, Sendable {
  /// Clock cycles the tier is busy.
  public var cycles: Double
  public var actions: ActionCounts
  /// Useful MACs per available MAC slot over those cycles, in 0…1 (`nil` for non-matrix work).
  public var utilization: Double?
  /// Units (arrays, tiles) that hold or process this work. On a power-gated tier the others draw
  /// no static power; `nil`: all units are on (a shared host).
  public var activeUnits: Double?
  /// Bytes the tier must read from and write to the memory behind it beyond the operands'
  /// compulsory traffic, because an operand does not fit its buffer (re-reads, partial-sum spills).
  public var refillBytes: Double
  public init(
    cycles: Double, actions: ActionCounts, utilization: Double? = nil, activeUnits: Double? = nil,
    refillBytes: Double = 0
  ) {
    self.cycles = cycles
    self.actions = actions
    self.utilization = utilization
    self.activeUnits = activeUnits
    self.refillBytes = refillBytes
  }
}

/// Why a tier cannot run a slice: a value, not an error, so strategies count failures alike
/// [Stream `UnmetConstraintIR`, Timeloop `EvalStatus`].
public struct Infeasibility: Error, Hashable, Sendable, Codable, CustomStringConvertible {
  public var tier: String
  public var statement: String
  public var demand: Double?
  public var bound: Double?
  public var unit: String?
  /// What a user can change to make it fit.
  public var levers: [String]

  public init(
    tier: String, statement: String, demand: Double? = nil, bound: Double? = nil,
    unit: String? = nil, levers: [String] = []
  ) {
    self.tier = tier
    self.statement = statement
    self.demand = demand
    self.bound = bound
    self.unit = unit
    self.levers = levers
  }

  public var description: String {
    var s = "\(tier): \(statement)"
    if let demand, let bound {
      s += " (needs \(formatSignificant(demand, digits: 3))\(unit.map { " " + $0 } ?? ""), holds \(formatSignificant(bound, digits: 3)))"
    }
    if !levers.isEmpty { s += "; levers: " + levers.joined(separator: ", or ") }
    return s
  }
}

/// The fields every tier spec has, written at the top level of the tier's YAML mapping.
public struct TierCommon: Codable, Hashable, Sendable {
  public var id: String
  public var kind: TierKind
  /// Number of identical units (arrays, tiles, cores) that work in parallel.
  public var count: Int
  public var clock: Frequency
  /// Native precision of weights and activations on this tier.
  public var weightBits: Int
  public var activationBits: Int
  public var areaPerUnit: Sourced<Area>
  public var staticPowerPerUnit: Sourced<Power>
  public var energy: EnergyTable
  /// Whether idle units are switched off (absent: powered for the whole run once used).
  public var powerGating: PowerGating?
  /// A named noise model the accuracy side uses instead of the one the tier's numerics imply
  /// (`h3pimap`: the H3PIMAP paper's model for the tier's technology); absent: the numerics'.
  public var noiseModel: String?

  public init(
    id: String, kind: TierKind, count: Int, clock: Frequency, weightBits: Int, activationBits: Int,
    areaPerUnit: Sourced<Area>, staticPowerPerUnit: Sourced<Power>, energy: EnergyTable,
    powerGating: PowerGating? = nil, noiseModel: String? = nil
  ) {
    self.id = id
    self.kind = kind
    self.count = count
    self.clock = clock
    self.weightBits = weightBits
    self.activationBits = activationBits
    self.areaPerUnit = areaPerUnit
    self.staticPowerPerUnit = staticPowerPerUnit
    self.energy = energy
    self.powerGating = powerGating
    self.noiseModel = noiseModel
  }

  /// Whether the tier's idle units draw no static power.
  public var isPowerGated: Bool { powerGating?.enabled ?? false }

  public enum CodingKeys: String, CodingKey, CaseIterable {
    case id, kind, count, clock
    case weightBits = "weight_bits"
    case activationBits = "activation_bits"
    case areaPerUnit = "area_per_unit"
    case staticPowerPerUnit = "static_power_per_unit"
    case energy
    case powerGating = "power_gating"
    case noiseModel = "noise_model"
  }

  /// Problems with the common fields, with paths relative to the tier.
  public func validate() -> [ConfigError] {
    var errors: [ConfigError] = []
    if id.isEmpty { errors.append(ConfigError(path: "id", message: "empty id", expected: "a name such as sa0")) }
    if count < 1 { errors.append(ConfigError(path: "count", message: "\(count)", expected: "an integer ≥ 1")) }
    if !(clock.hertz > 0) { errors.append(ConfigError(path: "clock", message: "\(clock)", expected: "a positive frequency")) }
    for (key, bits) in [("weight_bits", weightBits), ("activation_bits", activationBits)] where !(1...32).contains(bits) {
      errors.append(ConfigError(path: key, message: "\(bits)", expected: "1…32"))
    }
    if areaPerUnit.value.baseValue < 0 {
      errors.append(ConfigError(path: "area_per_unit", message: "\(areaPerUnit.value)", expected: "an area ≥ 0"))
    }
    if staticPowerPerUnit.value.baseValue < 0 {
      errors.append(ConfigError(path: "static_power_per_unit", message: "\(staticPowerPerUnit.value)", expected: "a power ≥ 0"))
    }
    errors += powerGating?.validate() ?? []
    for (action, e) in energy.entries where e.value.joules < 0 {
      errors.append(ConfigError(path: "energy.\(action)", message: "\(e.value)", expected: "an energy ≥ 0"))
    }
    return errors
  }
}

/// A tier's spec: the common fields plus its own, all in one YAML mapping.
public protocol TierSpec: Codable, Hashable, Sendable {
  var common: TierCommon { get set }
  /// The YAML keys of this spec beyond ``TierCommon``'s, for unknown-key detection.
  static var ownKeys: [String] { get }
}

extension TierSpec {
  /// Every key this spec accepts.
  public static var allKeys: [String] { TierCommon.CodingKeys.allCases.map(\.rawValue) + ownKeys }
}

/// Helpers for tier validation.
public enum TierCheck {
  /// An error at `path` unless `value` lies in `range`.
  public static func range<T: Comparable>(_ value: T, _ range: ClosedRange<T>, _ path: String) -> ConfigError? {
    range.contains(value) ? nil : ConfigError(path: path, message: "\(value)", expected: "\(range.lowerBound)…\(range.upperBound)")
  }

  /// An error at `path` unless `value` is positive.
  public static func positive<Q: Quantity>(_ value: Q, _ path: String) -> ConfigError? {
    value.baseValue > 0 ? nil : ConfigError(path: path, message: "\(value)", expected: "a positive \(Q.dimension)")
  }

  /// Throws the collected errors, if any.
  public static func finish(_ errors: [ConfigError?]) throws(ConfigErrors) {
    let found = errors.compactMap { $0 }
    if !found.isEmpty { throw ConfigErrors(found) }
  }
}
