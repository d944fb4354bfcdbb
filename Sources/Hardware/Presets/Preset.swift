import HybrixCore

/// A built-in architecture with the publications its numbers come from.
public struct Preset: Sendable {
  public let name: String
  public let summary: String
  /// The papers this preset reproduces or borrows from.
  public let sources: [String]
  let make: @Sendable () throws(ConfigErrors) -> Architecture

  public init(name: String, summary: String, sources: [String], make: @escaping @Sendable () throws(ConfigErrors) -> Architecture) {
    self.name = name
    self.summary = summary
    self.sources = sources
    self.make = make
  }

  /// Builds the architecture, validating every tier as a file would be.
  public func architecture() throws(ConfigErrors) -> Architecture {
    var a = try make()
    a.origin = "preset \(name)"
    return a
  }
}

/// Memory systems the presets share.
public enum MemoryPresets {
  /// HBM as in SimPhony's memory library, with a 16 MB global buffer.
  public static let hbm = MemorySpec(
    dramBandwidth: Sourced(.bytesPerSecond(1e12), source: "SimPhony configs/memory: HBM 1 TB/s"),
    dramEnergy: Sourced(EnergyPerData(baseValue: 62.4e-12), source: "SimPhony configs/memory: HBM 62.4 pJ/byte"),
    globalBuffer: .bytes(16 * 1_048_576),
    globalBufferBandwidth: Sourced(.bytesPerSecond(512e9), source: "assumed: 512 B/cycle at 1 GHz, a 16-bank SRAM global buffer", assumed: true),
    globalBufferEnergy: Sourced(EnergyPerData(baseValue: 12.5e-12), source: "Horowitz, ISSCC 2014, 45 nm: 1 MB SRAM 64-bit access 100 pJ → 12.5 pJ/B"))

  /// LPDDR-class DRAM for an edge SoC (LionHeart/ALPINE).
  public static let edge = MemorySpec(
    dramBandwidth: Sourced(.bytesPerSecond(12.8e9), source: "assumed: one LPDDR4-3200 ×32 channel, 12.8 GB/s", assumed: true),
    dramEnergy: Sourced(EnergyPerData(baseValue: 15e-12), source: "ALPINE (Klein et al., TC 2022): DRAM 120 pJ per access, read as one 64-bit access → 15 pJ/B", assumed: true),
    globalBuffer: .bytes(1_048_576),
    globalBufferBandwidth: Sourced(.bytesPerSecond(32e9), source: "assumed: 32 B/cycle L2 at 1 GHz (Cortex-A53-class)", assumed: true),
    globalBufferEnergy: Sourced(EnergyPerData(baseValue: 12.5e-12), source: "Horowitz, ISSCC 2014, 45 nm: 1 MB SRAM 64-bit access 100 pJ → 12.5 pJ/B"))
}
