import HybrixCore
import HybrixNumerics

/// Mirage-style training arithmetic: every product (forward, input gradient, weight gradient) in
/// a residue number system with block floating point (papers.md §3.4; Demirkiran et al., ISCA 2024).
///
/// Both operands are BFP-quantized along the reduction axis (blocks of g elements share a
/// power-of-two exponent, mantissas of b_m signed bits); each block's integer dot product is
/// computed per modulus, reconstructed by the CRT and accumulated across blocks in floating
/// point. The moduli must hold every block dot product: g·2^(2(b_m−1)) ≤ ⌊(M − 1)/2⌋, checked at
/// construction (a ``ConfigError`` names the overflowing length). Optional read-out phase noise
/// σ_φ turns into residue errors (``PhaseNoiseResidueErrors``); optional redundant moduli correct
/// single wrong residues and detect more, a detected block is re-executed up to `maxRetries`
/// times and then dropped. See ``RNSBlockProduct`` for how this runs at GEMM speed.
///
/// Defaults (``wide``) [INFERENCE, made before Mirage's own numbers were found; those are
/// ``mirage``, papers.md §7.1]:
/// moduli {63, 64, 65}, the {2^k − 1, 2^k, 2^k + 1} family papers.md §3.4 suggests for Mirage's
/// three-moduli dataflow, at k = 6 (7-bit converters, M = 262 080 ≈ 2^18); 7-bit mantissas, the
/// training precision of the same authors' Blueprint paper (Nat. Commun. 2024, "≥ 99 % of FP32
/// with 7-bit arithmetic for training"); blocks of 16, the largest power of two that
/// 16·2^12 = 65 536 ≤ 131 039 allows.
public struct RNSArithmetic: ProductArithmetic {
  public let moduli: ModuliSet
  public let format: BFPFormat
  public let residueErrors: PhaseNoiseResidueErrors?
  public let redundancy: RedundantModuliSet?
  public let maxRetries: Int
  /// Residue-error counts over every product so far.
  public private(set) var stats = RNSErrorStats()
  private var rng: SplitMix64

  /// - Parameters:
  ///   - moduli: Pairwise-coprime base moduli (legitimate range M = ∏).
  ///   - blockSize: BFP block length g along the reduction axis, ≥ 1.
  ///   - mantissaBits: Signed mantissa bits b_m, 2...16.
  ///   - phaseNoise: σ_φ of the read-out phase in radians, ≥ 0 (0: exact residues).
  ///   - redundantModuli: Redundant moduli, each larger than every base modulus ([]: none).
  ///   - maxRetries: Re-executions of a block after a detected error, ≥ 0.
  ///   - seed: Seed of the residue-error draws.
  public init(
    moduli: [Int64] = RNSArithmetic.wide.moduli, blockSize: Int = RNSArithmetic.wide.blockSize,
    mantissaBits: Int = RNSArithmetic.wide.mantissaBits,
    phaseNoise: Double = 0, redundantModuli: [Int64] = [], maxRetries: Int = 1, seed: UInt64
  ) throws(ConfigError) {
    try Check.bits(mantissaBits, "mantissa_bits")
    guard mantissaBits >= 2 else {
      throw ConfigError(path: "mantissa_bits", message: "a 1-bit signed mantissa holds only 0",
        expected: "2...16 bits")
    }
    guard blockSize >= 1, blockSize <= 1 << 20 else {
      throw ConfigError(path: "block_size", message: "BFP block size \(blockSize) is out of range",
        expected: "1...\(1 << 20)")
    }
    try Check.nonNegative(phaseNoise, "phase_noise", unit: " rad")
    guard maxRetries >= 0 else {
      throw ConfigError(path: "max_retries", message: "\(maxRetries) retries", expected: "≥ 0")
    }
    let base = try ModuliSet(moduli)
    let format = BFPFormat(blockSize: blockSize, mantissaBits: mantissaBits)
    do {
      try base.checkNoOverflow(length: blockSize, bits: mantissaBits)
    } catch {
      throw ConfigError(path: "block_size", message: "BFP blocks of \(blockSize) overflow the moduli "
        + "\(moduli): " + error.message, expected: error.expected, hint: error.hint)
    }
    self.moduli = base
    self.format = format
    self.residueErrors = phaseNoise > 0 ? PhaseNoiseResidueErrors(sigmaPhi: phaseNoise) : nil
    if redundantModuli.isEmpty {
      self.redundancy = nil
    } else {
      self.redundancy = try RedundantModuliSet(base: base, redundant: redundantModuli)
    }
    self.maxRetries = maxRetries
    self.rng = SplitMix64(seed: seed)
  }

  public var name: String {
    var s = "rns(\(moduli.moduli.map(String.init).joined(separator: ",")))"
    s += " bfp\(format.blockSize)×\(format.mantissaBits)b"
    if let residueErrors { s += " σφ=\(residueErrors.sigmaPhi) rad" }
    if let redundancy { s += " +rrns(\(redundancy.redundant.map(String.init).joined(separator: ",")))" }
    return s
  }

  var engine: RNSBlockProduct {
    RNSBlockProduct(moduli: moduli, format: format, residueErrors: residueErrors,
      redundancy: redundancy, maxRetries: maxRetries)
  }

  public mutating func multiply(_ a: Tensor, _ b: Tensor, role: ProductRole) -> Tensor {
    engine.product(a, b, rng: &rng, stats: &stats)
  }
}
