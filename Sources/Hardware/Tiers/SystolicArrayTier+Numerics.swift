import HybrixCore

extension SystolicArrayTier {
  /// Digital MACs at the tier's `weight_bits` × `activation_bits`, the precision its `mac`
  /// energy is priced at.
  public var numerics: TierNumerics {
    .exact(weightBits: spec.common.weightBits, activationBits: spec.common.activationBits)
  }
}
