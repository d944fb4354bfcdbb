import HybrixCore

/// Mirage as the paper describes it [Demirkiran et al., "Mirage: An RNS-Based Photonic
/// Accelerator for DNN Training", ISCA 2024, arXiv 2311.17323v2; papers.md §7.1]: 8 RNS-MMVMUs,
/// each 3 moduli × (16 × 32) modular dot-product arrays at 10 GHz, 5 ns to set a tile, I/Q
/// read-out (2 ADCs per dot-product unit), inputs routed bit by bit through binary-weighted
/// shifter segments (no input DAC), one DAC per weight residue per tile, and a 40 nm digital
/// side at 1 GHz (BFP and residue conversions, CRT, FP32 accumulation, optimizer) over
/// 3 × 8 MB SRAM. The number system is ``RNSNumberFormat/mirage``, the one the `rns-mirage`
/// arithmetic uses. The laser power is derived by ``MirageLaser``.
public enum MiragePreset {
  static let paper = MirageLaser.paper
  /// Modular dot-product units per MMVMU column count, and MMVMU counts.
  public static let units = 8
  public static let rows = 16
  public static let cols = 32
  public static let clock = Frequency.gigahertz(10)

  /// Horowitz's 45 nm SRAM: a 32 kB array's 64-bit access costs 20 pJ.
  static let sramPerByte = Sourced(
    Energy.picojoules(2.5),
    source: "Horowitz, ISSCC 2014, 45 nm: 32 kB SRAM 64-bit access 20 pJ → 2.5 pJ/B (Mirage's SRAM is 32 kB banks; its access energy is not given)",
    assumed: true)
  static let fp32Add = Sourced(
    Energy.picojoules(0.9), source: "Horowitz, ISSCC 2014, 45 nm: 32-bit floating-point add 0.9 pJ (Mirage's FP32 accumulators at 40 nm)",
    assumed: true)

  /// The RNS photonic core (tier `mirage0`).
  public static func core(format: RNSNumberFormat = .mirage, laser: MirageLaser = MirageLaser()) -> RNSPhotonicCoreSpec {
    let paths = units * cols
    let laserWatts = laser.electricalWatts(moduli: format.moduli, group: format.blockSize, pathsPerModulus: paths, clock: clock)
    let bits = format.moduli.map(MirageLaser.bits)
    let meanBits = Double(bits.reduce(0, +)) / Double(max(1, bits.count))
    let tiaPerBit = 57e-15
    let mrrSwitchWatts = 0.3e-12
    return RNSPhotonicCoreSpec(
      common: TierCommon(
        id: "mirage0", kind: .rnsPhotonic, count: 1, clock: clock, weightBits: 32, activationBits: 32,
        areaPerUnit: Sourced(
          .squareMillimetres(234), source: "\(paper) §V-B: photonic chiplet 234 mm² (the electronic chiplet, 242.7 mm², is the digital tier)"),
        staticPowerPerUnit: Sourced(
          .watts(laserWatts),
          source: "laser, " + laser.derivation(moduli: format.moduli, group: format.blockSize, pathsPerModulus: paths, clock: clock)),
        energy: EnergyTable([
          .modulation: Sourced(
            .joules(meanBits * mrrSwitchWatts / clock.hertz),
            source: "\(paper) §IV-C: MRR switching 0.3 pW; one switch per bit of the input residue (mean \(formatSignificant(meanBits, digits: 3)) bits) for one 0.1 ns cycle"),
          .phaseTuning: Sourced(
            .joules(0), source: "\(paper) §IV-C: NOEMS phase-shifter tuning energy negligible; setting a weight residue is included in dac_conversion (one DAC conversion per weight residue per tile)"),
          .detection: Sourced(
            .joules(laser.readoutFactor.value * tiaPerBit * meanBits),
            source: "\(paper) §V-B: TIA 57 fJ/bit × mean residue bits \(formatSignificant(meanBits, digits: 3)) × 2 (I and Q detectors)"),
          .crtReconstruction: Sourced(.picojoules(0.48), source: "\(paper) §V-B: RNS→BNS conversion 0.48 pJ (40 nm)"),
          .residueConversion: Sourced(.picojoules(0.17), source: "\(paper) §V-B: BNS→RNS conversion 0.17 pJ (40 nm)"),
          .bfpConversion: Sourced(
            .picojoules(1.32),
            source: "\(paper) §V-B: BFP↔FP conversion 1.32 pJ, read as per group of g values (per value it would make BFP 7 % of the peak power, not the paper's 0.5 %)",
            assumed: true),
          .vectorOp: fp32Add,
          .bufferRead: sramPerByte,
          .bufferWrite: sramPerByte,
        ])),
      moduli: SourcedValue(format.moduli, source: format.source), redundantModuli: [],
      bfpBlock: format.blockSize, mantissaBits: format.mantissaBits,
      mmvmuCount: units * format.moduli.count, mmvmuRows: rows, mmvmuCols: cols, moduliParallel: true,
      tuningLatency: Sourced(.nanoseconds(5), source: "\(paper) §IV: phase shifters re-programmed in 5 ns per tile (core idle meanwhile)"),
      adc: ConverterReference(
        bits: 6, sampleRate: .gigahertz(24), power: .watts(23e-3), area: .squareMillimetres(0.03),
        source: "\(paper) §V-B: ADC 6-bit 24 GS/s 23 mW 0.03 mm² (5-bit moduli one bit less, energy scaled)"),
      dac: ConverterReference(
        bits: 6, sampleRate: .gigahertz(20), power: .watts(136e-3), area: .squareMillimetres(0.072),
        source: "\(paper) §V-B: DAC 6-bit 20 GS/s 136 mW 0.072 mm²"),
      dataflow: .best, digitalInputs: true, adcsPerReadout: 2)
  }

  /// Mirage's digital side (tier `host`): FP32 accumulation, non-linearities and the optimizer
  /// in 10 interleaved copies of 1 GHz logic, 256 lanes each (the core's 8 × 32 outputs per
  /// 0.1 ns cycle).
  public static func digital() -> SystolicArraySpec {
    var s = SystolicArrayTier.example
    s.common.id = "host"
    s.common.count = 10
    s.common.clock = .gigahertz(1)
    s.common.weightBits = 32
    s.common.activationBits = 32
    s.rows = rows
    s.cols = cols
    s.vectorLanes = 256
    s.buffer = .bytes(2_457_600)  // 24 MB of SRAM over the 10 copies
    s.bufferBytesPerCycle = 614
    s.common.areaPerUnit = Sourced(
      .squareMillimetres(24.27), source: "\(paper) §V-B: electronic chiplet 242.7 mm² (converters, conversion units, accumulators, 3 × 8 MB SRAM) over its 10 interleaved copies")
    s.common.staticPowerPerUnit = Sourced(
      .watts(0), source: "\(paper) §V-B: the peak-power breakdown lists no leakage; SRAM is priced per access", assumed: true)
    s.common.energy = EnergyTable([
      .mac: Sourced(.picojoules(4.6), source: "Horowitz, ISSCC 2014, 45 nm: FP32 multiply 3.7 pJ + add 0.9 pJ (unused: products run on the core)"),
      .vectorOp: fp32Add,
      .bufferRead: sramPerByte,
      .bufferWrite: sramPerByte,
    ])
    return s
  }

  /// 3 × 8 MB SRAM in 32 kB banks (≤ 1 ns) as the global buffer; HBM behind it, which the paper
  /// does not model (a skeptical comparison counts it, the paper's convention leaves it out).
  public static let memory = MemorySpec(
    dramBandwidth: MemoryPresets.hbm.dramBandwidth, dramEnergy: MemoryPresets.hbm.dramEnergy,
    globalBuffer: .bytes(3 * 8 * 1_048_576),
    globalBufferBandwidth: Sourced(
      .bytesPerSecond(768 * 8 / 1e-9),
      source: "\(paper) §V-B: 3 × 8 MB in 32 kB banks, ≤ 1 ns access → 768 banks × 8 B (assumed 64-bit port) per ns", assumed: true),
    globalBufferEnergy: Sourced(sramPerByte.value.perByte, source: sramPerByte.source, assumed: true))

  /// A 3D-stacked link between the two chiplets, wide enough for the core's peak operand rate.
  static func stack(_ a: String, _ b: String) -> LinkSpec {
    let bytesPerSecond = Double(units * (rows + cols)) * 4 * clock.hertz
    return LinkSpec(
      from: a, to: b,
      bandwidth: Sourced(
        .bytesPerSecond(bytesPerSecond),
        source: "assumed: the 3D stack carries the core's peak operands, 8 × (16 in + 32 out) FP32 values per 0.1 ns", assumed: true),
      energy: HeterogeneousPresets.tsv(a, b).energy)
  }

  public static func architecture() throws(ConfigErrors) -> Architecture {
    Architecture(
      name: "mirage", description: "Mirage (ISCA 2024): 8 RNS-MMVMUs of 3 × 16×32 at 10 GHz over a 40 nm digital chiplet with 24 MB SRAM",
      tiers: [try SystolicArrayTier(spec: digital()), try RNSPhotonicCoreTier(spec: core())],
      memory: memory, links: [stack("host", "mirage0")])
  }
}

extension Energy {
  /// This energy per byte (for an SRAM access priced per byte).
  var perByte: EnergyPerData { EnergyPerData(baseValue: joules) }
}
