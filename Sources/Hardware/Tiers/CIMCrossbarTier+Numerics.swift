import HybrixCore

extension CIMCrossbarTier {
  /// The crossbar as ``evaluate(_:)`` prices it: `activation_bits` inputs applied `dac_bits` per
  /// step, `weight_bits` weights over `⌈weight_bits / cell_bits⌉` columns, and one `adc_bits`
  /// conversion per column, row group of `rows_active` rows and input step.
  ///
  /// ReRAM tiers are taken to use ISAAC's ADC sizing and weight encoding (Shafiee et al., ISCA
  /// 2016, §4), so an ADC of ``TierNumerics/isaacLosslessADCBits(rowsActive:dacBits:cellBits:)``
  /// or more resolves every partial sum exactly; the accuracy side refuses a narrower one, which
  /// it does not model. The encoding's extra bit per column is not priced.
  public var numerics: TierNumerics {
    let c = spec.common
    switch spec.technology {
    case .reram:
      return .reram(
        cellBits: spec.cellBits, weightBits: c.weightBits, activationBits: c.activationBits,
        dacBits: spec.dacBits, adcBits: spec.adcBits, rowsActive: spec.rowsActive)
    case .sram, .edram:
      return .fixedPoint(
        weightBits: c.weightBits, activationBits: c.activationBits, cellBits: spec.cellBits,
        dacBits: spec.dacBits, adcBits: spec.adcBits, rowsActive: spec.rowsActive)
    }
  }
}
