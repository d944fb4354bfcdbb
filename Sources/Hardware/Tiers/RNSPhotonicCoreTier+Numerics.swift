import HybrixCore

extension RNSPhotonicCoreTier {
  /// The residue channels the tier prices (`moduli`, `redundant_moduli`, converters at
  /// ⌈log₂ mᵢ⌉ bits each) and its BFP format (`bfp_block`, `mantissa_bits`).
  public var numerics: TierNumerics {
    .rns(
      moduli: spec.moduli.value, redundantModuli: spec.redundantModuli, blockSize: spec.bfpBlock,
      mantissaBits: spec.mantissaBits)
  }
}
