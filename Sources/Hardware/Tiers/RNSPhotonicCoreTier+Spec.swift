import Foundation
import HybrixCore

/// The spec of an ``RNSPhotonicCoreTier``: the residue number system, the block-floating-point
/// format and the modular matrix-vector units (MMVMUs) of a Mirage-like core.
///
/// `adc_conversion` and `dac_conversion` are derived from `adc` and `dac` at each modulus's
/// ⌈log₂ mᵢ⌉ bits, so a file must not give them under `energy:`.
public struct RNSPhotonicCoreSpec: TierSpec {
  public var common: TierCommon
  /// Pairwise-coprime moduli m₁…mₙ; their product M is the dynamic range.
  public var moduli: SourcedValue<[Int]>
  /// Redundant moduli for error detection (RRNS): larger than every modulus, computed like them,
  /// outside the legitimate range M.
  public var redundantModuli: [Int]
  /// BFP block length g: elements that share one exponent; one RNS dot product spans one block.
  public var bfpBlock: Int
  /// BFP mantissa bits b, sign included.
  public var mantissaBits: Int
  /// Number of MMVMUs per unit, and the rows (reduction) × columns (outputs) of each.
  public var mmvmuCount: Int
  public var mmvmuRows: Int
  public var mmvmuCols: Int
  /// `true`: the moduli run side by side on groups of MMVMUs (one per modulus); `false`: any MMVMU
  /// takes any modulus, one after the other.
  public var moduliParallel: Bool
  /// Time to set a weight tile into an MMVMU's phase shifters; at least one cycle.
  public var tuningLatency: Sourced<Time>
  /// Reference converters, rescaled to each modulus's bits as SimPhony does.
  public var adc: ConverterReference
  public var dac: ConverterReference
  /// Which operand stays in the phase shifters (``Dataflow``; default weight-stationary).
  public var dataflow: Dataflow = .weightStationary
  /// `true`: the streamed operand's bits switch light through binary-weighted shifter segments
  /// (Mirage's MRR routing: no DAC), and the DAC converts each residue of the operand that is set,
  /// once per tile. `false`: a DAC drives every streamed residue (and setting a tile is priced by
  /// `phase_tuning` alone).
  public var digitalInputs: Bool = false
  /// ADCs per read-out of one dot-product unit (Mirage's I/Q phase read-out: 2).
  public var adcsPerReadout: Int = 1

  public init(
    common: TierCommon, moduli: SourcedValue<[Int]>, redundantModuli: [Int] = [], bfpBlock: Int, mantissaBits: Int,
    mmvmuCount: Int, mmvmuRows: Int, mmvmuCols: Int, moduliParallel: Bool = true, tuningLatency: Sourced<Time>,
    adc: ConverterReference, dac: ConverterReference, dataflow: Dataflow = .weightStationary,
    digitalInputs: Bool = false, adcsPerReadout: Int = 1
  ) {
    self.common = common
    self.moduli = moduli
    self.redundantModuli = redundantModuli
    self.bfpBlock = bfpBlock
    self.mantissaBits = mantissaBits
    self.mmvmuCount = mmvmuCount
    self.mmvmuRows = mmvmuRows
    self.mmvmuCols = mmvmuCols
    self.moduliParallel = moduliParallel
    self.tuningLatency = tuningLatency
    self.adc = adc
    self.dac = dac
    self.dataflow = dataflow
    self.digitalInputs = digitalInputs
    self.adcsPerReadout = adcsPerReadout
  }

  /// Every residue channel the core computes: the moduli, then the redundant moduli.
  public var channels: [Int] { moduli.value + redundantModuli }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case moduli
    case redundantModuli = "redundant_moduli"
    case bfpBlock = "bfp_block"
    case mantissaBits = "mantissa_bits"
    case mmvmuCount = "mmvmu_count"
    case mmvmuRows = "mmvmu_rows"
    case mmvmuCols = "mmvmu_cols"
    case moduliParallel = "moduli_parallel"
    case tuningLatency = "tuning_latency"
    case adc, dac, dataflow
    case digitalInputs = "digital_inputs"
    case adcsPerReadout = "adcs_per_readout"
  }
  public static let ownKeys = CodingKeys.allCases.map(\.rawValue)

  public init(from decoder: any Decoder) throws {
    common = try TierCommon(from: decoder)
    try DerivedEnergy.reject(RNSPhotonicCoreTier.derivedActions, in: common, from: "adc, dac and the moduli")
    let c = try decoder.container(keyedBy: CodingKeys.self)
    moduli = try c.decode(SourcedValue<[Int]>.self, forKey: .moduli)
    redundantModuli = try c.decodeIfPresent([Int].self, forKey: .redundantModuli) ?? []
    bfpBlock = try c.decode(Int.self, forKey: .bfpBlock)
    mantissaBits = try c.decode(Int.self, forKey: .mantissaBits)
    mmvmuCount = try c.decode(Int.self, forKey: .mmvmuCount)
    mmvmuRows = try c.decode(Int.self, forKey: .mmvmuRows)
    mmvmuCols = try c.decode(Int.self, forKey: .mmvmuCols)
    moduliParallel = try c.decodeIfPresent(Bool.self, forKey: .moduliParallel) ?? true
    tuningLatency = try c.decode(Sourced<Time>.self, forKey: .tuningLatency)
    adc = try c.decode(ConverterReference.self, forKey: .adc)
    dac = try c.decode(ConverterReference.self, forKey: .dac)
    dataflow = try c.decodeIfPresent(Dataflow.self, forKey: .dataflow) ?? .weightStationary
    digitalInputs = try c.decodeIfPresent(Bool.self, forKey: .digitalInputs) ?? false
    adcsPerReadout = try c.decodeIfPresent(Int.self, forKey: .adcsPerReadout) ?? 1
  }

  public func encode(to encoder: any Encoder) throws {
    try DerivedEnergy.removing(RNSPhotonicCoreTier.derivedActions, from: common).encode(to: encoder)
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(moduli, forKey: .moduli)
    try c.encode(redundantModuli, forKey: .redundantModuli)
    try c.encode(bfpBlock, forKey: .bfpBlock)
    try c.encode(mantissaBits, forKey: .mantissaBits)
    try c.encode(mmvmuCount, forKey: .mmvmuCount)
    try c.encode(mmvmuRows, forKey: .mmvmuRows)
    try c.encode(mmvmuCols, forKey: .mmvmuCols)
    try c.encode(moduliParallel, forKey: .moduliParallel)
    try c.encode(tuningLatency, forKey: .tuningLatency)
    try c.encode(adc, forKey: .adc)
    try c.encode(dac, forKey: .dac)
    if dataflow != .weightStationary { try c.encode(dataflow, forKey: .dataflow) }
    if digitalInputs { try c.encode(true, forKey: .digitalInputs) }
    if adcsPerReadout != 1 { try c.encode(adcsPerReadout, forKey: .adcsPerReadout) }
  }

  /// Problems with the number system: range, coprimality, redundancy and overflow, with paths.
  func validateNumberSystem() -> [ConfigError] {
    var errors: [ConfigError] = []
    let m = moduli.value
    if m.isEmpty {
      errors.append(ConfigError(path: "moduli", message: "no moduli", expected: "at least one modulus ≥ 2"))
    }
    for (i, x) in channels.enumerated() where !(2...65_536).contains(x) {
      let path = i < m.count ? "moduli[\(i)]" : "redundant_moduli[\(i - m.count)]"
      errors.append(ConfigError(path: path, message: "\(x)", expected: "2…65536"))
    }
    guard errors.isEmpty else { return errors }
    let all = channels
    for i in all.indices {
      for j in all.indices where j > i {
        let g = Self.gcd(all[i], all[j])
        if g > 1 {
          errors.append(
            ConfigError(
              path: j < m.count ? "moduli" : "redundant_moduli",
              message: "\(all[i]) and \(all[j]) share the factor \(g)", expected: "pairwise coprime moduli",
              hint: "the CRT needs pairwise-coprime moduli, e.g. {2^k − 1, 2^k, 2^k + 1}"))
        }
      }
    }
    if let largest = m.max() {
      for (i, r) in redundantModuli.enumerated() where r <= largest {
        errors.append(
          ConfigError(
            path: "redundant_moduli[\(i)]", message: "\(r) is not larger than every modulus (largest \(largest))",
            expected: "redundant moduli above \(largest)"))
      }
    }
    // No overflow for a g-element dot product of b-bit signed mantissas: |y| ≤ g · 2^(2(b − 1))
    // must fit the signed range ⌊(M − 1)/2⌋, i.e. M > g · 2^(2b − 1), log₂ M ≳ 2b − 1 + log₂ g
    // (papers.md §3.4; the same test as RNSArithmetic's). In Double: M is exact below 2^53.
    let range = m.reduce(1.0) { $0 * Double($1) }
    let perElement = Double(1 << (2 * mantissaBits - 1))
    if (1...24).contains(mantissaBits), bfpBlock >= 1, range <= Double(bfpBlock) * perElement {
      let needed = Double(2 * mantissaBits - 1) + log2(Double(bfpBlock))
      let fits = Int(((range - 1) / perElement).rounded(.down))
      errors.append(
        ConfigError(
          path: "moduli",
          message: "∏ moduli = \(Int(range)) (log₂ \(formatSignificant(log2(range), digits: 5))) overflows on "
            + "\(bfpBlock)-element blocks of \(mantissaBits)-bit mantissas, which need "
            + "log₂ M ≥ 2·\(mantissaBits) − 1 + log₂ \(bfpBlock) = \(formatSignificant(needed, digits: 5))",
          expected: "∏ moduli > bfp_block · 2^(2·mantissa_bits − 1)",
          hint: fits >= 1
            ? "blocks of up to \(fits) elements fit; shorten bfp_block or add or enlarge a modulus"
            : "even one-element blocks overflow; add or enlarge a modulus or use fewer mantissa bits"))
    }
    return errors
  }

  static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
