import HybrixCore
import Testing

@testable import Devices
@testable import HybrixNumerics

/// The blocked analog forward pass against a row-by-row transcription of the model (the
/// implementation before blocking), and the inline converter against ``UniformQuantizer/quantize(_:)``.
@Suite struct AnalogMVMBlockTests {
  /// The model row by row: α, DAC, product, σ·ξ, ADC, iterative halving of saturated rows.
  /// `noise` supplies ξ (unused when σ = 0).
  static func reference(
    _ x: Tensor, weights: Tensor, io: AnalogIO, noise: () -> Float = { 0 }
  ) -> (Tensor, AnalogMVM.Stats) {
    let (b, k, n) = (x.shape[0], x.shape[1], weights.shape[1])
    var out = [Float](repeating: 0, count: b * n)
    var stats = AnalogMVM.Stats()
    var limit = 0
    if case .iterative(let m) = io.boundManagement { limit = m }
    for r in 0..<b {
      let row = Array(x.scalars[(r * k)..<((r + 1) * k)])
      let alpha = io.noiseManagement == .absMax ? row.reduce(0) { max($0, abs($1)) } : 1
      guard alpha > 0 else { continue }
      var halvings = 0
      while true {
        let scale = Float(1 << halvings)
        let xin = Tensor(shape: [1, k], scalars: row.map { io.dac.quantize($0 / (alpha * scale)) })
        let y = naiveMatmul(xin, weights)
        var hit = false
        for j in 0..<n {
          var v = y.scalars[j]
          if io.outputNoise > 0 { v += io.outputNoise * noise() }
          if abs(v) >= io.adc.bound { hit = true }
          out[r * n + j] = io.adc.quantize(v) * alpha * scale
        }
        guard hit && halvings < limit else { break }
        if halvings == 0 { stats.rowsRescaled += 1 }
        halvings += 1
        stats.maxHalvings = max(stats.maxHalvings, halvings)
      }
    }
    return (Tensor(shape: [b, n], scalars: out), stats)
  }

  /// Inputs with zero rows and rows large enough to saturate the ADC several times.
  static func inputs(rows: Int, k: Int, seed: UInt64) -> Tensor {
    var rng = SplitMix64(seed: seed)
    var x = Tensor.randomNormal([rows, k], rng: &rng)
    for r in stride(from: 0, to: rows, by: 7) {
      for j in 0..<k { x.scalars[r * k + j] = 0 }
    }
    for r in stride(from: 3, to: rows, by: 5) {
      for j in 0..<k { x.scalars[r * k + j] = abs(x.scalars[r * k + j]) + 1 }
    }
    return x
  }

  /// Without output noise nothing is random: blocked and row-by-row agree bit for bit, including
  /// which rows were halved and how often. k = 2048 makes blocks of 64 rows, so 150 rows span
  /// three blocks in the first pass.
  @Test(arguments: [(150, 2048, 5), (40, 33, 3), (9, 1, 2)])
  func noiseFreeMatchesRowByRow(rows: Int, k: Int, n: Int) {
    let x = Self.inputs(rows: rows, k: k, seed: UInt64(k))
    let w = Tensor(repeating: 0.9, shape: [k, n])
    for management in [NoiseManagement.absMax, .none] {
      var io = AnalogIO.lionHeart
      io.outputNoise = 0
      io.noiseManagement = management
      let (expected, expectedStats) = Self.reference(x, weights: w, io: io)
      var rng = SplitMix64(seed: 1)
      var stats = AnalogMVM.Stats()
      let y = AnalogMVM(io: io).forward(x, weights: w, matmul: naiveMatmul, rng: &rng, stats: &stats)
      #expect(y.scalars.map(\.bitPattern) == expected.scalars.map(\.bitPattern))
      #expect(stats == expectedStats)
      if k > 1 { #expect(stats.rowsRescaled > 0) }  // a single input never reaches ±12
    }
  }

  /// The GEMM path with output scales equals the closure path times the scales, up to the
  /// products' summation order (checked without noise and with 20-bit converters).
  @Test func gemmPathWithScales() {
    var rng = SplitMix64(seed: 8)
    let x = Tensor.randomNormal([300, 70], rng: &rng)
    let w = Tensor.randomNormal([70, 9], std: 0.1, rng: &rng)
    let scales = (0..<9).map { Float($0 + 1) / 4 }
    let io = AnalogIO(
      dac: UniformQuantizer(bits: 20, bound: 1), adc: UniformQuantizer(bits: 20, bound: 12),
      outputNoise: 0, noiseManagement: .absMax, boundManagement: .iterative(maxHalvings: 10))
    var stats = AnalogMVM.Stats()
    let y = AnalogMVM(io: io).forward(x, weights: w, rng: &rng, stats: &stats, outputScales: scales)
    let exact = naiveMatmul(x, w)
    for r in 0..<300 {
      for j in 0..<9 {
        let e = exact.scalars[r * 9 + j] * scales[j]
        #expect(abs(y.scalars[r * 9 + j] - e) <= 1e-3 * (1 + abs(e)))
      }
    }
  }

  /// With noise the GEMM path is reproducible per seed, and the output error has the model's SD
  /// √(σ² + step²/12) (as in AnalogMVMTests.outputNoiseStatistics, here over several blocks).
  @Test func noisyGEMMPathStatistics() {
    let x = Tensor(repeating: 1, shape: [20_000, 1])
    let w = Tensor(repeating: 0.5, shape: [1, 1])
    var a = SplitMix64(seed: 4), b = SplitMix64(seed: 4)
    var stats = AnalogMVM.Stats()
    let y = AnalogMVM(io: .lionHeart).forward(x, weights: w, rng: &a, stats: &stats)
    #expect(y == AnalogMVM(io: .lionHeart).forward(x, weights: w, rng: &b, stats: &stats))
    let (mean, std) = meanAndStd(y.scalars)
    let step = Double(AnalogIO.lionHeart.adc.step)
    let expected = (0.06 * 0.06 + step * step / 12).squareRoot()
    #expect(abs(mean - 0.5) < 0.005)
    #expect(abs(std - expected) / expected < 0.05, "std \(std) vs \(expected)")
  }

  /// The inline converter is ``UniformQuantizer/quantize(_:)`` bit for bit: random values,
  /// exact ties between levels, ±0, values beyond the bound, and no quantization.
  @Test(arguments: [
    UniformQuantizer(bits: 8, bound: 1), UniformQuantizer(bits: 8, bound: 12),
    UniformQuantizer(bits: 4, bound: 3), UniformQuantizer(bits: 24, bound: 0.7),
    UniformQuantizer(bound: 2, resolution: 0),
  ])
  func inlineQuantizerIsBitIdentical(q: UniformQuantizer) {
    let step = q.stepInDouble
    var rng = SplitMix64(seed: 3)
    var values: [Float] = [0, -0, q.bound, -q.bound, 2 * q.bound, -3 * q.bound, .leastNonzeroMagnitude]
    for _ in 0..<20_000 { values.append(Float(rng.nextUnitDouble() * 3 - 1.5) * q.bound) }
    if step > 0 {
      for m in -40...40 { values.append(Float((Double(m) + 0.5) * step)) }
    }
    for v in values {
      #expect(q.quantize(v, step: step).bitPattern == q.quantize(v).bitPattern, "\(v)")
    }
  }

  /// Patches built directly equal im2col's columns transposed, bit for bit.
  @Test(arguments: [
    Conv2DOptions(stride: 1, padding: 1), Conv2DOptions(stride: 2, padding: 2, dilation: 2, groups: 2),
    Conv2DOptions(strideH: 1, strideW: 3, padH: 0, padW: 1, dilationH: 2, dilationW: 1, groups: 1),
  ])
  func patchesMatchIm2col(options: Conv2DOptions) {
    var rng = SplitMix64(seed: 5)
    let (n, c, h, w, kh, kw) = (2, 4, 7, 6, 3, 2)
    let x = Tensor.randomNormal([n, c, h, w], rng: &rng)
    let cg = c / options.groups
    let (oh, ow) = options.outputSize(h: h, w: w, kh: kh, kw: kw)
    let (k, cols) = (cg * kh * kw, oh * ow)
    for grp in 0..<options.groups {
      let patches = Conv2d.patches(x, group: grp, kernel: (kh, kw), cg: cg, options: options)
      #expect(patches.shape == [n * cols, k])
      var columns = [Float](repeating: .nan, count: k * cols)
      for img in 0..<n {
        x.scalars.withUnsafeBufferPointer { xp in
          columns.withUnsafeMutableBufferPointer { cp in
            guard let xb = xp.baseAddress, let cb = cp.baseAddress else { return }
            Convolution.im2col(
              xb + (img * c + grp * cg) * h * w, channels: cg, h: h, w: w, kh: kh, kw: kw,
              options: options, into: cb)
          }
        }
        for p in 0..<cols {
          for r in 0..<k {
            #expect(patches.scalars[(img * cols + p) * k + r].bitPattern == columns[r * cols + p].bitPattern)
          }
        }
      }
    }
  }
}
