import HybrixCore
import HybrixNumerics

/// The arithmetics a user can name on the command line (`hybrix train --arithmetic rns`,
/// accuracy runs), each built from a seed so that runs are reproducible.
///
/// A new arithmetic is one file plus one line in ``entries``; the conformance tests in
/// `DevicesTests` run over every entry.
public enum ArithmeticRegistry {
  public struct Entry: Sendable {
    public var name: String
    public var summary: String
    public var make: @Sendable (_ seed: UInt64) throws(ConfigError) -> any ProductArithmetic
  }

  public static let entries: [Entry] = [
    Entry(name: "fp32", summary: "exact Float32 products (reference)") { _ in ExactArithmetic() },
    Entry(name: "pcm", summary: "LionHeart PCM tile (aihwkit PCM noise, 8-bit DAC/ADC, read 1 d after programming, global drift compensation)") { seed throws(ConfigError) in try AnalogTileArithmetic(time: .seconds(86_400), seed: seed) },
    Entry(name: "pcm-nocomp", summary: "PCM tile as pcm, read 1 d after programming without drift compensation") { seed throws(ConfigError) in try AnalogTileArithmetic(time: .seconds(86_400), compensation: nil, seed: seed) },
    Entry(name: "pcm-hwa", summary: "pcm for hardware-aware training: forward weights perturbed w·(1 + 0.08ξ) each product (LionHeart MULT_NORMAL), IO noise, exact gradients") { seed throws(ConfigError) in try AnalogTileArithmetic(time: .seconds(86_400), trainingWeightNoise: 0.08, seed: seed) },
    Entry(name: "rns", summary: "Mirage-style RNS (63,64,65) with BFP blocks of 16 and 7-bit mantissas, exact residues, all products") { seed throws(ConfigError) in try RNSArithmetic(RNSArithmetic.wide, seed: seed) },
    Entry(name: "rns-mirage", summary: "Mirage's own RNS: moduli (31,32,33), BFP blocks of 16 with 5-bit signed mantissas (b_m 4 + sign), exact residues, all products; as the mirage preset's tier") { seed throws(ConfigError) in try RNSArithmetic(RNSArithmetic.mirage, seed: seed) },
    Entry(name: "rrns", summary: "rns with phase noise 0.01 rad on residue read-out and redundant moduli (67,71) correcting single errors") { seed throws(ConfigError) in try RNSArithmetic(phaseNoise: 0.01, redundantModuli: [67, 71], seed: seed) },
    Entry(name: "int8", summary: "digital INT8 training: both operands of every product (forward, input and weight gradient) quantized to int8 with one abs-max scale per tensor, exact integer accumulation, FP32 weights and update") { _ throws(ConfigError) in try Int8TrainingArithmetic() },
    Entry(name: "fixed6", summary: "plain 6-bit analog fixed point: per-row/column abs-max inputs and weights, 6-bit auto-ranging ADC, all products") { seed throws(ConfigError) in try FixedPointArithmetic(bits: 6, seed: seed) },
    Entry(name: "analog6", summary: "conventional 6-bit analog core: 6-bit inputs and weights (abs-max per row/column), 6-bit ADC with a fixed ±12 normalized range (aihwkit out_bound), all products") { seed throws(ConfigError) in try FixedPointArithmetic(bits: 6, adcRange: .fixed(bound: 12), seed: seed) },
    Entry(name: "fixed8", summary: "plain 8-bit analog fixed point, as fixed6 with 8 bits") { seed throws(ConfigError) in try FixedPointArithmetic(bits: 8, seed: seed) },
    Entry(name: "photonic", summary: "photonic core: 8-bit DAC/ADC, MZI phase noise 0.01 rad (SimPhony), forward products") { seed throws(ConfigError) in try PhotonicArithmetic(seed: seed) },
    Entry(name: "photonic4", summary: "photonic core at Lightening-Transformer precision (4-bit in/weight/out), phase noise 0.01 rad") { seed throws(ConfigError) in try PhotonicArithmetic.lighteningTransformer(seed: seed) },
    Entry(name: "reram", summary: "ReRAM crossbar: 8-bit weights on 2-bit cells, 9.8–166.7 µS, lognormal variation σ 0.1, 8-bit inputs") { seed throws(ConfigError) in try ReRAMArithmetic(model: ReRAMNoiseModel(), seed: seed) },
    Entry(name: "h3pimap-reram", summary: "H3PIMAP ReRAM-PIM (paper §3.3): 8-bit weights on 2-bit differential cells with thermal + shot read noise on conductance (T 300 K, f 100 MHz, V 0.5 V assumed), 8-bit inputs") { seed throws(ConfigError) in try H3PIMAPArithmetic(tier: .reram, seed: seed) },
    Entry(name: "h3pimap-sram", summary: "H3PIMAP SRAM-PIM (paper §3.3): exact at 8 bit (8-bit weights per column, 8-bit inputs per row, exact accumulation)") { seed throws(ConfigError) in try H3PIMAPArithmetic(tier: .sram, seed: seed) },
    Entry(name: "h3pimap-photonic", summary: "H3PIMAP photonic (paper §3.3): 8-bit operands, each input x·(1 + 0.0031ξ) (TeMPO), 8-bit output ADC per row") { seed throws(ConfigError) in try H3PIMAPArithmetic(tier: .photonic, outputBits: 8, seed: seed) },
    Entry(name: "reram-saf", summary: "reram plus stuck-at faults SA0 1.75 %, SA1 9.04 % (Chen et al. 2015)") { seed throws(ConfigError) in
      try ReRAMArithmetic(model: ReRAMNoiseModel(stuckAtZeroRate: ReRAMNoiseModel.chen2015StuckAtZero, stuckAtOneRate: ReRAMNoiseModel.chen2015StuckAtOne), seed: seed)
    },
  ]

  public static var names: [String] { entries.map(\.name) }

  /// The arithmetic called `name`, seeded with `seed`.
  public static func make(_ name: String, seed: UInt64) throws(ConfigError) -> any ProductArithmetic {
    guard let entry = entries.first(where: { $0.name == name.lowercased() }) else {
      let suggestion = NearestName.suggestion(for: name, among: names)
      throw ConfigError(
        path: "--arithmetic", message: "unknown arithmetic '\(name)'",
        expected: "one of \(names.joined(separator: ", "))",
        hint: suggestion.map { "did you mean '\($0)'?" })
    }
    return try entry.make(seed)
  }
}
