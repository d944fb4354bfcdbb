import HybrixCore
import HybrixNumerics

/// Forward products on ReRAM crossbars (an H3PIMAP ReRAM-PIM tier) with the device model of
/// ``ReRAMNoiseModel``: weights are programmed once and stay (static weights).
///
/// - ``realize(weights:)`` programs the `[k, n]` weights (bit slicing, variation, stuck-at faults
///   drawn once) and returns them as read back; a `.forward` product whose `b` is those weights
///   (or one contiguous column block of them) uses them as they are.
/// - A `.forward` product with any other `b` programs `b` afresh for that product (a crossbar
///   re-written per call; fresh variation and fault positions).
/// - Inputs go through a bit-serial DAC of `inputBits` (per input vector abs-max scaling); outputs
///   through an optional ADC of `adcBits` (per row abs-max range). ISAAC's ADC resolves every
///   column partial sum exactly (Shafiee et al., ISCA 2016), hence no output ADC by default;
///   8-bit inputs are ISAAC's and DNN+NeuroSim's default activation precision.
/// - Gradient products are exact Float32 (a digital backward pass).
public struct ReRAMArithmetic: ProductArithmetic {
  public let model: ReRAMNoiseModel
  public let inputBits: Int?
  public let adcBits: Int?
  private var rng: SplitMix64
  private var realized: Tensor?

  public init(model: ReRAMNoiseModel, inputBits: Int? = 8, adcBits: Int? = nil, seed: UInt64)
    throws(ConfigError)
  {
    try Check.bits(inputBits, "input_bits")
    try Check.bits(adcBits, "adc_bits")
    self.model = model
    self.inputBits = inputBits
    self.adcBits = adcBits
    self.rng = SplitMix64(seed: seed)
  }

  public var name: String {
    var s = "reram(\(model.weightBits)b weights on \(model.cellBits)b cells, σlog=\(model.variation)"
    if model.stuckAtZeroRate > 0 || model.stuckAtOneRate > 0 {
      s += ", SA0 \(model.stuckAtZeroRate), SA1 \(model.stuckAtOneRate)"
    }
    return s + ")"
  }

  public mutating func realize(weights: Tensor) -> Tensor {
    let w = model.apply(to: weights, rng: &rng)
    realized = w
    return w
  }

  public mutating func multiply(_ a: Tensor, _ b: Tensor, role: ProductRole) -> Tensor {
    guard role == .forward else { return GEMM.multiply(a, b) }
    var w = b
    if realized?.columnBlockOffset(of: b) == nil { w = model.apply(to: b, rng: &rng) }
    var x = a
    if let inputBits {
      let q = SymmetricQuantizer(bits: inputBits)
      let rowMax = a.rowAbsMax()
      let k = a.shape[1]
      for r in 0..<a.shape[0] {
        for p in 0..<k { x.scalars[r * k + p] = q.quantize(a.scalars[r * k + p], range: rowMax[r]) }
      }
    }
    var y = GEMM.multiply(x, w)
    if let adcBits {
      let q = SymmetricQuantizer(bits: adcBits)
      let rowMax = y.rowAbsMax()
      let n = y.shape[1]
      for r in 0..<y.shape[0] {
        for j in 0..<n { y.scalars[r * n + j] = q.quantize(y.scalars[r * n + j], range: rowMax[r]) }
      }
    }
    return y
  }
}
