import HybrixCore

/// The presets of the four reproduced systems. Each is built from the tier presets in the tier
/// files, adjusted where the paper says so; every changed number carries its own source.
enum HeterogeneousPresets {
  static let tsvSource =
    "assumed: fine-pitch 3D TSV / hybrid-bond interface between stacked dies, 0.05 pJ/bit and 1 TB/s (within the 0.01–0.1 pJ/bit range of 3D-stacked memory interfaces such as HBM's TSVs)"

  /// A 3D TSV link between two stacked tiers. Links into a photonic tier are electrical too: the
  /// core's own modulators and detectors (priced by the tier) convert between the domains, so the
  /// link adds no electrical↔optical conversion of its own.
  static func tsv(_ a: String, _ b: String) -> LinkSpec {
    LinkSpec(
      from: a, to: b, bandwidth: Sourced(.bytesPerSecond(1e12), source: tsvSource, assumed: true),
      energy: Sourced(EnergyPerData(baseValue: 0.05e-12 * 8), source: tsvSource, assumed: true))
  }

  /// A digital host tier (pointwise work, and products no other tier can take).
  static func host(_ id: String = "host") -> SystolicArraySpec {
    var s = SystolicArrayTier.example
    s.common.id = id
    return s
  }

  /// `h3pimap-isaac`: the reconstruction of H3PIMAP's stack made before its Table 1 was read
  /// (the paper's own setting is `h3pimap`, H3PIMAPPaperPreset.swift). Four tiers (ReRAM-PIM,
  /// SRAM-PIM, photonic, global buffer) plus a digital host for pointwise work: the ReRAM tier is
  /// one ISAAC chip's worth of crossbars at ISAAC's 1.28 GHz ADCs, the SRAM-PIM tier 1024
  /// crossbars, the photonic tier SimPhony's Lightening-Transformer core at 8-bit precision. Kept
  /// because it is a faster, ISAAC-scale point of the same design space, with fronts of its own.
  static func h3pimapIsaac() throws(ConfigErrors) -> Architecture {
    var reram = CIMCrossbarSpec.reramExample
    reram.common.count = 16_128
    reram.common.areaPerUnit.source += "; count 16 128 = ISAAC's 168 tiles × 12 IMAs × 8 crossbars (Shafiee et al., ISCA 2016)"
    var sram = CIMCrossbarSpec.sramExample
    sram.common.count = 1024
    sram.common.areaPerUnit.source += "; count 1024 assumed (2 MB of 1-bit cells) for an SRAM-PIM tier of a few mm²"
    var photonic = PhotonicCoreTier.example
    photonic.common.weightBits = 8
    photonic.common.activationBits = 8
    photonic.common.areaPerUnit.source += "; run at 8-bit precision (LT uses 4) so int8 workloads fit; converters and laser rescale with the bits by SimPhony's formulas"
    // Accuracy: the paper's noise model per tier (§3.3; Devices/H3PIMAPNoiseModel.swift).
    (reram.common.noiseModel, sram.common.noiseModel, photonic.common.noiseModel) = ("h3pimap", "h3pimap", "h3pimap")
    let tiers: [any HardwareTier] = [
      try SystolicArrayTier(spec: host()), try CIMCrossbarTier(spec: reram), try CIMCrossbarTier(spec: sram),
      try PhotonicCoreTier(spec: photonic),
    ]
    return Architecture(
      name: "h3pimap-isaac", description: "H3PIMAP-like stack before Table 1: ISAAC-scale ReRAM-PIM + 1024 SRAM-PIM crossbars + LT photonic core (8-bit) + digital host, 3D stacked over a global buffer",
      tiers: tiers, memory: MemoryPresets.hbm,
      links: [
        tsv("host", "reram0"), tsv("host", "cim0"), tsv("reram0", "cim0"), tsv("host", "lt0"),
        tsv("reram0", "lt0"), tsv("cim0", "lt0"),
      ])
  }

  /// LionHeart's system: an in-order Arm host with int8 NEON, tightly coupled to PCM tiles
  /// (ALPINE, 64 tiles as on IBM's HERMES chip; LionHeart itself assumes as many as needed).
  static func lionheart() throws(ConfigErrors) -> Architecture {
    var cpu = SystolicArrayTier.example
    cpu.common.id = "cpu"
    cpu.rows = 4
    cpu.cols = 4
    cpu.vectorLanes = 16
    cpu.buffer = .bytes(32 * 1024)
    cpu.bufferBytesPerCycle = 16
    cpu.common.areaPerUnit = Sourced(.squareMillimetres(0.5), source: "assumed: one Cortex-A53 core with L1 caches at 28 nm, ~0.5 mm²", assumed: true)
    cpu.common.staticPowerPerUnit = Sourced(.watts(0.01), source: "assumed: 10 mW leakage of one A53 core at 28 nm", assumed: true)
    cpu.common.energy = EnergyTable([
      .mac: Sourced(.picojoules(4), source: "assumed: int8 NEON MAC on an in-order A53 core, instruction fetch and register file included (16 MACs per 128-bit SDOT-class instruction of ~60 pJ)", assumed: true),
      .vectorOp: Sourced(.picojoules(4), source: "assumed: as one NEON lane operation above", assumed: true),
      .bufferRead: Sourced(.picojoules(1.25), source: "Horowitz, ISSCC 2014, 45 nm: 8 kB SRAM 64-bit read 10 pJ → 1.25 pJ/B (L1)"),
      .bufferWrite: Sourced(.picojoules(1.25), source: "Horowitz, ISSCC 2014, 45 nm: taken equal to the read energy", assumed: true),
    ])
    var pcm = AnalogTileSpec.alpineLike
    pcm.common.id = "pcm0"
    pcm.common.count = 64
    pcm.common.areaPerUnit.source += "; 64 tiles as the 64 cores of IBM HERMES (Le Gallo et al., Nature Electronics 2023)"
    return Architecture(
      name: "lionheart", description: "Arm host + PCM analog tiles (ALPINE)",
      tiers: [try SystolicArrayTier(spec: cpu), try AnalogTileTier(spec: pcm)], memory: MemoryPresets.edge)
  }

  /// Mirage as the paper describes it (``MiragePreset``).
  static func mirage() throws(ConfigErrors) -> Architecture { try MiragePreset.architecture() }

  /// CMSwitch's Dynaplasia-like chip: 96 dual-mode 320×320 arrays and a digital unit for the
  /// rest (CMSwitch evaluates the CIM arrays only; pointwise work needs a home).
  static func cmswitch() throws(ConfigErrors) -> Architecture {
    var hostSpec = host()
    hostSpec.rows = 32
    hostSpec.cols = 32
    hostSpec.common.areaPerUnit = Sourced(.squareMillimetres(0.25), source: "assumed: a 32×32 int8 array scaled from the 128×128 host by MAC count", assumed: true)
    return Architecture(
      name: "cmswitch", description: "96 dual-mode eDRAM CIM arrays (Dynaplasia-like) + small digital unit",
      tiers: [try SystolicArrayTier(spec: hostSpec), try CIMCrossbarTier(spec: CIMCrossbarSpec.dynaplasiaLike)],
      memory: MemoryPresets.edge)
  }
}
