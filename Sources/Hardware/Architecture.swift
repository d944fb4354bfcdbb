import HybrixCore

/// A heterogeneous accelerator: compute tiers, the memory they share, and links between them.
///
/// Data moves between two tiers over their ``Link`` when one is declared, otherwise through the
/// global buffer (written by one tier, read by the other). Weights that are not resident and
/// activations that overflow the global buffer come from DRAM.
public struct Architecture: Sendable {
  public var name: String
  public var description: String
  public var tiers: [any HardwareTier]
  public var memory: MemorySpec
  public var links: [LinkSpec]
  /// Where the architecture came from (preset name or file), for reports.
  public var origin: String

  public init(
    name: String, description: String = "", tiers: [any HardwareTier], memory: MemorySpec,
    links: [LinkSpec] = [], origin: String = ""
  ) {
    self.name = name
    self.description = description
    self.tiers = tiers
    self.memory = memory
    self.links = links
    self.origin = origin
  }

  /// Index of the tier called `id`.
  public func tierIndex(_ id: String) -> Int? { tiers.firstIndex { $0.id == id } }

  /// The link between tiers `a` and `b` (in either direction), if declared.
  public func link(_ a: String, _ b: String) -> LinkSpec? {
    links.first { ($0.from == a && $0.to == b) || ($0.from == b && $0.to == a) }
  }

  /// Total area of the tiers (memories and links are not included: their areas are not modelled).
  public var computeArea: Area { tiers.reduce(.zero) { $0 + $1.area } }

  /// The same architecture with only the tier `id` (for homogeneous baselines).
  public func only(_ id: String) -> Architecture? {
    guard let t = tiers.first(where: { $0.id == id }) else { return nil }
    return Architecture(
      name: "\(name)/\(id)", description: "only \(id) of \(name)", tiers: [t], memory: memory,
      links: [], origin: origin)
  }
}

/// Off-chip memory and the global on-chip buffer.
public struct MemorySpec: Codable, Hashable, Sendable {
  public var dramBandwidth: Sourced<Bandwidth>
  public var dramEnergy: Sourced<EnergyPerData>
  public var globalBuffer: DataSize
  public var globalBufferBandwidth: Sourced<Bandwidth>
  public var globalBufferEnergy: Sourced<EnergyPerData>

  public init(
    dramBandwidth: Sourced<Bandwidth>, dramEnergy: Sourced<EnergyPerData>, globalBuffer: DataSize,
    globalBufferBandwidth: Sourced<Bandwidth>, globalBufferEnergy: Sourced<EnergyPerData>
  ) {
    self.dramBandwidth = dramBandwidth
    self.dramEnergy = dramEnergy
    self.globalBuffer = globalBuffer
    self.globalBufferBandwidth = globalBufferBandwidth
    self.globalBufferEnergy = globalBufferEnergy
  }

  public enum CodingKeys: String, CodingKey, CaseIterable {
    case dramBandwidth = "dram_bandwidth"
    case dramEnergy = "dram_energy"
    case globalBuffer = "global_buffer"
    case globalBufferBandwidth = "global_buffer_bandwidth"
    case globalBufferEnergy = "global_buffer_energy"
  }

  func validate() -> [ConfigError] {
    [
      TierCheck.positive(dramBandwidth.value, "dram_bandwidth"),
      TierCheck.positive(globalBuffer, "global_buffer"),
      TierCheck.positive(globalBufferBandwidth.value, "global_buffer_bandwidth"),
      dramEnergy.value.baseValue < 0 ? ConfigError(path: "dram_energy", message: "\(dramEnergy.value)", expected: "≥ 0") : nil,
      globalBufferEnergy.value.baseValue < 0 ? ConfigError(path: "global_buffer_energy", message: "\(globalBufferEnergy.value)", expected: "≥ 0") : nil,
    ].compactMap { $0 }
  }
}

/// A direct connection between two tiers (a 3D TSV bundle, an optical link).
public struct LinkSpec: Codable, Hashable, Sendable {
  public var from: String
  public var to: String
  public var bandwidth: Sourced<Bandwidth>
  public var energy: Sourced<EnergyPerData>
  /// Electrical↔optical conversion at the ends, per byte moved (0 for electrical links).
  public var conversionEnergy: Sourced<EnergyPerData>?
  public var latency: Time?

  public init(
    from: String, to: String, bandwidth: Sourced<Bandwidth>, energy: Sourced<EnergyPerData>,
    conversionEnergy: Sourced<EnergyPerData>? = nil, latency: Time? = nil
  ) {
    self.from = from
    self.to = to
    self.bandwidth = bandwidth
    self.energy = energy
    self.conversionEnergy = conversionEnergy
    self.latency = latency
  }

  public enum CodingKeys: String, CodingKey, CaseIterable {
    case from, to, bandwidth, energy
    case conversionEnergy = "conversion_energy"
    case latency
  }

  /// Energy per byte including conversion.
  public var joulesPerByte: Double { energy.value.baseValue + (conversionEnergy?.value.baseValue ?? 0) }
}
