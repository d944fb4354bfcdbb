import Foundation
import HybrixCore

/// A dot-product photonic tensor core (DPTC) sub-architecture as SimPhony models it: `tiles` (R) ×
/// `cores_per_tile` (C) cores of `node_rows × node_cols` (H × W) dot-product nodes, each summing
/// `wavelengths` (N_λ) products per cycle [`ScopeX-ASU/SimPhony`; Lightening-Transformer].
///
/// Both operands are encoded optically on every product (MZM + DAC), so weights are never
/// resident and dynamic products such as attention run as well as static ones.
///
/// A product `Y[m×n] = X[m×k] · W[k×n]` maps as SimPhony's LT mapping (M→width, N→height,
/// D→wavelength, configs/architecture_mapping/simple_lt_transformer.yml): width = W·C takes `m`,
/// height = H·R takes `n`, wavelength = N_λ takes `k`; `i_x = ⌈x / dim⌉` and the switching
/// cycles are `i_m · i_n · i_k` [onnarchsim/workflow/dataflow.py]. With `T` the tuning cycles of the
/// operand encoders (`tuning_latency × clock`, at least 1) the busy cycles are
/// [onnarchsim/workflow/energy.py `reuse_determinator`]:
/// - weight-stationary: `i_m·i_n·i_k·T + i_n·i_k·T` (a `W` tile is reused over `i_m` steps);
/// - input-stationary: `i_m·i_n·i_k·T + i_m·i_k·T` (an `X` tile is reused over `i_n` steps);
/// - output-stationary: `i_m·i_n·i_k·T + i_m·i_n·T` (no operand reuse).
///
/// (SimPhony's code calls the stationary operand of weight-stationary "operand 2"; here the reuse
/// goes to the encoders of whichever Hybrix operand the dataflow keeps.) `T` is the response of
/// the MZMs and DACs that encode operands; the node phase shifters hold a fixed bias and never
/// retune, so the DPTC counts no `phaseTuning`.
///
/// Outer tiles are spread evenly over `count` units, and signed operands without differential
/// encoding run every product twice. Every device switches on every switching cycle, as in
/// SimPhony's energy model: `W` encoders (H·R·N_λ·C MZMs and DACs) and `X` encoders (W·C·N_λ)
/// divided by their reuse, H·W·R·C node detections, and H·W·R ADC conversions divided by the
/// temporal accumulation. Converter and modulator energies are derived here, in pJ = mW ÷ GHz;
/// lasers (R + C per unit) and held node phase shifters add to ``staticPower``.
///
/// Pointwise work and data movement are not supported: they need a digital tier. Operands are
/// read from the tier's SRAM buffer once per outer tile that uses them (`X` once per `n` tile
/// unless input-stationary, `W` once per `m` tile unless weight-stationary) and outputs written
/// once, or once per `k` tile as partial sums; the digital output stage behind the ADCs applies
/// bias and fused activations (the work's `vectorOps`, pipelined: energy, no time).
public struct PhotonicCoreTier: HardwareTier {
  public static let kind = TierKind.photonic
  public let spec: PhotonicCoreSpec

  /// Energy-table actions this tier derives from its device models.
  static let derivedActions: [Action] = [.adcConversion, .dacConversion, .modulation]

  /// One ADC's power at the tier's activation bits and clock (SAR rescaling).
  public let adcPower: Power
  /// One DAC's power at the tier's widest operand bits and clock.
  public let dacPower: Power
  /// Link-budget power of one laser (SimPhony's formula with distribution factor H·W).
  public let powerPerLaser: Power
  /// Power of all R + C lasers of all units: static power while the tier is busy.
  public let laserPower: Power
  /// Hold power of all H·W·R·C node phase shifters of all units.
  public let phaseShifterPower: Power
  /// Tuning cycles `T` of the operand encoders.
  public let tuningCycles: Double

  // Derived once so `evaluate` does no transcendental math and no allocation.
  let width: Double, height: Double, lambda: Double
  let weightEncoders: Double, inputEncoders: Double, nodes: Double, adcs: Double
  let passes: Double, accumulation: Double, units: Double, macsPerCycle: Double
  let weightBits: Int, activationBits: Int
  let vectorWork: Infeasibility, movementWork: Infeasibility
  let wideWeights: Infeasibility, wideActivations: Infeasibility

  public init(spec: PhotonicCoreSpec) throws(ConfigErrors) {
    let c = spec.common
    let inBits = max(c.weightBits, c.activationBits)
    var errors = c.validate()
    errors += [
      TierCheck.range(spec.tiles, 1...1024, "tiles"), TierCheck.range(spec.coresPerTile, 1...1024, "cores_per_tile"),
      TierCheck.range(spec.nodeRows, 1...4096, "node_rows"), TierCheck.range(spec.nodeCols, 1...4096, "node_cols"),
      TierCheck.range(spec.wavelengths, 1...1024, "wavelengths"),
      TierCheck.range(spec.accumulationCycles, 1...4096, "accumulation_cycles"),
      Self.atLeastZero(spec.modulatorEnergyPerBit.value, "modulator_energy_per_bit"),
      Self.atLeastZero(spec.tuningLatency.value, "tuning_latency"),
      Self.atLeastZero(spec.phaseShifterHoldPower.value, "phase_shifter_hold_power"),
      Self.check(spec.insertionLossDB, "insertion_loss_db", "a loss ≥ 0 dB") { $0 >= 0 },
      Self.check(spec.pdSensitivityDBm, "pd_sensitivity_dbm", "a finite power in dBm") { _ in true },
      Self.check(spec.laserWallPlugEfficiency, "laser_wall_plug_efficiency", "a fraction in (0, 1]") {
        $0 > 0 && $0 <= 1
      },
      Self.check(spec.extinctionRatioDB, "extinction_ratio_db", "a ratio > 0 dB") { $0 > 0 },
    ].compactMap { $0 }
    for action in [Action.detection, .bufferRead, .bufferWrite, .vectorOp] where c.energy[action] == nil {
      errors.append(ConfigError(path: "energy.\(action)", message: "missing", expected: "{value: \"… pJ\", source: \"…\"}"))
    }
    errors += spec.adc.validate("adc", needed: c.activationBits) + spec.dac.validate("dac", needed: inBits)
    try TierCheck.finish(errors)

    let (r, cores, h, w, l) = (
      Double(spec.tiles), Double(spec.coresPerTile), Double(spec.nodeRows), Double(spec.nodeCols),
      Double(spec.wavelengths)
    )
    units = Double(c.count)
    width = w * cores
    height = h * r
    lambda = l
    weightEncoders = h * r * l * cores
    inputEncoders = w * cores * l
    nodes = h * w * r * cores
    adcs = h * w * r
    passes = spec.signedOperands == .differential ? 1 : 2
    accumulation = Double(spec.accumulationCycles)
    macsPerCycle = width * height * lambda * units
    let exact = spec.tuningLatency.value.seconds * c.clock.hertz
    tuningCycles = max(1, abs(exact - exact.rounded()) < 1e-9 * exact ? exact.rounded() : exact.rounded(.up))

    adcPower = spec.adc.sarADCPower(bits: c.activationBits, clock: c.clock)
    dacPower = spec.dac.dacPower(bits: inBits, clock: c.clock)
    powerPerLaser = Self.laserPower(
      insertionLossDB: spec.insertionLossDB.value, pdSensitivityDBm: spec.pdSensitivityDBm.value,
      distribution: h * w, wallPlugEfficiency: spec.laserWallPlugEfficiency.value, bits: inBits,
      extinctionRatioDB: spec.extinctionRatioDB.value)
    laserPower = powerPerLaser * ((r + cores) * units)
    phaseShifterPower = spec.phaseShifterHoldPower.value * (nodes * units)

    let f = c.clock
    let modulation = spec.modulatorEnergyPerBit.value.baseValue / 8
    var built = spec
    built.common = DerivedEnergy.setting(
      [
        .adcConversion: Sourced(
          .joules(adcPower.watts / f.hertz),
          source: "SAR-ADC rescaling P·(f/f_ref)·(b/b_ref) ÷ f (SimPhony onnarchsim/workflow/energy.py cal_ADC_power): "
            + "\(spec.adc.power)·(\(f)/\(spec.adc.sampleRate))·(\(c.activationBits)/\(spec.adc.bits)) "
            + "= \(adcPower) ÷ \(f); "
            + "reference: \(spec.adc.source)", assumed: spec.adc.assumed),
        .dacConversion: Sourced(
          .joules(dacPower.watts / f.hertz),
          source: "DAC rescaling P·[2^b/(b+1)]/[2^b_ref/(b_ref+1)]·(f/f_ref) ÷ f (SimPhony energy.py cal_DAC_power): "
            + "\(spec.dac.power) at \(spec.dac.bits) b → \(dacPower) at \(inBits) b, \(f); "
            + "reference: \(spec.dac.source)",
          assumed: spec.dac.assumed),
        .modulation: Sourced(
          .joules(modulation),
          source: "one symbol at SimPhony's testing_bit = 1 (energy.py cal_MZM_power): "
            + "\(formatSignificant(modulation * 1e15, digits: 4)) fJ/bit × 1 bit; \(spec.modulatorEnergyPerBit.source)",
          assumed: spec.modulatorEnergyPerBit.assumed),
      ], in: c)
    self.spec = built

    weightBits = c.weightBits
    activationBits = c.activationBits
    let id = c.id
    let digital = "map it to a digital tier"
    vectorWork = Infeasibility(
      tier: id, statement: "pointwise work needs a digital tier (the photonic core only computes products)",
      levers: [digital])
    movementWork = Infeasibility(
      tier: id, statement: "data movement needs a digital tier (the photonic core only computes products)",
      levers: [digital])
    wideWeights = Infeasibility(
      tier: id, statement: "weights are wider than the core's \(c.weightBits)-bit encoders",
      bound: Double(c.weightBits), unit: "bits", levers: ["quantize the weights to \(c.weightBits) bits", digital])
    wideActivations = Infeasibility(
      tier: id, statement: "activations are wider than the core's \(c.activationBits)-bit converters",
      bound: Double(c.activationBits), unit: "bits",
      levers: ["quantize the activations to \(c.activationBits) bits", digital])
  }

  /// Static power while busy: leakage-type `static_power_per_unit` × `count`, plus lasers and
  /// held phase shifters.
  public var staticPower: Power { commonStaticPower + laserPower + phaseShifterPower }

  /// Weights are loaded optically for every product; none stay in the core.
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
    let iM = (work.m / width).rounded(.up)
    let iN = (work.n / height).rounded(.up)
    let iK = (work.k / lambda).rounded(.up)
    let iterations = iM * iN * iK
    guard iterations > 0, work.batch > 0 else { return .success(TierActivity(cycles: 0, actions: ActionCounts())) }

    // Outer tiles, steps per outer tile, and how often each encoder group switches.
    let outer: Double, inner: Double, weightDuty: Double, inputDuty: Double
    switch spec.dataflow {
    case .weightStationary: (outer, inner, weightDuty, inputDuty) = (iN * iK, iM, 1 / iM, 1)
    case .inputStationary: (outer, inner, weightDuty, inputDuty) = (iM * iK, iN, 1, 1 / iN)
    case .outputStationary: (outer, inner, weightDuty, inputDuty) = (iM * iN, iK, 1, 1)
    }
    let cycles = (work.batch * outer * passes / units).rounded(.up) * (inner + 1) * tuningCycles
    let switching = work.batch * iterations * passes
    let encodes = switching * (weightEncoders * weightDuty + inputEncoders * inputDuty)
    var actions = ActionCounts()
    actions[.modulation] = encodes
    actions[.dacConversion] = encodes
    actions[.detection] = switching * nodes
    actions[.adcConversion] = switching * adcs / accumulation
    // Operands come from the tier's SRAM once per outer tile that uses them; partial sums of
    // weight- and input-stationary flows go back there once per reduction tile.
    let (xReads, wReads, yPasses): (Double, Double, Double)
    switch spec.dataflow {
    case .weightStationary: (xReads, wReads, yPasses) = (iN, 1, iK)
    case .inputStationary: (xReads, wReads, yPasses) = (1, iM, iK)
    case .outputStationary: (xReads, wReads, yPasses) = (iN, iM, 1)
    }
    actions[.bufferRead] = work.inputBytes * xReads + work.weightBytes * wReads + work.outputBytes * (yPasses - 1)
    actions[.bufferWrite] = work.outputBytes * yPasses
    actions[.vectorOp] = work.vectorOps
    return .success(TierActivity(cycles: cycles, actions: actions, utilization: work.macs / (cycles * macsPerCycle)))
  }

  /// Laser power from the link budget [SimPhony onnarchsim/workflow/energy.py `cal_laser_power`]:
  /// `P[dBm] = IL + S_PD + 10·log10(D)`, `P[mW] = 10^(P[dBm]/10) / η · 2^b / (1 − 10^(−ER/10))`.
  /// The tier passes D = H·W, as configs/design/cores/dptc.yml intends; SimPhony's own LT run
  /// (log/test_energy.txt) uses D = 1 because energy.py reads `laser_power_distribution_factor`
  /// while the config writes `laser_power_distribution`.
  ///
  /// - Parameters:
  ///   - insertionLossDB: Loss of the longest path from laser to photodetector, in dB.
  ///   - pdSensitivityDBm: Photodetector sensitivity, in dBm.
  ///   - distribution: Power distribution factor `D` (H·W for the DPTC).
  ///   - wallPlugEfficiency: Laser wall-plug efficiency η, in (0, 1].
  ///   - bits: Input bits `b`; each extra bit doubles the optical power the PD needs.
  ///   - extinctionRatioDB: Modulator extinction ratio, in dB.
  public static func laserPower(
    insertionLossDB: Double, pdSensitivityDBm: Double, distribution: Double, wallPlugEfficiency: Double,
    bits: Int, extinctionRatioDB: Double
  ) -> Power {
    let dBm = insertionLossDB + pdSensitivityDBm + 10 * log10(distribution)
    let milliwatts =
      pow(10, dBm / 10) / wallPlugEfficiency * pow(2, Double(bits)) / (1 - pow(10, -extinctionRatioDB / 10))
    return .watts(milliwatts * 1e-3)
  }

  static func atLeastZero<Q: Quantity>(_ value: Q, _ path: String) -> ConfigError? {
    value.baseValue >= 0 && value.baseValue.isFinite
      ? nil : ConfigError(path: path, message: "\(value)", expected: "a \(Q.dimension) ≥ 0")
  }

  static func check(_ n: SourcedNumber, _ path: String, _ expected: String, _ ok: (Double) -> Bool) -> ConfigError? {
    n.value.isFinite && ok(n.value) ? nil : ConfigError(path: path, message: "\(n.value)", expected: expected)
  }
}

extension PhotonicCoreTier {
  /// SimPhony's Lightening-Transformer preset: R = 4 tiles × C = 2 cores of 12 × 12 DODE nodes,
  /// 12 wavelengths, 5 GHz, 4-bit operands, output-stationary [`ScopeX-ASU/SimPhony`
  /// configs/design/sub_architectures/LT.yml, cores/dptc.yml, nodes/dode.yml, devices/**].
  public static let example = PhotonicCoreSpec(
    common: TierCommon(
      id: "lt0", kind: .photonic, count: 1, clock: .gigahertz(5), weightBits: 4, activationBits: 4,
      areaPerUnit: Sourced(
        .squareMillimetres(66.50195424),
        source: "ScopeX-ASU/SimPhony log/test_area.txt: LT [4, 2, 12, 12] total area 66 501 954 µm² (1440 MZMs and DACs, 576 ADCs, 1152 DODE nodes, 4608 MRRs, 6 lasers and micro-combs)"),
      staticPowerPerUnit: Sourced(
        .watts(1.2672),
        source: "ScopeX-ASU/SimPhony configs/devices/photonics/mrr_rerouter.yml: LT_MRR_REROUTER 0.275 mW static × 2·(H+W)·N_λ·C·R = 4608 rerouters (configs/design/cores/dptc.yml rule i3)"),
      energy: EnergyTable([
        .detection: Sourced(
          .picojoules(0.64),
          source: "ScopeX-ASU/SimPhony: 2 × LT_PD 1.1 mW (balanced DODE node, configs/devices/photonics/photodetector.yml) + TIA_1 3 mW (configs/devices/electronics/tia.yml) shared over the 3-cycle temporal accumulation: (2.2 + 1) mW ÷ 5 GHz"),
        .bufferRead: Sourced(
          .picojoules(1.25),
          source: "Horowitz, ISSCC 2014, 45 nm: 8 kB SRAM 64-bit read 10 pJ → 1.25 pJ/B; SimPhony prices the LT core's operand SRAM separately and its value is not in the released configs",
          assumed: true),
        .bufferWrite: Sourced(
          .picojoules(1.25), source: "Horowitz, ISSCC 2014, 45 nm: taken equal to the read energy", assumed: true),
        .vectorOp: Sourced(
          .picojoules(0.1),
          source: "Horowitz, ISSCC 2014, 45 nm: 16-bit add 0.05 pJ, doubled for control; the digital output stage behind the ADCs (bias, activation)",
          assumed: true),
      ])),
    tiles: 4, coresPerTile: 2, nodeRows: 12, nodeCols: 12, wavelengths: 12, dataflow: .outputStationary,
    signedOperands: .differential, accumulationCycles: 3,
    adc: ConverterReference(
      bits: 8, sampleRate: .gigahertz(10), power: .watts(14.8e-3), area: Area(baseValue: 2850e-12),
      source: "ScopeX-ASU/SimPhony configs/devices/electronics/adc.yml ADC_SAR_1: 14 nm SAR, 8 b, 10 GS/s, 14.8 mW, 2850 µm² (IEEE 9731625)"),
    dac: ConverterReference(
      bits: 8, sampleRate: .gigahertz(14), power: .watts(50e-3), area: Area(baseValue: 11000e-12),
      source: "ScopeX-ASU/SimPhony configs/devices/electronics/dac.yml DAC_2: 16 nm switched-capacitor, 8 b, 14 GS/s, 50 mW, 11000 µm² (IEEE 9162776)"),
    modulatorEnergyPerBit: Sourced(
      EnergyPerData(baseValue: 450e-15 * 8),
      source: "ScopeX-ASU/SimPhony configs/devices/photonics/mzm.yml LT_MZM: 450 fJ/bit at testing_bit 1, 25 Gb/s, 12.5 GHz EO bandwidth"),
    tuningLatency: Sourced(
      .seconds(80e-12),
      source: "LT_MZM 12.5 GHz EO bandwidth (ScopeX-ASU/SimPhony configs/devices/photonics/mzm.yml) read as a 1/12.5 GHz = 80 ps response, under one 5 GHz cycle, as SimPhony's tuning_cycles = 1 for MZMs and DACs (onnarchsim/workflow/energy.py)",
      assumed: true),
    phaseShifterHoldPower: Sourced(
      .zero,
      source: "ScopeX-ASU/SimPhony configs/devices/photonics/phase_shifter.yml MEMS_PS: P_π ≈ 0 (nW level), response 2 µs; the DODE node's phase shifter holds a fixed bias, so its response time never enters the cycle model"),
    insertionLossDB: SourcedNumber(
      6.22,
      source: "ScopeX-ASU/SimPhony log/test_insertion_loss.txt: LT core longest path laser → micro-comb → 4 splitters → 2 MRRs → MZM → DODE node, 6.22 dB (onnarchsim/workflow/insertion_loss.py)"),
    pdSensitivityDBm: SourcedNumber(
      -25,
      source: "ScopeX-ASU/SimPhony configs/devices/photonics/photodetector.yml LT_PD: −25 dBm, the DODE node's detector (energy.py takes the largest PD sensitivity, default −27 dBm)"),
    laserWallPlugEfficiency: SourcedNumber(
      0.2, source: "ScopeX-ASU/SimPhony configs/devices/photonics/on_chip_laser.yml Customized_Laser: wall_plug_eff 0.2"),
    extinctionRatioDB: SourcedNumber(
      10, source: "ScopeX-ASU/SimPhony configs/devices/photonics/mzm.yml LT_MZM: extinction ratio 10 dB"))
}
