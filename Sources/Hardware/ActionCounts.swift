/// The actions tiers count and energy tables price [Timeloop ERT, Accelergy].
///
/// Each action has one unit of count, named in its documentation; the energy table gives the
/// energy of one unit.
public enum Action: Int, CaseIterable, Sendable, Codable, CustomStringConvertible {
  /// One digital multiply-accumulate at the tier's precision.
  case mac
  /// One digital pointwise operation (add, compare, exp step).
  case vectorOp
  /// One activation of one crossbar array for one input vector and one input bit (all its
  /// columns at once), excluding converters.
  case arrayActivation
  /// One analog-to-digital conversion.
  case adcConversion
  /// One digital-to-analog conversion.
  case dacConversion
  /// One byte read from the tier's local SRAM buffer.
  case bufferRead
  /// One byte written to the tier's local SRAM buffer.
  case bufferWrite
  /// One memory cell (re)programmed.
  case cellWrite
  /// One symbol driven onto an optical modulator.
  case modulation
  /// One photodetector/TIA sample.
  case detection
  /// One phase-shifter reconfiguration.
  case phaseTuning
  /// One Chinese-remainder reconstruction of an output (RNS).
  case crtReconstruction
  /// One array switched between compute and memory mode (dual-mode CIM).
  case modeSwitch
  /// One group of values converted between floating point and block floating point (shared
  /// exponent and mantissas; RNS cores).
  case bfpConversion
  /// One binary value converted into its residues (forward conversion; RNS cores).
  case residueConversion

  public var description: String { Action.names[rawValue] }

  /// YAML key of the action's energy in a tier's `energy:` block.
  public static let names = [
    "mac", "vector_op", "array_activation", "adc_conversion", "dac_conversion", "buffer_read",
    "buffer_write", "cell_write", "modulation", "detection", "phase_tuning", "crt_reconstruction",
    "mode_switch", "bfp_conversion", "residue_conversion",
  ]

  /// The energy component this action is reported under.
  public var component: EnergyComponent {
    switch self {
    case .mac, .vectorOp, .arrayActivation, .modulation, .detection, .crtReconstruction: .compute
    case .adcConversion, .dacConversion, .bfpConversion, .residueConversion: .converters
    case .bufferRead, .bufferWrite: .memory
    case .cellWrite, .phaseTuning, .modeSwitch: .programming
    }
  }
}

/// The energy breakdown every report shows.
public enum EnergyComponent: String, CaseIterable, Sendable, Codable {
  /// MACs, pointwise operations, array activations, optical modulation and detection.
  case compute
  /// ADCs and DACs, and an RNS core's number-format conversions (FP↔BFP, binary→residues).
  case converters
  /// On-tier buffers.
  case memory
  /// DRAM/HBM and inter-tier links (counted by the cost model, not by tiers).
  case movement
  /// Leakage, laser and held phase-shifter power while the tier works.
  case staticPower = "static"
  /// Writing weights into cells and reconfiguring phase shifters or modes.
  case programming
  /// Static power of a powered tier while it waits for work (leakage, retention, lasers).
  case idle
}

/// How many times each ``Action`` happens; a fixed-size SIMD value so counting never allocates
/// (cost evaluation is the mapper's inner loop).
public struct ActionCounts: Hashable, Sendable {
  public var values: SIMD16<Double>

  public init() { values = SIMD16<Double>() }

  public subscript(_ action: Action) -> Double {
    get { values[action.rawValue] }
    set { values[action.rawValue] = newValue }
  }

  public static func + (a: ActionCounts, b: ActionCounts) -> ActionCounts {
    var r = a
    r.values += b.values
    return r
  }

  /// Every count multiplied by `k`.
  public func scaled(by k: Double) -> ActionCounts {
    var r = self
    r.values *= k
    return r
  }

  public var isZero: Bool { values == SIMD16<Double>() }
}
