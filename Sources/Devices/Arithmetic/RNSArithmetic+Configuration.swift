import HybrixCore

extension RNSArithmetic {
  /// The number system and BFP format of an RNS core, without the noise and retry settings.
  public struct Configuration: Sendable, Hashable {
    /// Pairwise-coprime base moduli.
    public var moduli: [Int64]
    /// Redundant moduli (RRNS), each larger than every base modulus.
    public var redundantModuli: [Int64]
    /// BFP block length g.
    public var blockSize: Int
    /// Signed mantissa bits b (sign included).
    public var mantissaBits: Int

    public init(moduli: [Int64], redundantModuli: [Int64] = [], blockSize: Int, mantissaBits: Int) {
      self.moduli = moduli
      self.redundantModuli = redundantModuli
      self.blockSize = blockSize
      self.mantissaBits = mantissaBits
    }

    /// The configuration of a shared ``RNSNumberFormat`` (no redundant moduli).
    public init(format: RNSNumberFormat) {
      self.init(moduli: format.moduli.map(Int64.init), blockSize: format.blockSize, mantissaBits: format.mantissaBits)
    }
  }

  /// Mirage's numbers (Demirkiran et al., ISCA 2024, arXiv 2311.17323v2 §III–V; papers.md §7.1):
  /// moduli {31, 32, 33} (M = 32 736), groups of g = 16, b_m = 4 mantissa bits plus the sign, so
  /// 5 signed bits, read from ``RNSNumberFormat/mirage``, which the `mirage` preset's tier reads too.
  public static let mirage = Configuration(format: RNSNumberFormat.mirage)

  /// The `rns` registry entry and this type's defaults: moduli {63, 64, 65} (M ≈ 2¹⁸), blocks of 16,
  /// 7-bit mantissas — chosen before Mirage's own numbers were found (see the type's doc comment),
  /// and kept because the training figures in docs/training.md and docs/accuracy.md were measured
  /// with it. Wider than ``mirage``.
  public static let wide = Configuration(moduli: [63, 64, 65], blockSize: 16, mantissaBits: 7)

  /// An RNS arithmetic with the number system and format of `configuration`.
  ///
  /// - Throws: ``ConfigError`` at `block_size` when the moduli cannot hold a block's dot product,
  ///   or at the offending parameter otherwise.
  public init(
    _ configuration: Configuration, phaseNoise: Double = 0, maxRetries: Int = 1, seed: UInt64
  ) throws(ConfigError) {
    try self.init(
      moduli: configuration.moduli, blockSize: configuration.blockSize,
      mantissaBits: configuration.mantissaBits, phaseNoise: phaseNoise,
      redundantModuli: configuration.redundantModuli, maxRetries: maxRetries, seed: seed)
  }

  /// The configuration this arithmetic was built with.
  public var configuration: Configuration {
    Configuration(
      moduli: moduli.moduli, redundantModuli: redundancy?.redundant ?? [],
      blockSize: format.blockSize, mantissaBits: format.mantissaBits)
  }
}
