import Hardware
import HybrixCore
import Mapping
import Workloads

/// Mirage's training study on our cost model: a training step (forward, input-gradient and
/// weight-gradient GEMMs per layer, pointwise backward work, the optimizer update) with every
/// product on the RNS core and everything else on the digital side, against a Table II
/// systolic baseline scaled iso-energy or iso-area, counted two ways:
///
/// - **paper**: GEMMs only; Mirage charged its core (laser, converters, conversions, CRT, FP32
///   accumulation, SRAM), the baseline its MAC energy only; baseline MAC units scaled by Table II's
///   per-MAC figures of both (iso-energy: units × pJ/MAC equal; iso-area: units × mm²/MAC equal);
/// - **whole-system**: the whole step on both sides through the same cost model, the same digital
///   side, SRAM and HBM (DRAM included); iso-energy holds the average power over the step equal,
///   iso-area gives the baseline's MACs the area of Mirage's photonic core (the digital chiplet
///   and its SRAM are on both sides). Both sides store FP32 tensors.
///
/// Everything is computed here at run time; only the paper's headlines (``headlines``) are
/// copied, with their citation.
public enum MirageStudy {
  /// The comparison of `request`'s workload on `architecture` (`nil`: the `mirage` preset).
  public static func compare(
    _ request: WorkloadRequest, architecture: Architecture? = nil, against baseline: String, iso: IsoMode
  ) throws(ConfigErrors) -> MirageComparison {
    let graph: Graph
    do { graph = try request.load().graph } catch { throw ConfigErrors([error]) }
    let arch: Architecture
    if let architecture { arch = architecture } else { arch = try PresetRegistry.architecture(named: "mirage") }
    let b: MirageBaseline
    do { b = try MirageBaseline.named(baseline) } catch { throw ConfigErrors([error]) }
    return try compare(graph: graph, architecture: arch, baseline: b, iso: iso)
  }

  public static func compare(
    graph: Graph, architecture: Architecture, baseline: MirageBaseline, iso: IsoMode, precision: Precision = .fp32
  ) throws(ConfigErrors) -> MirageComparison {
    let arch = architecture
    guard let rns = arch.tiers.firstIndex(where: { $0 is RNSPhotonicCoreTier }),
      let core = arch.tiers[rns] as? RNSPhotonicCoreTier
    else {
      throw ConfigErrors([
        ConfigError(
          path: "--arch", message: "\(arch.origin) has no RNS photonic tier (kind rns-photonic)",
          expected: "an architecture with a Mirage-like RNS core and a digital tier",
          hint: "use --arch mirage, or restore the rns-photonic tier in your file"),
      ])
    }
    guard let host = arch.tiers.firstIndex(where: { type(of: $0).kind == .digital }) else {
      throw ConfigErrors([
        ConfigError(
          path: "--arch", message: "\(arch.origin) has no digital tier",
          expected: "a digital tier for the pointwise work, FP32 accumulation and the optimizer",
          hint: "use --arch mirage"),
      ])
    }
    if iso == .area, baseline.areaPerMAC == nil {
      throw ConfigErrors([
        ConfigError(
          path: "--against", message: "\(baseline.name) has no area per MAC in Mirage's Table II, so no iso-area scaling",
          expected: "for --iso area one of " + MirageBaseline.all.filter { $0.areaPerMAC != nil }.map(\.name).joined(separator: ", "),
          hint: "compare \(baseline.name) with --iso energy"),
      ])
    }
    let gemms = graph.operators.indices.filter { graph.operators[$0].matmul != nil }
    guard !gemms.isEmpty else {
      throw ConfigErrors([
        ConfigError(path: "MODEL", message: "\(graph.name) has no matrix products", expected: "a model with GEMMs or convolutions")
      ])
    }
    let macs = gemms.reduce(0.0) { $0 + Double(graph.operators[$1].macs) }

    // Mirage, GEMMs only (the paper's convention).
    let cost = CostModel(graph: graph, architecture: arch, precision: precision)
    var paperSeconds = 0.0, paperJoules = 0.0, inputStationary = 0
    for op in gemms {
      switch cost.slice(op, tier: rns, resident: false) {
      case .failure(let why):
        throw ConfigErrors([
          ConfigError(
            path: "--arch", message: "the RNS tier \(core.id) refuses \(graph.operators[op].name): \(why.statement)",
            expected: "an RNS tier that takes every product of the step", hint: why.levers.first)
        ])
      case .success(let s):
        paperSeconds += s.seconds
        paperJoules += s.energy.total.joules + s.staticWatts * s.seconds
        if core.dataflowChoice(cost.work(op, share: 0, of: .on(rns), resident: false)) == .inputStationary {
          inputStationary += 1
        }
      }
    }
    let spec = core.spec
    let units = Double(spec.mmvmuCount / max(1, spec.moduli.value.count) * spec.common.count * spec.mmvmuRows * spec.mmvmuCols)
    let miragePeak = peak(core, bytes: 4)

    // Mirage, the whole step.
    let placements = graph.operators.indices.map { i in
      Placement.on(graph.operators[i].matmul != nil ? rns : host)
    }
    let whole = ScheduleSimulator(cost: cost).run(MappingPlan(placements: placements))
    guard whole.isFeasible else {
      throw ConfigErrors([
        ConfigError(
          path: "--arch", message: "the step does not run on \(arch.name): "
            + whole.infeasible.map(\.statement).joined(separator: "; "),
          expected: "an RNS tier for the products and a digital tier for the rest")
      ])
    }
    let mirageWhole = MirageSide(macUnits: units, runtimeSeconds: whole.latency.seconds, energyJoules: whole.energy.total.joules)
    let miragePaper = MirageSide(macUnits: units, runtimeSeconds: paperSeconds, energyJoules: paperJoules)

    // The baseline, the paper's way.
    // Both sides store FP32 tensors, as Mirage does (its FP32 weights and accumulation; BFP only
    // inside the core), so the comparison is of the cores, not of storage formats.
    let basePrecision = precision
    let paperUnits: Double
    let paperScaling: String
    switch iso {
    case .energy:
      paperUnits = units * MirageBaseline.mirageEnergyPerMAC.value.joules / baseline.energyPerMAC.value.joules
      paperScaling = "units × pJ/MAC equal (Table II): \(fmt(units)) × 0.21 / \(fmt(baseline.energyPerMAC.value.joules * 1e12))"
    case .area:
      let a = baseline.areaPerMAC?.value.baseValue ?? 1
      paperUnits = units * MirageBaseline.mirageAreaPerMAC.value.baseValue / a
      paperScaling = "units × mm²/MAC equal (Table II): \(fmt(units)) × 0.12 / \(fmt(a * 1e6))"
    }
    let paperArrays = arrays(paperUnits)
    let basePaperArch = try baseline.architecture(arrays: paperArrays)
    let basePaperCost = CostModel(graph: graph, architecture: basePaperArch, precision: basePrecision)
    var baseSeconds = 0.0
    for op in gemms {
      switch basePaperCost.slice(op, tier: 1, resident: false) {
      case .success(let s): baseSeconds += s.seconds
      case .failure(let why):
        throw ConfigErrors([
          ConfigError(path: "--against", message: "the \(baseline.name) arrays refuse \(graph.operators[op].name): \(why.statement)")
        ])
      }
    }
    let basePaper = MirageSide(
      macUnits: Double(paperArrays * MirageBaseline.macsPerArray), arrays: paperArrays, runtimeSeconds: baseSeconds,
      energyJoules: macs * baseline.energyPerMAC.value.joules)

    // The baseline, whole-system.
    func run(_ n: Int) throws(ConfigErrors) -> MirageSide {
      let a = try baseline.architecture(arrays: n)
      let c = CostModel(graph: graph, architecture: a, precision: basePrecision)
      let r = ScheduleSimulator(cost: c).run(MappingPlan(placements: graph.operators.indices.map {
        Placement.on(graph.operators[$0].matmul != nil ? 1 : 0)
      }))
      return MirageSide(
        macUnits: Double(n * MirageBaseline.macsPerArray), arrays: n, runtimeSeconds: r.latency.seconds,
        energyJoules: r.energy.total.joules)
    }
    var notes: [String] = []
    let baseWhole: MirageSide
    let wholeScaling: String
    switch iso {
    case .area:
      let a = baseline.areaPerMAC?.value.baseValue ?? 1
      let n = arrays(core.area.baseValue / a)
      baseWhole = try run(n)
      wholeScaling = "MAC area = Mirage's photonic core \(fmt(core.area.baseValue * 1e6)) mm² (the digital chiplet and SRAM on both sides) ÷ \(fmt(a * 1e6)) mm²/MAC"
    case .energy:
      // The paper's rule with whole-system energies per MAC on both sides: arrays × an array's
      // peak power (MACs and their SRAM traffic) = Mirage's peak power (laser, converters,
      // conversions, accumulation, SRAM).
      let one = try baseline.architecture(arrays: 1)
      let perArray = peak(one.tiers[1], bytes: Double((precision.activationBits + 7) / 8)).watts
      let n = perArray > 0 ? arrays(miragePeak.watts / perArray * Double(MirageBaseline.macsPerArray)) : 1
      baseWhole = try run(n)
      wholeScaling = "arrays × one array's peak power (MACs + SRAM, \(fmt(perArray)) W) = Mirage's peak power \(fmt(miragePeak.watts)) W"
    }
    notes.append(
      "Mirage's peak power in our model is \(fmt(miragePeak.watts)) W (paper: 19.95 W); energy per MAC at peak \(fmt(miragePeak.watts / (units * core.clock.hertz) * 1e12)) pJ (Table II: 0.21 pJ)")
    let paperFigure = headlines.first { $0.baseline == baseline.name && $0.iso == iso }
    return MirageComparison(
      model: graph.name, phase: graph.workload.phase.rawValue, batch: graph.workload.batch, baseline: baseline.name,
      iso: iso, gemms: gemms.count, macs: macs, inputStationaryGEMMs: inputStationary,
      mirageEnergyPerMACJoules: miragePeak.watts / (units * core.clock.hertz), mirageAreaSquareMillimetres: arch.computeArea.baseValue * 1e6,
      miragePeakPowerWatts: miragePeak.watts, miragePeakBreakdownWatts: miragePeak.byAction,
      conventions: [
        MirageConvention(
          name: "paper", description: "GEMMs only; Mirage's core and SRAM vs the baseline's MAC energy; no DRAM",
          scaling: paperScaling, mirage: miragePaper, baseline: basePaper,
          ratios: MirageRatios(baseline: basePaper, mirage: miragePaper)),
        MirageConvention(
          name: "whole-system", description: "the whole step on both sides: same digital side, SRAM and HBM, static power",
          scaling: wholeScaling, mirage: mirageWhole, baseline: baseWhole,
          ratios: MirageRatios(baseline: baseWhole, mirage: mirageWhole)),
      ],
      paper: paperFigure, notes: notes)
  }

  /// Whole 16×32 arrays for `units` MAC units (at least one).
  static func arrays(_ units: Double) -> Int { max(1, Int((units / Double(MirageBaseline.macsPerArray)).rounded())) }

  /// A tier's power when all its units stream one long FP32-operand product (`bytes` per
  /// operand value), by action name and `static`: Mirage's peak power, or one array's.
  static func peak(_ tier: any HardwareTier, bytes: Double) -> (watts: Double, byAction: [String: Double]) {
    let (k, n): (Double, Double)
    if let core = tier as? RNSPhotonicCoreTier {
      let s = core.spec
      let perModulus = s.mmvmuCount / max(1, s.moduli.value.count) * s.common.count
      (k, n) = (Double(s.mmvmuRows), Double(s.mmvmuCols * perModulus))
    } else if let sa = tier as? SystolicArrayTier {
      (k, n) = (Double(sa.spec.rows), Double(sa.spec.cols * sa.spec.common.count))
    } else {
      return (0, [:])
    }
    let m = 1e6
    let work = TileWork(
      kind: .matrix, m: m, k: k, n: n, inputBytes: m * k * bytes, weightBytes: k * n * bytes,
      outputBytes: m * n * bytes, weightBits: 8, activationBits: 8, weightsResident: false)
    guard case .success(let a) = tier.evaluate(work), a.cycles > 0 else { return (0, [:]) }
    let seconds = a.cycles / tier.clock.hertz
    var by: [String: Double] = ["static": tier.staticPower.watts]
    for action in Action.allCases where a.actions[action] > 0 {
      by[action.description] = a.actions[action] * (tier.energyTable[action]?.value.joules ?? 0) / seconds
    }
    return (by.values.reduce(0, +), by)
  }

  static func fmt(_ v: Double) -> String { formatSignificant(v, digits: 4) }
}
