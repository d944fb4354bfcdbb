import HybrixCore

extension HeterogeneousPresets {
  static let h3pimapTable1 = "H3PIMAP (Yin et al., arXiv 2503.07778v2) §3.1–3.2, Table 1"

  /// `h3pimap`: H3PIMAP's architecture as §7.2 of papers.md reads its Table 1: a ReRAM-PIM tier (32 nm, 100
  /// tiles × 64 crossbars of 128×128, 2-bit cells, one 8-bit SAR ADC per crossbar, 100 MHz), an
  /// SRAM-PIM tier (22 nm, 100 tiles × 256 crossbars of 128×128, 1-bit cells, one 7-bit SAR ADC per
  /// crossbar, 100 MHz), a TeMPO photonic tier (2 tiles × 2 cores of 14×14 nodes, one 8-bit SAR
  /// ADC per node = 392 per tile, 3 GHz), over a global buffer, joined by TSVs. Per-device energies
  /// and areas the paper takes from NeuroSim and SimPhony without listing them come from the
  /// tier presets (ISAAC/NeuroSim/SimPhony, each with its source); every number the paper leaves
  /// out is marked assumed. Deviations: the photonic tier runs 8-bit operands (the paper 4–6 bit
  /// with a 6-6-8 checkpoint) so int8 workloads fit, and a digital host takes the pointwise work
  /// the paper does not place.
  static func h3pimap() throws(ConfigErrors) -> Architecture {
    var reram = CIMCrossbarSpec.reramExample
    reram.common.count = 100 * 64
    reram.common.clock = Frequency(baseValue: 100e6)
    reram.common.areaPerUnit.source += "; count 6 400 = 100 tiles × 64 crossbars, 100 MHz (\(h3pimapTable1))"
    reram.cellBits = 2
    reram.adcBits = 8
    reram.adcsPerArray = 1
    reram.writeLatency = Sourced(.nanoseconds(100), source: "\(h3pimapTable1): ReRAM programming latency ~100 ns")

    var sram = CIMCrossbarSpec.sramExample
    sram.common.count = 100 * 256
    sram.common.clock = Frequency(baseValue: 100e6)
    sram.common.areaPerUnit.source += "; count 25 600 = 100 tiles × 256 crossbars at 22 nm, 100 MHz (\(h3pimapTable1))"
    sram.cellBits = 1
    sram.adcBits = 7
    sram.adcsPerArray = 1
    sram.mvmLatency = Sourced(.nanoseconds(10), source: "assumed: one 100 MHz cycle (\(h3pimapTable1)) per sensing step", assumed: true)
    sram.writeLatency = Sourced(.nanoseconds(1), source: "\(h3pimapTable1): SRAM programming latency ~1 ns")
    var energies = sram.common.energy.entries
    energies[.adcConversion] = Sourced(
      .picojoules(1.48 * 7 / 8),
      source: "assumed: SimPhony's 8-bit SAR ADC (14.8 mW at 10 GS/s = 1.48 pJ) scaled linearly to the 7 bits of \(h3pimapTable1), SimPhony's SAR rule",
      assumed: true)
    sram.common.energy = EnergyTable(energies)

    var tempo = PhotonicCoreTier.example
    tempo.common.id = "lt0"
    tempo.common.clock = .gigahertz(3)
    tempo.common.weightBits = 8
    tempo.common.activationBits = 8
    tempo.tiles = 2
    tempo.coresPerTile = 2
    tempo.nodeRows = 14
    tempo.nodeCols = 14
    tempo.wavelengths = 1
    tempo.common.areaPerUnit.source += "; TeMPO geometry 2 tiles × 2 cores of 14×14 nodes at 3 GHz (\(h3pimapTable1)); assumed: one wavelength (TeMPO multiplexes in time), 8-bit operands (the paper's 4–6 bit would not run int8 workloads), LT's devices and converters rescaled by SimPhony's formulas"
    tempo.tuningLatency = Sourced(.seconds(100e-12), source: "\(h3pimapTable1): photonic programming latency ~100 ps")

    // Accuracy: the paper's noise model per tier (§3.3; Devices/H3PIMAPNoiseModel.swift).
    (reram.common.noiseModel, sram.common.noiseModel, tempo.common.noiseModel) = ("h3pimap", "h3pimap", "h3pimap")
    let tiers: [any HardwareTier] = [
      try SystolicArrayTier(spec: host()), try CIMCrossbarTier(spec: reram), try CIMCrossbarTier(spec: sram),
      try PhotonicCoreTier(spec: tempo),
    ]
    return Architecture(
      name: "h3pimap", description: "H3PIMAP Table 1: ReRAM-PIM (6 400 crossbars) + SRAM-PIM (25 600) + TeMPO photonic (2×2 cores 14×14, 3 GHz) + digital host, TSVs over a global buffer",
      tiers: tiers, memory: MemoryPresets.hbm,
      links: [
        tsv("host", "reram0"), tsv("host", "cim0"), tsv("reram0", "cim0"), tsv("host", "lt0"),
        tsv("reram0", "lt0"), tsv("cim0", "lt0"),
      ])
  }
}
