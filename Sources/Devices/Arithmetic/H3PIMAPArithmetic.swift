import HybrixCore
import HybrixNumerics

/// Forward products on one of H3PIMAP's tiers with the paper's noise model for it
/// (``H3PIMAPNoiseModel``; arXiv 2503.07778v2 §3.3, papers.md §7.2).
///
/// Every tier: weights W [k, n] quantized per output column (abs-max) to signed `weightBits`
/// integers, inputs per row (abs-max) to signed `inputBits` integers, exact accumulation — the
/// paper's LSQ 8-8-8 setting without learnt scales. Then, per tier:
/// - ``Tier/sram``: nothing more (the paper's SRAM-PIM is noise-free at 8 bit);
/// - ``Tier/reram``: each integer weight q read with ``H3PIMAPNoiseModel/reramWeightSigma(level:weightBits:cellBits:)``
///   (thermal + shot noise of its differential cells, 2-bit cells), a fresh draw per product
///   (read noise is temporal; one draw per product call, i.e. per batch of images — assumed);
/// - ``Tier/photonic``: each quantized input x gets x·(1 + σ_rel·ξ), σ_rel = 0.0031, fresh per product;
///   with `outputBits`, each output row is read by an ADC of that many bits over its own range
///   (the tier's 8-bit SAR ADCs, paper Table 1).
///
/// Gradient products are exact Float32 (a digital backward pass).
public struct H3PIMAPArithmetic: ProductArithmetic {
  public enum Tier: String, Sendable, Hashable, CaseIterable { case reram, sram, photonic }

  public let tier: Tier
  public let weightBits: Int
  public let inputBits: Int
  public let cellBits: Int
  /// Output ADC bits (per output row, abs-max range); `nil`: no output quantization.
  public let outputBits: Int?
  public var noise: H3PIMAPNoiseModel
  private var rng: SplitMix64

  public init(
    tier: Tier, weightBits: Int = 8, inputBits: Int = 8, cellBits: Int = 2, outputBits: Int? = nil,
    noise: H3PIMAPNoiseModel = .init(), seed: UInt64
  ) throws(ConfigError) {
    try Check.bits(outputBits, "output_bits")
    try Check.bits(weightBits, "weight_bits")
    try Check.bits(inputBits, "activation_bits")
    try Check.bits(cellBits, "cell_bits")
    guard weightBits >= 2, inputBits >= 2 else {
      throw ConfigError(
        path: "weight_bits", message: "\(min(weightBits, inputBits))-bit operands",
        expected: "at least 2 bits (a sign and one magnitude bit)")
    }
    (self.tier, self.weightBits, self.inputBits, self.cellBits, self.noise) = (tier, weightBits, inputBits, cellBits, noise)
    self.outputBits = outputBits
    self.rng = SplitMix64(seed: seed)
  }

  public var name: String {
    switch tier {
    case .sram: "h3pimap-sram(\(weightBits)×\(inputBits) bit, noise-free)"
    case .reram: "h3pimap-reram(\(weightBits)×\(inputBits) bit, \(cellBits)-bit cells, thermal+shot ×\(noise.scale))"
    case .photonic: "h3pimap-photonic(\(weightBits)×\(inputBits)→\(outputBits.map(String.init) ?? "∞") bit, input σ \(noise.photonicInputNoise * noise.scale)·|x|)"
    }
  }

  public mutating func multiply(_ a: Tensor, _ b: Tensor, role: ProductRole) -> Tensor {
    guard role == .forward else { return GEMM.multiply(a, b) }
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    let wl = Float((1 << (weightBits - 1)) - 1), xl = Float((1 << (inputBits - 1)) - 1)
    // Weights: integer levels per column, then the tier's read noise in units of a level.
    let colMax = b.columnAbsMax()
    var w = b
    var levels = [Int](repeating: 0, count: k * n)
    for p in 0..<k {
      for j in 0..<n where colMax[j] > 0 {
        let q = (b.scalars[p * n + j] / colMax[j] * wl).rounded()
        levels[p * n + j] = Int(q)
        w.scalars[p * n + j] = q
      }
    }
    if tier == .reram && noise.scale > 0 {
      var sigmaByLevel: [Int: Float] = [:]
      let xi = rng.gaussians(count: levels.count)  // bulk ziggurat draws
      for i in levels.indices {
        let q = levels[i]
        let s: Float
        if let known = sigmaByLevel[q] { s = known } else {
          s = Float(noise.reramWeightSigma(level: q, weightBits: weightBits, cellBits: cellBits))
          sigmaByLevel[q] = s
        }
        w.scalars[i] += s * xi[i]
      }
    }
    for p in 0..<k { for j in 0..<n { w.scalars[p * n + j] *= colMax[j] / wl } }
    // Inputs: integer levels per row, then the photonic tier's relative input noise.
    let rowMax = a.rowAbsMax()
    var x = a
    let relative = Float(noise.photonicInputNoise * noise.scale)
    let xi = tier == .photonic && relative > 0 ? rng.gaussians(count: m * k) : []
    for r in 0..<m {
      let scale = rowMax[r] / xl
      guard rowMax[r] > 0 else { continue }
      for p in 0..<k {
        var v = (a.scalars[r * k + p] / rowMax[r] * xl).rounded()
        if !xi.isEmpty { v *= 1 + relative * xi[r * k + p] }
        x.scalars[r * k + p] = v * scale
      }
    }
    var y = GEMM.multiply(x, w)
    if let outputBits {
      let q = SymmetricQuantizer(bits: outputBits)
      let yMax = y.rowAbsMax()
      for r in 0..<m { for j in 0..<n { y.scalars[r * n + j] = q.quantize(y.scalars[r * n + j], range: yMax[r]) } }
    }
    return y
  }
}
