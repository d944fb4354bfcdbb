import HybrixCore

extension AnalogTileTier {
  /// The tile's `dac_bits` and `adc_bits`, the converters ``evaluate(_:)`` counts (inputs in
  /// `⌈activation_bits / dac_bits⌉` passes); weights are programmed as analog conductances.
  public var numerics: TierNumerics {
    .pcm(
      weightBits: spec.common.weightBits, activationBits: spec.common.activationBits,
      dacBits: spec.dacBits, adcBits: spec.adcBits)
  }
}
