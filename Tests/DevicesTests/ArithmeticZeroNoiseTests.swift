import HybrixCore
import HybrixNumerics
import Testing

@testable import Devices

/// Each registry entry with every noise source off must give the exact product up to the
/// rounding of its converters: |y − a·b| ≤ Σₚ(|aₚ|·e_b + |bₚ|·e_a + e_a·e_b) + e_out per element,
/// where e_a, e_b, e_out are the half steps of the input, weight and output quantizers.
@Suite struct ArithmeticZeroNoiseTests {
  /// Half steps: e_a [m, k] and e_b [k, n] for operands `a`, `b`, and e_out [m, n] as a function
  /// of the largest |ŷ| the output converter can see (|a·b| plus the operand bound) per element.
  typealias Steps = (a: [Float], b: [Float], out: (Tensor) -> [Float])

  /// A zero-noise version of each entry and its quantization half steps.
  static func zeroNoise(_ name: String) throws -> (any ProductArithmetic, (Tensor, Tensor, Tensor) -> Steps) {
    func none(_ a: Tensor, _ b: Tensor, _ y: Tensor) -> Steps {
      ([Float](repeating: 0, count: a.count), [Float](repeating: 0, count: b.count), { [Float](repeating: 0, count: $0.count) })
    }
    func rowwise(_ t: Tensor, _ e: [Float]) -> [Float] { (0..<t.count).map { e[$0 / t.shape[1]] } }
    func colwise(_ t: Tensor, _ e: [Float]) -> [Float] { (0..<t.count).map { e[$0 % t.shape[1]] } }
    switch name {
    case "fp32": return (ExactArithmetic(), none)
    case "pcm", "pcm-nocomp", "pcm-hwa":
      var io = AnalogIO.lionHeart
      io.outputNoise = 0
      let noise = PCMNoiseModel(programmingNoiseScale: 0, readNoiseScale: 0, driftScale: 0)
      let arith = try AnalogTileArithmetic(noise: noise, io: io,
        compensation: name == "pcm-nocomp" ? nil : GlobalDriftCompensation(), seed: 1)
      return (arith, { a, b, y in
        // No saturation for these operands (checked below): DAC error α·step/2 per input,
        // ADC error α·colMax·step/2 per output.
        let alpha = a.rowAbsMax(), col = b.columnAbsMax()
        let ea = rowwise(a, alpha.map { $0 * io.dac.step / 2 })
        let eo = (0..<y.count).map { alpha[$0 / y.shape[1]] * col[$0 % y.shape[1]] * io.adc.step / 2 }
        return (ea, [Float](repeating: 0, count: b.count), { _ in eo })
      })
    case "rns", "rrns", "rns-mirage":
      let arith = try RNSArithmetic(name == "rns-mirage" ? RNSArithmetic.mirage : RNSArithmetic.wide, seed: 1)
      return (arith, { a, b, y in
        let f = arith.format
        let qa = BFPMatrix(a, format: f, alongRows: false), qb = BFPMatrix(b, format: f, alongRows: true)
        let ea = (0..<a.count).map { Float(Double.pow2(qa.exponent(reduceIndex: $0 % a.shape[1], other: $0 / a.shape[1])) / 2) }
        let eb = (0..<b.count).map { Float(Double.pow2(qb.exponent(reduceIndex: $0 / b.shape[1], other: $0 % b.shape[1])) / 2) }
        return (ea, eb, { [Float](repeating: 0, count: $0.count) })
      })
    case "fixed6", "fixed8":
      let bits = name == "fixed6" ? 6 : 8
      let levels = Float((1 << (bits - 1)) - 1)
      return (try FixedPointArithmetic(bits: bits, seed: 1), { a, b, y in
        let ea = rowwise(a, a.rowAbsMax().map { $0 / levels / 2 })
        let eb = colwise(b, b.columnAbsMax().map { $0 / levels / 2 })
        // ADC range: max |ŷ| of the row.
        return (ea, eb, { yMax in rowwise(yMax, yMax.rowAbsMax().map { $0 / levels / 2 }) })
      })
    case "analog6":
      let levels = Float(31)
      return (try FixedPointArithmetic(bits: 6, adcRange: .fixed(bound: 12), seed: 1), { a, b, y in
        let (rowMax, colMax) = (a.rowAbsMax(), b.columnAbsMax())
        let ea = rowwise(a, rowMax.map { $0 / levels / 2 })
        let eb = colwise(b, colMax.map { $0 / levels / 2 })
        // Fixed ADC: step 12/L in normalized units, i.e. 12/L · rowMax · colMax (no clipping at k = 8).
        let n = b.shape[1]
        return (ea, eb, { yMax in (0..<yMax.count).map { 12 / levels / 2 * rowMax[$0 / n] * colMax[$0 % n] } })
      })
    case "photonic", "photonic4":
      let bits = name == "photonic" ? 8 : 4
      let model = try PhotonicNoiseModel(inputBits: bits, weightBits: bits, outputBits: bits, phaseNoise: 0)
      let levels = Float((1 << (bits - 1)) - 1)
      return (PhotonicArithmetic(model: model, seed: 1), { a, b, y in
        let (ea, eb) = (a.absMax / levels / 2, b.absMax / levels / 2)
        return ([Float](repeating: ea, count: a.count), [Float](repeating: eb, count: b.count),
          { yMax in [Float](repeating: yMax.absMax / levels / 2, count: yMax.count) })
      })
    case "reram", "reram-saf":
      let model = try ReRAMNoiseModel(variation: 0)
      return (try ReRAMArithmetic(model: model, seed: 1), { a, b, _ in
        let ea = rowwise(a, a.rowAbsMax().map { $0 / 127 / 2 })
        let eb = colwise(b, b.columnAbsMax().map { $0 / Float(model.weightMaxLevel) / 2 })
        return (ea, eb, { [Float](repeating: 0, count: $0.count) })
      })
    default:
      throw ConfigError(message: "no zero-noise configuration for \(name)")
    }
  }

  @Test(arguments: ArithmeticRegistry.names) func zeroNoiseWithinQuantization(name: String) throws {
    var (arith, steps) = try Self.zeroNoise(name)
    // k = 8 and weights ≤ 0.1·4: normalized PCM outputs stay below the ADC bound 12 (no halving).
    let (a, b) = ArithmeticConformanceTests.operands(seed: 5, m: 10, k: 8, n: 6)
    let exact = naiveMatmul(a, b)
    let realized = arith.realize(weights: b)
    let y = arith.multiply(a, realized, role: .forward)
    let e = steps(a, b, exact)
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    var inner = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        var mag: Float = 0
        for p in 0..<k {
          let (av, bv) = (abs(a.scalars[i * k + p]), abs(b.scalars[p * n + j]))
          inner[i * n + j] += av * e.b[p * n + j] + bv * e.a[i * k + p] + e.a[i * k + p] * e.b[p * n + j]
          mag += av * bv
        }
        inner[i * n + j] += 1e-5 * mag
      }
    }
    let yMax = Tensor(shape: [m, n], scalars: zip(exact.scalars, inner).map { abs($0) + $1 })
    let out = e.out(yMax)
    for idx in 0..<(m * n) {
      let bound = inner[idx] + out[idx]
      let err = abs(y.scalars[idx] - exact.scalars[idx])
      #expect(err <= bound, "\(name) [\(idx / n), \(idx % n)]: error \(err) > bound \(bound)")
    }
  }
}
