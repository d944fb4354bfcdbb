import HybrixCore
import HybrixNumerics

/// One forward pass of an analog tile: quantize in → analog product → noise, quantize out.
///
/// For each input row x: α = max|x| under ABS_MAX (else 1); x̃ = DAC(x / (α·2ᵏ)); y = x̃·W
/// (``GEMM``, or the `matmul` closure); ỹ = ADC(y + σ_out·ξ); output ỹ·α·2ᵏ. Under ITERATIVE
/// bound management k starts at 0 and grows by one while any |y + σ_out·ξ| of that row reaches the
/// ADC bound (only those rows are recomputed, with fresh noise), up to the limit. All-zero rows
/// give exactly 0. Weights are in normalized units (LionHeart maps each column's max |w| to 1, see
/// ``forwardColumnScaled(_:weights:rng:)``) [aihwkit analog forward, `IBM/aihwkit`
/// src/aihwkit/simulator/parameters/io.py; RPUCuda `forward_backward_pass`].
///
/// Rows go through the tile in blocks of about 2¹⁷ values, so the quantized inputs, products and
/// noise live in small reused buffers; ξ comes from ``HybrixCore/SplitMix64/fillGaussian(_:)``
/// (ziggurat), one draw per output and pass, in row order within a block.
public struct AnalogMVM: Sendable, Hashable {
  public var io: AnalogIO

  public init(io: AnalogIO = .lionHeart) { self.io = io }

  /// Statistics of the last call, for tests and reports.
  public struct Stats: Sendable, Hashable {
    /// Number of input rows recomputed at least once because the ADC saturated.
    public var rowsRescaled = 0
    /// Largest number of halvings applied to any row.
    public var maxHalvings = 0
  }

  /// The product of one block: `rows` quantized input rows `[rows, k]` → `[rows, n]` into `y`.
  typealias BlockProduct = (_ xin: UnsafePointer<Float>, _ rows: Int, _ y: UnsafeMutablePointer<Float>) -> Void

  /// Values per block buffer (512 KiB of Float).
  static let blockElements = 1 << 17

  /// Outputs [b, n] for inputs `x` [b, k] and weights [k, n], the product through ``GEMM``.
  ///
  /// - Parameter outputScales: `n` digital factors applied to the outputs after the ADC
  ///   (column scales times a drift-compensation factor), or `nil`.
  public func forward(
    _ x: Tensor, weights: Tensor, rng: inout SplitMix64, stats: inout Stats, outputScales: [Float]? = nil
  ) -> Tensor {
    precondition(x.rank == 2 && weights.rank == 2 && x.shape[1] == weights.shape[0],
      "inputs \(x.shape) and weights \(weights.shape) do not chain")
    let (k, n) = (weights.shape[0], weights.shape[1])
    return weights.scalars.withUnsafeBufferPointer { wb in
      run(x, n: n, outputScales: outputScales, rng: &rng, stats: &stats) { xin, rows, y in
        guard let w = wb.baseAddress else {  // k·n = 0
          for i in 0..<(rows * n) { y[i] = 0 }
          return
        }
        GEMM.sgemm(m: rows, n: n, k: k, a: xin, lda: k, b: w, ldb: n, c: y, ldc: n)
      }
    }
  }

  /// Outputs [b, n] for inputs `x` [b, k] and weights [k, n], the product by `matmul`.
  public func forward(
    _ x: Tensor, weights: Tensor, matmul: (Tensor, Tensor) -> Tensor, rng: inout SplitMix64
  ) -> Tensor {
    var stats = Stats()
    return forward(x, weights: weights, matmul: matmul, rng: &rng, stats: &stats)
  }

  public func forward(
    _ x: Tensor, weights: Tensor, matmul: (Tensor, Tensor) -> Tensor, rng: inout SplitMix64,
    stats: inout Stats
  ) -> Tensor {
    precondition(x.rank == 2 && weights.rank == 2 && x.shape[1] == weights.shape[0],
      "inputs \(x.shape) and weights \(weights.shape) do not chain")
    let (k, n) = (weights.shape[0], weights.shape[1])
    return run(x, n: n, outputScales: nil, rng: &rng, stats: &stats) { xin, rows, y in
      let block = Tensor(shape: [rows, k], scalars: Array(UnsafeBufferPointer(start: xin, count: rows * k)))
      let product = matmul(block, weights)
      precondition(product.shape == [rows, n], "matmul returned \(product.shape), expected [\(rows), \(n)]")
      product.scalars.withUnsafeBufferPointer { p in
        for i in 0..<(rows * n) { y[i] = p[i] }
      }
    }
  }

  /// Column-wise weight scaling (aihwkit `weight_scaling_omega = 1`, column-wise): each column of
  /// `weights` is divided by its max |w| before the tile and the outputs multiplied back digitally.
  public func forwardColumnScaled(_ x: Tensor, weights: Tensor, rng: inout SplitMix64) -> Tensor {
    let (wn, colMax) = Self.columnNormalized(weights)
    var stats = Stats()
    return forward(x, weights: wn, rng: &rng, stats: &stats, outputScales: colMax)
  }

  /// ``forwardColumnScaled(_:weights:rng:)`` with the product by `matmul`.
  public func forwardColumnScaled(
    _ x: Tensor, weights: Tensor, matmul: (Tensor, Tensor) -> Tensor, rng: inout SplitMix64
  ) -> Tensor {
    let (wn, colMax) = Self.columnNormalized(weights)
    var y = forward(x, weights: wn, matmul: matmul, rng: &rng)
    let n = colMax.count
    for r in 0..<y.shape[0] { for j in 0..<n { y.scalars[r * n + j] *= colMax[j] } }
    return y
  }

  /// `weights` with each column divided by its max |w| (all-zero columns kept), and those maxima.
  static func columnNormalized(_ weights: Tensor) -> (Tensor, [Float]) {
    let (k, n) = (weights.shape[0], weights.shape[1])
    var colMax = [Float](repeating: 0, count: n)
    for i in 0..<k { for j in 0..<n { colMax[j] = max(colMax[j], abs(weights.scalars[i * n + j])) } }
    var wn = weights
    for i in 0..<k { for j in 0..<n where colMax[j] > 0 { wn.scalars[i * n + j] /= colMax[j] } }
    return (wn, colMax)
  }
}

extension AnalogMVM {
  /// The IO model around `product`, block by block; see the type's documentation.
  func run(
    _ x: Tensor, n: Int, outputScales: [Float]?, rng: inout SplitMix64, stats: inout Stats,
    product: BlockProduct
  ) -> Tensor {
    let (b, k) = (x.shape[0], x.shape[1])
    precondition(outputScales.map { $0.count == n } ?? true, "need \(n) output scales")
    let blockRows = max(1, min(b, max(64, Self.blockElements / max(k, n, 1))))
    var limit = 0
    if case .iterative(let m) = io.boundManagement { limit = max(0, m) }
    let out = [Float](unsafeUninitializedCapacity: b * n) { outBuffer, initialized in
      defer { initialized = b * n }
      guard let o = outBuffer.baseAddress, b > 0 else { return }
      x.scalars.withUnsafeBufferPointer { xb in
        // k = 0 leaves no storage; any valid address does, as nothing is read.
        let xs = xb.baseAddress ?? UnsafePointer(o)
        var block = Block(rows: blockRows, k: k, n: n, b: b, noise: io.outputNoise > 0)
        defer { block.deallocate() }
        let scales = outputScales ?? []
        scales.withUnsafeBufferPointer { sb in
          // (An empty array may still have a base address.)
          let scalesPointer = outputScales == nil ? nil : sb.baseAddress
          var pass = Pass(io: io, x: xs, k: k, n: n, out: o, scales: scalesPointer, halvings: 0)
          let absMax = io.noiseManagement == .absMax
          // First pass: every row in order; α found while the row is in cache.
          for r in 0..<b {
            let row = xs + r * k
            let a = absMax ? Self.absMax(row, count: k) : 1
            block.alpha[r] = a
            if a == 0 {
              for j in 0..<n { o[r * n + j] = 0 }
              continue
            }
            pass.load(row: r, into: &block)
            if block.count == blockRows { pass.flush(&block, limit: limit, rng: &rng, product: product) }
          }
          pass.flush(&block, limit: limit, rng: &rng, product: product)
          // Later passes: only the rows that saturated, with the input scale halved again.
          while !block.saturated.isEmpty {
            if pass.halvings == 0 { stats.rowsRescaled += block.saturated.count }
            pass.halvings += 1
            stats.maxHalvings = pass.halvings
            let pending = block.saturated
            block.saturated.removeAll(keepingCapacity: true)
            for r in pending {
              pass.load(row: r, into: &block)
              if block.count == blockRows { pass.flush(&block, limit: limit, rng: &rng, product: product) }
            }
            pass.flush(&block, limit: limit, rng: &rng, product: product)
          }
        }
      }
    }
    return Tensor(shape: [b, n], scalars: out)
  }

  /// `o[j] = ADC(y[j])·s` for one row; returns how many |y[j]| reached the ADC bound (an
  /// integer count, which vectorizes where a Float max would not).
  @inline(__always)
  static func convert(
    _ y: UnsafePointer<Float>, into o: UnsafeMutablePointer<Float>, n: Int, adc: UniformQuantizer,
    step: Double, times s: Float
  ) -> Int {
    var hits = 0
    let bound = adc.bound
    for j in 0..<n {
      hits &+= abs(y[j]) >= bound ? 1 : 0
      o[j] = adc.quantize(y[j], step: step) * s
    }
    return hits
  }

  /// max |x| over `count` values, as the maximum of the bit patterns with the sign cleared, read
  /// as non-negative Int32 (the same order for non-NaN Floats, and a reduction that vectorizes).
  static func absMax(_ x: UnsafePointer<Float>, count: Int) -> Float {
    var m: Int32 = 0
    for j in 0..<count { m = max(m, Int32(bitPattern: x[j].bitPattern & 0x7FFF_FFFF)) }
    return Float(bitPattern: UInt32(bitPattern: m))
  }

  /// Scratch buffers of one block of rows, allocated once per call.
  struct Block {
    var xin, y, noise, alpha: UnsafeMutablePointer<Float>
    var rows: UnsafeMutablePointer<Int>
    var count = 0
    var saturated: [Int] = []

    init(rows capacity: Int, k: Int, n: Int, b: Int, noise hasNoise: Bool) {
      xin = .allocate(capacity: max(1, capacity * k))
      y = .allocate(capacity: max(1, capacity * n))
      noise = .allocate(capacity: hasNoise ? max(1, capacity * n) : 1)
      alpha = .allocate(capacity: b)
      rows = .allocate(capacity: capacity)
    }

    func deallocate() {
      xin.deallocate(); y.deallocate(); noise.deallocate(); alpha.deallocate(); rows.deallocate()
    }
  }

  /// One pass at a fixed number of halvings: DAC in, product, noise + ADC + saturation out.
  struct Pass {
    let io: AnalogIO
    let x: UnsafePointer<Float>
    let k, n: Int
    let out: UnsafeMutablePointer<Float>
    let scales: UnsafePointer<Float>?
    var halvings: Int

    /// Appends row `r` of `x`, divided by α·2ʰ and through the DAC, to the block.
    func load(row r: Int, into block: inout Block) {
      let denom = block.alpha[r] * Float(1 << halvings)
      let (dac, step) = (io.dac, io.dac.stepInDouble)
      let src = x + r * k, dst = block.xin + block.count * k
      if step > 0 {
        for j in 0..<k { dst[j] = dac.quantize(src[j] / denom, step: step) }
      } else {
        for j in 0..<k { dst[j] = dac.quantize(src[j] / denom, step: 0) }
      }
      block.rows[block.count] = r
      block.count += 1
    }

    /// Runs the block's rows through the tile and writes their outputs; rows that reached the
    /// ADC bound (while halvings remain) go to `block.saturated`.
    func flush(_ block: inout Block, limit: Int, rng: inout SplitMix64, product: BlockProduct) {
      let count = block.count
      guard count > 0 else { return }
      block.count = 0
      product(block.xin, count, block.y)
      let sigma = io.outputNoise
      if sigma > 0 {
        rng.fillGaussian(UnsafeMutableBufferPointer(start: block.noise, count: count * n))
        for e in 0..<(count * n) { block.y[e] += sigma * block.noise[e] }
      }
      let (adc, step) = (io.adc, io.adc.stepInDouble)
      let scale = Float(1 << halvings)
      for i in 0..<count {
        let r = block.rows[i]
        let s = block.alpha[r] * scale
        let y = block.y + i * n, o = out + r * n
        // A constant `step` of 0 lets each variant of the row loop vectorize.
        let hits = step > 0 ? AnalogMVM.convert(y, into: o, n: n, adc: adc, step: step, times: s)
          : AnalogMVM.convert(y, into: o, n: n, adc: adc, step: 0, times: s)
        if let scales { for j in 0..<n { o[j] *= scales[j] } }
        if hits > 0 && halvings < limit { block.saturated.append(r) }
      }
    }
  }
}
