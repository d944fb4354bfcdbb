import HybrixCore

/// Whether a tier's units are switched off while they do no work, and what waking them costs.
///
/// Written in a tier's YAML as `power_gating: {enabled: true, wake_up_latency: "100 ns", source:
/// "…"}`. Without it a tier is powered for the whole run once a mapping uses it: SRAM and eDRAM
/// must keep their weights, and lasers are not switched between operators. Non-volatile cells
/// (ReRAM, PCM) keep their weights unpowered, so their tiers may gate idle arrays.
///
/// A gated unit draws its static power only while it holds or processes work, plus one wake-up
/// before each piece of work. The schedule is static, so a wake-up is issued ahead of the work and
/// costs its static power for `wake_up_latency`, not time.
public struct PowerGating: Codable, Hashable, Sendable {
  public var enabled: Bool
  /// Time a gated unit needs to become usable again.
  public var wakeUpLatency: Time?
  public var source: String?
  public var assumed: Bool

  public init(enabled: Bool, wakeUpLatency: Time?, source: String?, assumed: Bool = false) {
    self.enabled = enabled
    self.wakeUpLatency = wakeUpLatency
    self.source = source
    self.assumed = assumed
  }

  /// Gated, with a wake-up latency and its source.
  public static func gated(wakeUp: Time, source: String, assumed: Bool = false) -> PowerGating {
    PowerGating(enabled: true, wakeUpLatency: wakeUp, source: source, assumed: assumed)
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case enabled
    case wakeUpLatency = "wake_up_latency"
    case source, assumed
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    enabled = try c.decode(Bool.self, forKey: .enabled)
    wakeUpLatency = try c.decodeIfPresent(Time.self, forKey: .wakeUpLatency)
    source = try c.decodeIfPresent(String.self, forKey: .source)
    assumed = try c.decodeIfPresent(Bool.self, forKey: .assumed) ?? false
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(enabled, forKey: .enabled)
    try c.encodeIfPresent(wakeUpLatency, forKey: .wakeUpLatency)
    try c.encodeIfPresent(source, forKey: .source)
    if assumed { try c.encode(true, forKey: .assumed) }
  }

  /// Problems, with paths relative to the tier.
  func validate() -> [ConfigError] {
    guard enabled else { return [] }
    var errors: [ConfigError] = []
    if let t = wakeUpLatency {
      if !(t.seconds >= 0 && t.seconds.isFinite) {
        errors.append(
          ConfigError(path: "power_gating.wake_up_latency", message: "\(t)", expected: "a time ≥ 0"))
      }
    } else {
      errors.append(
        ConfigError(
          path: "power_gating.wake_up_latency", message: "missing",
          expected: "the time a gated unit needs to wake, e.g. \"100 ns\"",
          hint: "power gating is not free: give its wake-up latency and a source, or set enabled: false"))
    }
    if (source ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
      errors.append(
        ConfigError(
          path: "power_gating.source", message: "missing",
          expected: "where the wake-up latency comes from (paper, datasheet, or \"assumed: …\")"))
    }
    return errors
  }

  /// Seconds of wake-up charged per piece of work (0 when not gated).
  public var wakeUpSeconds: Double { enabled ? (wakeUpLatency?.seconds ?? 0) : 0 }
}
