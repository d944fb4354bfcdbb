import HybrixCore
import HybrixNumerics

/// Forward products on a crossbar of exact memory cells (SRAM or eDRAM compute-in-memory) with
/// bit-serial inputs, bit-sliced weights and an ADC on every column partial sum, as NeuroSim
/// models SRAM-CIM inference (DNN_NeuroSim V1.3, `Inference_pytorch/utee/wage_quantizer.py`
/// `LinearQuantizeOut`; the cost side is `CIMCrossbarTier`).
///
/// For `a` [m, k] and `b` [k, n]:
/// 1. each row of `a` becomes a signed `activationBits` integer vector (abs-max per row, like
///    ``FixedPointArithmetic``), each column of `b` a signed `weightBits` integer vector
///    (abs-max per column);
/// 2. inputs are cut into `T = ⌈activationBits / dacBits⌉` two's-complement digits of `dacBits`
///    (applied one per step), weights into `S = ⌈weightBits / cellBits⌉` digits of `cellBits`
///    (one column each); the top digit of each carries the sign (its weight is negative in the
///    shift-and-add), so no offset columns are needed;
/// 3. for every row group of `rowsActive` rows, input step and weight slice, each column's
///    integer partial sum goes through an `adcBits` ADC whose range is that input vector's
///    [min, max] partial sum over the columns (NeuroSim sets the range from the partial sums'
///    min and max; per input vector here, so a result does not depend on the batch), with
///    2^adcBits levels — a range of at most 2^adcBits − 1 is resolved exactly;
/// 4. the converted partial sums are shift-added digitally and scaled back.
///
/// When every possible partial sum fits the ADC exactly (``isLossless``), step 3 changes
/// nothing and the product is computed in one integer GEMM. Gradient products are exact Float32
/// (a digital backward pass).
///
/// - Complexity: T·S GEMMs of the full product's size when the ADC is lossy.
public struct BitSerialCIMArithmetic: ProductArithmetic, Hashable {
  public let weightBits: Int
  public let activationBits: Int
  public let cellBits: Int
  public let dacBits: Int
  public let adcBits: Int
  public let rowsActive: Int

  /// - Parameters:
  ///   - weightBits, activationBits: Signed operand precision, 2...16 bits.
  ///   - cellBits: Bits per cell, 1...8; dacBits: input bits per step, 1...16.
  ///   - adcBits: ADC resolution, 1...16; rowsActive: rows summed in one activation, ≥ 1.
  public init(
    weightBits: Int, activationBits: Int, cellBits: Int, dacBits: Int, adcBits: Int, rowsActive: Int
  ) throws(ConfigError) {
    for (bits, path) in [(weightBits, "weight_bits"), (activationBits, "activation_bits")] {
      try Check.bits(bits, path)
      guard bits >= 2 else {
        throw ConfigError(
          path: path, message: "a 1-bit signed operand holds only 0 and −1",
          expected: "2...16 bits")
      }
    }
    try Check.bits(cellBits, "cell_bits")
    try Check.bits(dacBits, "dac_bits")
    try Check.bits(adcBits, "adc_bits")
    guard rowsActive >= 1, rowsActive <= 1 << 20 else {
      throw ConfigError(
        path: "rows_active", message: "\(rowsActive) rows", expected: "1...\(1 << 20)")
    }
    (self.weightBits, self.activationBits, self.cellBits) = (weightBits, activationBits, cellBits)
    (self.dacBits, self.adcBits, self.rowsActive) = (dacBits, adcBits, rowsActive)
  }

  public var name: String {
    "cim(\(weightBits)b weights on \(cellBits)b cells, \(activationBits)b inputs at \(dacBits)b/step, "
      + "\(adcBits)b ADC over \(rowsActive) rows)"
  }

  /// Whether every partial sum, of any sign, fits the ADC's 2^adcBits levels at unit step:
  /// 2·rowsActive·2^dacBits·2^cellBits ≤ 2^adcBits − 1 (a bound on the span of one column).
  public var isLossless: Bool {
    let span = 2 * Double(rowsActive) * Double(1 << dacBits) * Double(1 << cellBits)
    return span <= Double((1 << adcBits) - 1)
  }

  public mutating func multiply(_ a: Tensor, _ b: Tensor, role: ProductRole) -> Tensor {
    guard role == .forward else { return GEMM.multiply(a, b) }
    precondition(
      a.rank == 2 && b.rank == 2 && a.shape[1] == b.shape[0], "shapes \(a.shape) \(b.shape)")
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    let la = Float((1 << (activationBits - 1)) - 1)
    let lw = Float((1 << (weightBits - 1)) - 1)
    let rowMax = a.rowAbsMax()
    let colMax = b.columnAbsMax()
    var xi = [Int32](repeating: 0, count: m * k)
    var wi = [Int32](repeating: 0, count: k * n)
    for r in 0..<m where rowMax[r] > 0 {
      for p in 0..<k { xi[r * k + p] = Self.integer(a.scalars[r * k + p] / rowMax[r] * la, la) }
    }
    for p in 0..<k {
      for j in 0..<n where colMax[j] > 0 {
        wi[p * n + j] = Self.integer(b.scalars[p * n + j] / colMax[j] * lw, lw)
      }
    }
    var y = isLossless ? exactProduct(xi, wi, m, k, n) : convertedProduct(xi, wi, m, k, n)
    for r in 0..<m {
      for j in 0..<n { y[r * n + j] *= rowMax[r] / la * colMax[j] / lw }
    }
    return Tensor(shape: [m, n], scalars: y)
  }

  @inline(__always) static func integer(_ v: Float, _ limit: Float) -> Int32 {
    Int32(min(max(v.rounded(.toNearestOrEven), -limit), limit))
  }

  func exactProduct(_ xi: [Int32], _ wi: [Int32], _ m: Int, _ k: Int, _ n: Int) -> [Float] {
    let x = Tensor(shape: [m, k], scalars: xi.map(Float.init))
    let w = Tensor(shape: [k, n], scalars: wi.map(Float.init))
    return GEMM.multiply(x, w).scalars
  }

  /// Digit `d` of `v` in base 2^width with `count` digits; the top digit keeps the sign.
  @inline(__always) static func digit(_ v: Int32, _ d: Int, width: Int, count: Int) -> Float {
    let shifted = v >> Int32(width * d)
    return Float(d == count - 1 ? shifted : shifted & Int32((1 << width) - 1))
  }

  func convertedProduct(_ xi: [Int32], _ wi: [Int32], _ m: Int, _ k: Int, _ n: Int) -> [Float] {
    let steps = (activationBits + dacBits - 1) / dacBits
    let slices = (weightBits + cellBits - 1) / cellBits
    let maxStep = Float((1 << adcBits) - 1)
    var y = [Float](repeating: 0, count: m * n)
    var p0 = 0
    while p0 < k {
      let rows = min(rowsActive, k - p0)
      let inputs = (0..<steps).map { t in
        var s = [Float](repeating: 0, count: m * rows)
        for r in 0..<m {
          for p in 0..<rows {
            s[r * rows + p] = Self.digit(xi[r * k + p0 + p], t, width: dacBits, count: steps)
          }
        }
        return Tensor(shape: [m, rows], scalars: s)
      }
      for sl in 0..<slices {
        var s = [Float](repeating: 0, count: rows * n)
        for p in 0..<rows {
          for j in 0..<n {
            s[p * n + j] = Self.digit(wi[(p0 + p) * n + j], sl, width: cellBits, count: slices)
          }
        }
        let weights = Tensor(shape: [rows, n], scalars: s)
        for (t, x) in inputs.enumerated() {
          let partial = GEMM.multiply(x, weights).scalars
          let shift = Float(1 << (dacBits * t + cellBits * sl))
          for r in 0..<m {
            var lo = Float.infinity
            var hi = -Float.infinity
            for j in 0..<n { (lo, hi) = (min(lo, partial[r * n + j]), max(hi, partial[r * n + j])) }
            let step = max(1, (hi - lo) / maxStep)
            for j in 0..<n {
              let converted = lo + ((partial[r * n + j] - lo) / step).rounded() * step
              y[r * n + j] += shift * converted
            }
          }
        }
      }
      p0 += rows
    }
    return y
  }
}
