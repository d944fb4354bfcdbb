import HybrixCore

/// A Mirage-like residue-number-system photonic core: products run in the analog phase domain
/// modulo each of several small coprime moduli, on block-floating-point mantissas, and a digital
/// CRT reconstructs each result [Demirkiran et al., Mirage, ISCA 2024, arXiv 2311.17323; RNS and
/// BFP arithmetic from papers.md §3.4].
///
/// Every product runs once per residue channel (each modulus and each redundant modulus). Per
/// channel the product tiles onto `mmvmu_rows × mmvmu_cols` modular MVM units like a
/// weight-stationary array: `⌈k/rows⌉ · ⌈n/cols⌉` weight tiles per batch element, each set into
/// the phase shifters (`T = ⌈tuning_latency × clock⌉ ≥ 1` cycles) and then streaming the `m`
/// input vectors, one per cycle. `dataflow` may hold `X` instead (input-stationary) or pick the
/// faster per product (``Dataflow/best``, Mirage's OPT2). With `moduli_parallel` the channels run side by side on groups
/// of one MMVMU per channel; otherwise any MMVMU takes any (tile, channel) job. Busy cycles are
/// `⌈jobs / parallel units⌉ · (T + m)`; the digital CRT and BFP work is pipelined behind them.
/// With `digital_inputs` (Mirage) the streamed residues switch light bit by bit (no DAC) and the
/// DAC converts each residue set into a tile; `adcs_per_readout` ADCs read each output (I/Q: 2).
/// When the spec prices `bfp_conversion` and `residue_conversion`, the FP → BFP conversion (per
/// group of g) and the binary → residue conversion (per value) are counted on their own.
///
/// Actions, per batch element (`c` channels, `r` row tiles, `B = ⌈k/g⌉` BFP blocks):
/// - `phaseTuning` k·n·c (each weight residue set once), `modulation` m·k·n·c (every cell shifts the
///   phase of its column each cycle), `dacConversion` m·k·⌈n/cols⌉·c (input residues per column tile),
///   `detection` and `adcConversion` m·n·r·c (coherent read-out of each column per row tile);
/// - `crtReconstruction` m·n·B: one per output and block, since blocks have their own exponents and
///   are accumulated in digital floating point after the CRT;
/// - `vectorOp` (m·k + k·n) for BFP alignment and conversion into residues, m·n·B for the block
///   exponent and floating-point accumulation, and m·n·(r − B)·c modular additions that join the
///   row tiles of one block.
///
/// Converters need only ⌈log₂ mᵢ⌉ bits per channel; their energies are rescaled from a reference
/// as SimPhony does (SAR ADC ∝ b, DAC ∝ 2^b/(b+1), energy = power ÷ clock) and averaged over the
/// channels, which convert equally often. Binary operands are read from the tier's SRAM (`X` once
/// per column tile, `W` once) and outputs written once per row tile; the output stage (bias, fused activation:
/// the work's `vectorOps`) runs in the digital CRT/BFP logic. Pointwise work and data movement
/// need a digital tier.
public struct RNSPhotonicCoreTier: HardwareTier {
  public static let kind = TierKind.rnsPhotonic
  public let spec: RNSPhotonicCoreSpec

  /// Energy-table actions this tier derives from its converters and moduli.
  static let derivedActions: [Action] = [.adcConversion, .dacConversion]

  /// ⌈log₂ mᵢ⌉ of every residue channel: the converter bits it needs.
  public let residueBits: [Int]
  /// Mean ADC and DAC energy per conversion over the channels.
  public let adcEnergy: Energy
  public let dacEnergy: Energy
  /// Cycles `T` to set a weight tile.
  public let tuningCycles: Double

  // Derived once so `evaluate` does no allocation.
  let rows: Double, cols: Double, block: Double, channels: Double
  let parallelUnits: Double, jobsPerTile: Double, slotsPerCycle: Double
  let weightBits: Int, activationBits: Int
  let digitalInputs: Bool, adcsPerReadout: Double
  /// Whether the spec prices `bfp_conversion` and `residue_conversion`: then they are counted on
  /// their own, otherwise as `vector_op`s (as before these actions existed).
  let separateConversions: Bool
  let vectorWork: Infeasibility, movementWork: Infeasibility
  let wideWeights: Infeasibility, wideActivations: Infeasibility

  public init(spec: RNSPhotonicCoreSpec) throws(ConfigErrors) {
    let c = spec.common
    var errors = c.validate() + spec.validateNumberSystem()
    errors += [
      TierCheck.range(spec.bfpBlock, 1...65_536, "bfp_block"),
      TierCheck.range(spec.mantissaBits, 1...24, "mantissa_bits"),
      TierCheck.range(spec.mmvmuCount, 1...1_048_576, "mmvmu_count"),
      TierCheck.range(spec.mmvmuRows, 1...65_536, "mmvmu_rows"),
      TierCheck.range(spec.mmvmuCols, 1...65_536, "mmvmu_cols"),
      PhotonicCoreTier.atLeastZero(spec.tuningLatency.value, "tuning_latency"),
    ].compactMap { $0 }
    if spec.mmvmuRows >= 1, spec.bfpBlock >= 1, spec.bfpBlock % spec.mmvmuRows != 0 {
      errors.append(
        ConfigError(
          path: "mmvmu_rows", message: "\(spec.mmvmuRows) does not divide bfp_block \(spec.bfpBlock)",
          expected: "a divisor of bfp_block", hint: "a column sums one block, whose elements share one exponent"))
    }
    if spec.moduliParallel, spec.mmvmuCount < spec.channels.count {
      errors.append(
        ConfigError(
          path: "mmvmu_count", message: "\(spec.mmvmuCount) MMVMUs for \(spec.channels.count) residue channels",
          expected: "at least one MMVMU per channel when moduli_parallel is true"))
    }
    if !(1...16).contains(spec.adcsPerReadout) {
      errors.append(ConfigError(path: "adcs_per_readout", message: "\(spec.adcsPerReadout)", expected: "1…16 (I/Q read-out: 2)"))
    }
    let pricesBFP = c.energy[.bfpConversion] != nil
    if pricesBFP != (c.energy[.residueConversion] != nil) {
      errors.append(
        ConfigError(
          path: pricesBFP ? "energy.residue_conversion" : "energy.bfp_conversion", message: "missing",
          expected: "both bfp_conversion and residue_conversion, or neither (then both are priced as vector_op)"))
    }
    let required: [Action] = [
      .modulation, .detection, .phaseTuning, .crtReconstruction, .vectorOp, .bufferRead, .bufferWrite,
    ]
    for action in required where c.energy[action] == nil {
      errors.append(ConfigError(path: "energy.\(action)", message: "missing", expected: "{value: \"… pJ\", source: \"…\"}"))
    }
    let bits = spec.channels.map { m in m < 2 ? 1 : (m - 1).bitWidth - (m - 1).leadingZeroBitCount }
    let needed = bits.max() ?? 1
    errors += spec.adc.validate("adc", needed: needed) + spec.dac.validate("dac", needed: needed)
    try TierCheck.finish(errors)

    let f = c.clock
    let n = Double(bits.count)
    residueBits = bits
    adcEnergy = .joules(bits.reduce(0) { $0 + spec.adc.sarADCPower(bits: $1, clock: f).watts / f.hertz } / n)
    dacEnergy = .joules(bits.reduce(0) { $0 + spec.dac.dacPower(bits: $1, clock: f).watts / f.hertz } / n)
    let exact = spec.tuningLatency.value.seconds * f.hertz
    tuningCycles = max(1, abs(exact - exact.rounded()) < 1e-9 * exact ? exact.rounded() : exact.rounded(.up))
    rows = Double(spec.mmvmuRows)
    cols = Double(spec.mmvmuCols)
    block = Double(spec.bfpBlock)
    channels = n
    let mmvmus = Double(spec.mmvmuCount * c.count)
    parallelUnits = spec.moduliParallel ? Double(spec.mmvmuCount / bits.count * c.count) : mmvmus
    jobsPerTile = spec.moduliParallel ? 1 : n
    slotsPerCycle = rows * cols * mmvmus

    let bitList = bits.map(String.init).joined(separator: ", ")
    var built = spec
    built.common = DerivedEnergy.setting(
      [
        .adcConversion: Sourced(
          adcEnergy,
          source: "mean over residue channels at {\(bitList)} bits of SAR-ADC rescaling P·(f/f_ref)·(b/b_ref) ÷ f "
            + "(SimPhony onnarchsim/workflow/energy.py cal_ADC_power); reference: \(spec.adc.source)",
          assumed: spec.adc.assumed),
        .dacConversion: Sourced(
          dacEnergy,
          source: "mean over residue channels at {\(bitList)} bits of DAC rescaling P·[2^b/(b+1)]/[2^b_ref/(b_ref+1)]·(f/f_ref) ÷ f "
            + "(SimPhony energy.py cal_DAC_power); reference: \(spec.dac.source)",
          assumed: spec.dac.assumed),
      ], in: c)
    self.spec = built

    weightBits = c.weightBits
    activationBits = c.activationBits
    digitalInputs = spec.digitalInputs
    adcsPerReadout = Double(spec.adcsPerReadout)
    separateConversions = pricesBFP
    let id = c.id
    let digital = "map it to a digital tier"
    vectorWork = Infeasibility(
      tier: id, statement: "pointwise work needs a digital tier (the RNS photonic core only computes products)",
      levers: [digital])
    movementWork = Infeasibility(
      tier: id, statement: "data movement needs a digital tier (the RNS photonic core only computes products)",
      levers: [digital])
    wideWeights = Infeasibility(
      tier: id, statement: "weights are wider than the \(c.weightBits) bits the core accepts",
      bound: Double(c.weightBits), unit: "bits", levers: ["quantize the weights to \(c.weightBits) bits", digital])
    wideActivations = Infeasibility(
      tier: id, statement: "activations are wider than the \(c.activationBits) bits the core accepts",
      bound: Double(c.activationBits), unit: "bits",
      levers: ["quantize the activations to \(c.activationBits) bits", digital])
  }

  /// Weights are set per tile for every product; none stay in the core between operators.
  public func weightCapacityBytes(weightBits: Int) -> Double? { nil }

  public func evaluate(_ work: TileWork) -> Result<TierActivity, Infeasibility> {
    switch work.kind {
    case .vector: return .failure(vectorWork)
    case .movement: return .failure(movementWork)
    case .matrix: break
    }
    if work.weightBits > weightBits {
      var why = wideWeights
      why.demand = Double(work.weightBits)
      return .failure(why)
    }
    if work.activationBits > activationBits {
      var why = wideActivations
      why.demand = Double(work.activationBits)
      return .failure(why)
    }
    return spec.dataflow.evaluate(work, stationary)
  }

  /// The stationary operand the tier's ``Dataflow`` picks for a matrix `work` (`nil`: refused).
  public func dataflowChoice(_ work: TileWork) -> Dataflow? {
    guard case .success(let c) = spec.dataflow.chosen(work, stationary) else { return nil }
    return c.dataflow
  }

  /// The product with `W` (k × n) set into the phase shifters and the `m` rows of `X` streaming
  /// (weight-stationary; ``Dataflow`` passes the transposed product for input-stationary).
  func stationary(_ work: TileWork) -> Result<TierActivity, Infeasibility> {
    let (b, m, k, n) = (work.batch, work.m, work.k, work.n)
    let rowTiles = (k / rows).rounded(.up)
    let colTiles = (n / cols).rounded(.up)
    let blocks = (k / block).rounded(.up)
    let tiles = b * rowTiles * colTiles
    guard tiles > 0, m > 0 else { return .success(TierActivity(cycles: 0, actions: ActionCounts())) }

    let cycles = (tiles * jobsPerTile / parallelUnits).rounded(.up) * (tuningCycles + m)
    let outputs = b * m * n
    var actions = ActionCounts()
    actions[.phaseTuning] = b * k * n * channels
    actions[.modulation] = b * m * k * n * channels
    actions[.dacConversion] = digitalInputs ? b * k * n * channels : b * m * k * colTiles * channels
    actions[.detection] = outputs * rowTiles * channels
    actions[.adcConversion] = outputs * rowTiles * channels * adcsPerReadout
    actions[.crtReconstruction] = outputs * blocks
    // Partial sums of the row tiles of one block join by modular additions; blocks (own
    // exponents) are accumulated in floating point after the CRT; the output stage follows.
    let accumulate = outputs * blocks + outputs * (rowTiles - blocks) * channels + work.vectorOps
    if separateConversions {
      // FP → BFP per group of g operand values, then binary → residues per value.
      actions[.bfpConversion] = b * (m + n) * blocks
      actions[.residueConversion] = b * (m * k + k * n)
      actions[.vectorOp] = accumulate
    } else {
      actions[.vectorOp] = b * (m * k + k * n) + accumulate
    }
    // Binary operands from the tier's SRAM: X once per column tile, W once; outputs written
    // once per row tile (the partial sums of a tile's m rows, as SystolicArrayTier counts them).
    actions[.bufferRead] = work.inputBytes * colTiles + work.weightBytes
    actions[.bufferWrite] = work.outputBytes * rowTiles
    let utilization = work.macs * channels / (cycles * slotsPerCycle)
    return .success(TierActivity(cycles: cycles, actions: actions, utilization: utilization))
  }
}

extension RNSPhotonicCoreTier {
  /// A generic RNS core built from SimPhony's device library, written before Mirage's full text
  /// was read and kept for the tier's unit tests: moduli {31, 32, 33}, BFP blocks of 16 with
  /// 5-bit mantissas, 24 MMVMUs of 16 × 16 in groups of three, 5 GHz, 16-bit operands. Mirage
  /// itself, from the paper, is ``MiragePreset/core(format:laser:)`` (the `mirage` preset).
  public static let example = RNSPhotonicCoreSpec(
    common: TierCommon(
      id: "mirage0", kind: .rnsPhotonic, count: 1, clock: .gigahertz(5), weightBits: 16, activationBits: 16,
      areaPerUnit: Sourced(
        .squareMillimetres(45),
        source: "assumed: 6144 phase-shifter cells × SL_MZM 250 × 25 µm² = 38.4 mm² + 384 DAC_2 (4.2 mm²) + 384 ADC_SAR_1 (1.1 mm²) + about 1.3 mm² of CRT/BFP logic (devices from ScopeX-ASU/SimPhony configs/devices)",
        assumed: true),
      staticPowerPerUnit: Sourced(
        .watts(0.5),
        source: "assumed: lasers and bias of 24 MMVMUs; Mirage's laser power is not public (papers.md §3.5), taken as about half of LT's 1 W of lasers for 1440 modulators (PhotonicCoreTier.example) for 384 input rows",
        assumed: true),
      energy: EnergyTable([
        .modulation: Sourced(
          .picojoules(0.05),
          source: "assumed: one cell's phase shift per modular MAC at the SL_MZM efficiency of 50 fJ/bit (ScopeX-ASU/SimPhony configs/devices/photonics/mzm.yml)",
          assumed: true),
        .phaseTuning: Sourced(
          .picojoules(0.05),
          source: "assumed: one weight residue set into a cell's gated phase-shifter segments, taken equal to one 50 fJ SL_MZM drive",
          assumed: true),
        .detection: Sourced(
          .picojoules(1.04),
          source: "assumed for Mirage's coherent I/Q read-out: 2 × LT_PD 1.1 mW + TIA_1 3 mW (ScopeX-ASU/SimPhony configs/devices) ÷ 5 GHz",
          assumed: true),
        .crtReconstruction: Sourced(
          .picojoules(0.4),
          source: "assumed: reverse conversion of {2^k − 1, 2^k, 2^k + 1} by shifts and adds (papers.md §3.4), about four 32-bit adds at 0.1 pJ (Horowitz, ISSCC 2014, 45 nm)",
          assumed: true),
        .vectorOp: Sourced(
          .picojoules(0.1),
          source: "Horowitz, ISSCC 2014, 45 nm: 16-bit add 0.05 pJ, doubled for control (as SystolicArrayTier.example)",
          assumed: true),
        .bufferRead: Sourced(
          .picojoules(1.25), source: "Horowitz, ISSCC 2014, 45 nm: 8 kB SRAM 64-bit read 10 pJ → 1.25 pJ/B", assumed: true),
        .bufferWrite: Sourced(
          .picojoules(1.25), source: "Horowitz, ISSCC 2014, 45 nm: taken equal to the read energy", assumed: true),
      ])),
    moduli: SourcedValue(
      [31, 32, 33],
      source: "papers.md §3.4: the three-moduli set {2^k − 1, 2^k, 2^k + 1} with k = 5 (M = 32 736 ≈ 2^15, shift-and-add conversions); that Mirage uses this form is an UNVERIFIED RECOLLECTION and its moduli are NOT FOUND (§3.5)",
      assumed: true),
    redundantModuli: [], bfpBlock: 16, mantissaBits: 5, mmvmuCount: 24, mmvmuRows: 16, mmvmuCols: 16,
    moduliParallel: true,
    tuningLatency: Sourced(
      .seconds(200e-12),
      source: "assumed: weight bits gate high-speed phase-shifter segments (principle of Lightmatter US 12307219 B2, papers.md §3.3) that settle within one 5 GHz cycle",
      assumed: true),
    adc: ConverterReference(
      bits: 8, sampleRate: .gigahertz(10), power: .watts(14.8e-3), area: Area(baseValue: 2850e-12),
      source: "ScopeX-ASU/SimPhony configs/devices/electronics/adc.yml ADC_SAR_1: 14 nm SAR, 8 b, 10 GS/s, 14.8 mW, 2850 µm² (IEEE 9731625); Mirage's converters are not public",
      assumed: true),
    dac: ConverterReference(
      bits: 8, sampleRate: .gigahertz(14), power: .watts(50e-3), area: Area(baseValue: 11000e-12),
      source: "ScopeX-ASU/SimPhony configs/devices/electronics/dac.yml DAC_2: 16 nm switched-capacitor, 8 b, 14 GS/s, 50 mW, 11000 µm² (IEEE 9162776); Mirage's converters are not public",
      assumed: true))
}
