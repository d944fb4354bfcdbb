import Foundation
import HybrixCore
import Numerics

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

  /// One operand in BFP: integer mantissas (as Float), dequantized values and block exponents.
  struct Quantized {
    var mantissas: [Float]
    var values: [Float]
    /// [rows, blocks] for inputs (blocked along columns), [blocks, cols] for weights.
    var exponents: [Int]
    var blocks: Int
  }

  /// BFP quantization bit-identical to ``BFPMatrix`` (same exponent rule and rounding).
  func quantize(_ t: Tensor, alongRows: Bool) -> Quantized {
    let (rows, cols) = (t.shape[0], t.shape[1])
    let g = format.blockSize
    let maxM = Double(format.maxMantissa)
    let reduce = alongRows ? rows : cols
    let nb = (reduce + g - 1) / g
    var q = Quantized(mantissas: [Float](repeating: 0, count: t.count),
      values: [Float](repeating: 0, count: t.count), exponents: [], blocks: nb)
    let other = alongRows ? cols : rows
    q.exponents = [Int](repeating: 0, count: nb * other)
    var blockMax = [Float](repeating: 0, count: other)
    for blk in 0..<nb {
      let lo = blk * g, hi = min(reduce, lo + g)
      if alongRows {
        for j in 0..<cols { blockMax[j] = 0 }
        for i in lo..<hi { for j in 0..<cols { blockMax[j] = max(blockMax[j], abs(t.scalars[i * cols + j])) } }
      } else {
        for r in 0..<rows {
          var m: Float = 0
          for p in lo..<hi { m = max(m, abs(t.scalars[r * cols + p])) }
          blockMax[r] = m
        }
      }
      for o in 0..<other {
        let e = format.exponent(maxAbs: blockMax[o])
        q.exponents[alongRows ? blk * cols + o : o * nb + blk] = e
        let s = Double.pow2(e)
        for p in lo..<hi {
          let idx = alongRows ? p * cols + o : o * cols + p
          let m = min(max((Double(t.scalars[idx]) / s).rounded(.toNearestOrEven), -maxM), maxM)
          q.mantissas[idx] = Float(m)
          q.values[idx] = Float(m * s)
        }
      }
    }
    return q
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
      var s: Int64 = 0
      for p in lo..<hi { s += Int64(qx.mantissas[r * k + p]) * Int64(qw.mantissas[p * n + j]) }
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
        let e = qx.exponents[r * nb + blk] + qw.exponents[blk * n + j]
        y.scalars[r * n + j] += Float(Double(decoded - s) * Double.pow2(e))
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
