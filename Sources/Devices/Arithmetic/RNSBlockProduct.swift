import Foundation
import HybrixCore
import HybrixNumerics

/// The RNS + BFP product of ``RNSMatmul`` computed fast, with the same numbers.
///
/// Every block dot product S of BFP mantissas satisfies |S| ≤ ⌊(M − 1)/2⌋ (the no-overflow check),
/// so the CRT of its residues S mod mᵢ returns S exactly; and S mod mᵢ equals the residue GEMM
/// Σ (xₚ mod mᵢ)(wₚ mod mᵢ) mod mᵢ because reduction mod mᵢ is a ring homomorphism. Without
/// residue errors the RNS product therefore equals Σ_blocks S·2^(e_x + e_w) = the product of the
/// BFP-dequantized operands, which one Float32 GEMM computes (blocks accumulate in Float32 instead
/// of ``RNSMatmul``'s Double: a relative difference of order k·2⁻²⁴).
///
/// Residue errors are sparse, so they are drawn sparsely with the same distribution as
/// ``PhaseNoiseResidueErrors/corrupt(_:modulus:rng:)``: for modulus mᵢ each residue is wrong with
/// P_err,i = erfc(π/(mᵢσ_φ√2)); the gap to the next wrong residue is geometric, and a wrong residue
/// is shifted by s ≠ 0 with P(s) ∝ P((s − ½)·2π/mᵢ < φ < (s + ½)·2π/mᵢ). Only the (row, column,
/// block) triples hit by an error are decoded: S from the integer mantissas, corrupted residues,
/// CRT (or RRNS correction), and the difference times 2^(e_x + e_w) is added to the output.
struct RNSBlockProduct: Sendable {
  var moduli: ModuliSet
  var format: BFPFormat
  var residueErrors: PhaseNoiseResidueErrors?
  var redundancy: RedundantModuliSet?
  /// Re-executions of a block whose residues decode as `.detected` before it is dropped (0).
  var maxRetries: Int

  /// One operand in BFP: dequantized values mantissa·2^e and block exponents.
  struct Quantized {
    var values: [Float]
    /// [rows, blocks] for inputs (blocked along columns), [blocks, cols] for weights.
    var exponents: [Int]
    var blocks: Int

    /// The integer mantissa of element `idx` whose block exponent is `e`.
    func mantissa(_ idx: Int, exponent e: Int) -> Int64 { Int64(Double(values[idx]) * Double.pow2(-e)) }
  }

  /// BFP quantization bit-identical to ``BFPMatrix`` (same exponent rule and rounding). Scaling by
  /// 2^∓e is exact in Float32 while 2^e stays within ±2^120, so the per-element work runs in
  /// Float32; blocks beyond that range take BFPMatrix's Double path.
  ///
  /// Exact rewrites keep it fast (the quantizer was 37 % of an rns-mirage training's time): a
  /// block's largest magnitude from the magnitude bits (``FloatBits/magnitude(_:)``), rounding
  /// by ``FloatBits/roundedEven(_:)`` (exact here: |v| ≤ the largest mantissa, below 2²² for
  /// mantissas of ≤ 23 bits) where `rounded(.toNearestOrEven)` was a libm call per element on
  /// baseline x86-64, contiguous blocks in plain pointer loops, the exponent from the bits.
  func quantize(_ t: Tensor, alongRows: Bool) -> Quantized {
    let (rows, cols) = (t.shape[0], t.shape[1])
    let g = format.blockSize
    let maxM = Float(format.maxMantissa)
    let magicRounding = format.mantissaBits <= 23
    let reduce = alongRows ? rows : cols
    let nb = (reduce + g - 1) / g
    let other = alongRows ? cols : rows
    // Every element belongs to exactly one block, and every block writes all of its elements.
    var values = [Float](unsafeUninitializedCapacity: t.count) { _, n in n = t.count }
    var exponents = [Int](repeating: 0, count: nb * other)
    t.scalars.withUnsafeBufferPointer { src in
      values.withUnsafeMutableBufferPointer { val in
        exponents.withUnsafeMutableBufferPointer { exps in
          /// Quantizes the block of `count` elements at `base`, `stride` apart, into exponent slot `slot`.
          @inline(__always) func block(base: Int, stride: Int, count: Int, maxAbs: Float, slot: Int) {
            let e = exponent(maxAbs: maxAbs)
            exps[slot] = e
            if abs(e) <= 120 {
              let (s, inv) = (Float(sign: .plus, exponent: e, significand: 1), Float(sign: .plus, exponent: -e, significand: 1))
              if magicRounding, let x = src.baseAddress, let out = val.baseAddress {
                Self.quantizeRun(x + base, out + base, count: count, stride: stride, exponent: e, maxMantissa: maxM)
              } else {
                for p in 0..<count {
                  let idx = base + p * stride
                  val[idx] = min(max((src[idx] * inv).rounded(.toNearestOrEven), -maxM), maxM) * s
                }
              }
            } else {
              let s = Double.pow2(e)
              for p in 0..<count {
                let idx = base + p * stride
                let m = min(max((Double(src[idx]) / s).rounded(.toNearestOrEven), -Double(maxM)), Double(maxM))
                val[idx] = Float(m * s)
              }
            }
          }
          if alongRows {
            // Weights [k, n]: blocks of rows, one exponent per (block, column).
            var blockMax = [Int32](repeating: 0, count: cols)
            blockMax.withUnsafeMutableBufferPointer { bm in
              for blk in 0..<nb {
                let lo = blk * g, hi = min(reduce, lo + g)
                for j in 0..<cols { bm[j] = 0 }
                for i in lo..<hi {
                  for j in 0..<cols { bm[j] = max(bm[j], FloatBits.magnitude(src[i * cols + j])) }
                }
                for j in 0..<cols {
                  block(base: lo * cols + j, stride: cols, count: hi - lo, maxAbs: Float(bitPattern: UInt32(bm[j])), slot: blk * cols + j)
                }
              }
            }
          } else {
            // Inputs [m, k]: row by row (contiguous), blocks of columns, each in plain loops over
            // raw pointers that the compiler vectorizes.
            guard let base = src.baseAddress, let out = val.baseAddress else { return }
            for r in 0..<rows {
              for blk in 0..<nb {
                let lo = blk * g, hi = min(reduce, lo + g)
                let at = r * cols + lo
                let m = FloatBits.largestMagnitude(base + at, count: hi - lo)
                if magicRounding {
                  let e = exponent(maxAbs: m)
                  if abs(e) <= 120 {
                    exps[r * nb + blk] = e
                    Self.quantizeRun(base + at, out + at, count: hi - lo, stride: 1, exponent: e, maxMantissa: maxM)
                    continue
                  }
                }
                block(base: at, stride: 1, count: hi - lo, maxAbs: m, slot: r * nb + blk)
              }
            }
          }
        }
      }
    }
    return Quantized(values: values, exponents: exponents, blocks: nb)
  }

  /// `count` elements `stride` apart quantized at block exponent `e` (|e| ≤ 120, mantissas of
  /// ≤ 23 bits): scale by 2^−e, round to nearest-even (``FloatBits/roundedEven(_:)``), clamp to
  /// ±`maxMantissa` (NaN passes), scale by 2^e. Inlined with `stride: 1`, the loop vectorizes.
  @inline(__always) static func quantizeRun(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int, stride: Int, exponent e: Int, maxMantissa maxM: Float
  ) {
    let (s, inv) = (Float(sign: .plus, exponent: e, significand: 1), Float(sign: .plus, exponent: -e, significand: 1))
    for p in 0..<count {
      out[p * stride] = min(max(FloatBits.roundedEven(x[p * stride] * inv), -maxM), maxM) * s
    }
  }

  /// ``BFPFormat``'s block exponent (the smallest e with maxAbs ≤ (2^(b_m−1) − 1)·2^e), computed
  /// from the binary exponent of maxAbs/maxMantissa with exact power-of-two checks; falls back to
  /// ``BFPFormat/exponent(maxAbs:)`` outside the normal Double range.
  ///
  /// For a normal maxAbs = (1 + f)·2^E and the largest mantissa M = (1 + g)·2^c (exact in Float32
  /// for mantissas of ≤ 24 bits), e = E − c when f ≤ g and E − c + 1 otherwise: integer work on
  /// the bits alone (`exponentMatchesDefinition` checks it against ``BFPFormat``).
  @inline(__always) func exponent(maxAbs: Float) -> Int {
    guard maxAbs > 0 else { return 0 }
    let bits = maxAbs.bitPattern, mBits = Float(format.maxMantissa).bitPattern
    let biased = Int(bits >> 23)
    if biased > 0, biased < 0xff {
      return biased - Int(mBits >> 23) + ((bits & 0x7f_ffff) <= (mBits & 0x7f_ffff) ? 0 : 1)
    }
    let a = Double(maxAbs), maxM = Double(format.maxMantissa)
    var e = Int((a / maxM).exponent)
    guard abs(e) < 1000 else { return format.exponent(maxAbs: maxAbs) }
    @inline(__always) func p2(_ e: Int) -> Double { Double(bitPattern: UInt64(e + 1023) << 52) }
    while a > maxM * p2(e) { e += 1 }
    while a <= maxM * p2(e - 1) { e -= 1 }
    return e
  }

  /// x [m, k] · w [k, n] → [m, n]; `stats` counts residue errors and their outcomes.
  func product(_ x: Tensor, _ w: Tensor, rng: inout SplitMix64, stats: inout RNSErrorStats) -> Tensor {
    precondition(x.rank == 2 && w.rank == 2 && x.shape[1] == w.shape[0], "shapes \(x.shape) \(w.shape)")
    let (m, k, n) = (x.shape[0], x.shape[1], w.shape[1])
    let qx = quantize(x, alongRows: false)
    let qw = quantize(w, alongRows: true)
    var y = GEMM.multiply(Tensor(shape: [m, k], scalars: qx.values), Tensor(shape: [k, n], scalars: qw.values))
    guard let residueErrors, residueErrors.sigmaPhi > 0, m > 0, n > 0, k > 0 else { return y }
    let all = redundancy?.all ?? moduli
    let nb = qx.blocks
    // Sparse error positions (row, column, block) → residue shift per modulus.
    var hits: [Int: [Int64]] = [:]
    let positions = m * n * nb
    for (i, q) in all.moduli.enumerated() {
      let sampler = ShiftSampler(modulus: q, sigmaPhi: residueErrors.sigmaPhi)
      var pos = sampler.nextGap(&rng)
      while pos < positions {
        hits[pos, default: [Int64](repeating: 0, count: all.moduli.count)][i] = sampler.shift(&rng)
        pos += 1 + sampler.nextGap(&rng)
      }
    }
    let samplers = all.moduli.map { ShiftSampler(modulus: $0, sigmaPhi: residueErrors.sigmaPhi) }
    for pos in hits.keys.sorted() {
      guard var shifts = hits[pos] else { continue }
      let blk = pos % nb, j = (pos / nb) % n, r = pos / (nb * n)
      let lo = blk * format.blockSize, hi = min(k, lo + format.blockSize)
      let (ex, ew) = (qx.exponents[r * nb + blk], qw.exponents[blk * n + j])
      var s: Int64 = 0
      for p in lo..<hi { s += qx.mantissa(r * k + p, exponent: ex) * qw.mantissa(p * n + j, exponent: ew) }
      var decoded: Int64 = 0
      var attempt = 0
      while true {
        stats.residueErrors += shifts.filter { $0 != 0 }.count
        let residues = zip(all.residues(s), zip(shifts, all.moduli)).map { mod($0 + $1.0, $1.1) }
        if let redundancy {
          switch redundancy.decode(residues, mode: .correct) {
          case .clean(let v): decoded = v
          case .corrected(let v, _): decoded = v; stats.corrected += 1
          case .detected:
            stats.detected += 1
            if attempt < maxRetries {
              attempt += 1
              stats.retries += 1
              shifts = samplers.map { $0.draw(&rng) }
              continue
            }
            decoded = 0
            stats.dropped += 1
          }
        } else {
          decoded = moduli.reconstruct(Array(residues.prefix(moduli.moduli.count)))
        }
        break
      }
      if decoded != s {
        y.scalars[r * n + j] += Float(Double(decoded - s) * Double.pow2(ex + ew))
        stats.wrongBlocks += 1
      }
    }
    return y
  }
}

/// Counts of the residue-error path, accumulated over calls.
public struct RNSErrorStats: Sendable, Hashable {
  /// Residues read wrongly.
  public var residueErrors = 0
  /// Block results corrected by the redundant moduli.
  public var corrected = 0
  /// Decodes that found an uncorrectable error.
  public var detected = 0
  /// Re-executions after a detection.
  public var retries = 0
  /// Blocks dropped (their partial sum set to 0) after the last retry still failed.
  public var dropped = 0
  /// Block results that differ from the exact one after decoding.
  public var wrongBlocks = 0
  public init() {}
}

/// Draws residue shifts of one modulus under phase noise σ_φ (see ``RNSBlockProduct``).
struct ShiftSampler {
  let pError: Double
  /// Cumulative P(|s| ≤ j | s ≠ 0) for j = 1, 2, …
  let cumulative: [Double]

  init(modulus: Int64, sigmaPhi: Double) {
    let d = 2 * Double.pi / Double(modulus)
    let c = sigmaPhi * 2.0.squareRoot()
    pError = erfc(d / 2 / c)
    var cum: [Double] = []
    var total = 0.0
    var s = 1.0
    while pError > 0 {
      total += erfc((s - 0.5) * d / c) - erfc((s + 0.5) * d / c)
      cum.append(total / pError)
      if total / pError > 1 - 1e-15 || s >= Double(modulus) * 8 { break }
      s += 1
    }
    cumulative = cum
  }

  /// Residues to skip before the next wrong one (geometric with parameter P_err).
  func nextGap(_ rng: inout SplitMix64) -> Int {
    guard pError > 0 else { return Int.max / 2 }
    var u = rng.nextUnitDouble()
    while u <= 0 { u = rng.nextUnitDouble() }
    let g = (log(u) / log1p(-pError)).rounded(.down)
    return g < 1e15 ? Int(g) : Int.max / 2
  }

  /// A nonzero shift.
  func shift(_ rng: inout SplitMix64) -> Int64 {
    let u = rng.nextUnitDouble()
    let sign: Int64 = rng.nextUnitDouble() < 0.5 ? -1 : 1
    let j = cumulative.firstIndex { u < $0 } ?? (cumulative.count - 1)
    return sign * Int64(j + 1)
  }

  /// A shift that is 0 with probability 1 − P_err.
  func draw(_ rng: inout SplitMix64) -> Int64 {
    rng.nextUnitDouble() < pError ? shift(&rng) : 0
  }
}
