import HybrixCore

extension PhotonicCoreTier {
  /// The converters ``init(spec:)`` prices, not the reference converters `adc.bits`/`dac.bits`
  /// they are rescaled from: ADCs at `activation_bits` (``adcPower``), DACs at
  /// max(`weight_bits`, `activation_bits`) (``dacPower``). Inputs are `activation_bits` wide
  /// (wider work is refused), so the DAC encodes them exactly; weights are `weight_bits` wide.
  public var numerics: TierNumerics {
    .photonic(
      inputBits: spec.common.activationBits, weightBits: spec.common.weightBits,
      outputBits: spec.common.activationBits)
  }
}
