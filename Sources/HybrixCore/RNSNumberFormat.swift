import Foundation

/// The residue number system and block-floating-point format of an RNS core: the ONE place both
/// the cost side (`RNSPhotonicCoreSpec`, module Hardware) and the accuracy side
/// (`RNSArithmetic.Configuration`, module Devices) read Mirage's numbers from, so the two cannot
/// drift apart (a test in MappingTests checks the preset's tier and the `rns-mirage` arithmetic
/// against ``mirage``).
public struct RNSNumberFormat: Sendable, Hashable {
  /// Pairwise-coprime moduli m₁…mₙ; their product M is the dynamic range.
  public var moduli: [Int]
  /// BFP group size g: elements that share one exponent (one modular dot product spans a group).
  public var blockSize: Int
  /// Signed mantissa bits (the paper's b_m magnitude bits plus the sign).
  public var mantissaBits: Int
  /// Where the numbers come from.
  public var source: String

  public init(moduli: [Int], blockSize: Int, mantissaBits: Int, source: String) {
    self.moduli = moduli
    self.blockSize = blockSize
    self.mantissaBits = mantissaBits
    self.source = source
  }

  /// Mirage's numbers [Demirkiran et al., "Mirage: An RNS-Based Photonic Accelerator for DNN
  /// Training", ISCA 2024, arXiv 2311.17323v2 §III–V; papers.md §7.1]: moduli {31, 32, 33}
  /// (k = 5 of {2^k − 1, 2^k, 2^k + 1}, M = 32 736), groups of g = 16, b_m = 4 mantissa bits plus
  /// the sign, the same for the forward, input-gradient and weight-gradient GEMMs.
  public static let mirage = RNSNumberFormat(
    moduli: [31, 32, 33], blockSize: 16, mantissaBits: 5,
    source: "Demirkiran et al., Mirage, ISCA 2024 (arXiv 2311.17323v2 §III–V): moduli {31, 32, 33}, "
      + "BFP b_m = 4 mantissa bits (+ sign) in groups of g = 16 for all three training GEMMs")

  /// Product of the moduli M (exact below 2^63 for the sets a core can hold).
  public var range: Int { moduli.reduce(1, *) }

  /// Mirage's overflow rule log₂ M ≥ 2(b_m + 1) + log₂ g − 1 with b_m = mantissaBits − 1
  /// (arXiv 2311.17323v2 §III): whether a group's dot product fits the signed range.
  public var holdsAGroup: Bool {
    let bm = Double(mantissaBits - 1)
    return log2(Double(range)) >= 2 * (bm + 1) + log2(Double(blockSize)) - 1
  }
}
