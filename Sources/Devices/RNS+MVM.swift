import Foundation
import HybrixCore
import HybrixNumerics

/// Residue errors from Gaussian phase noise in a phase-encoded modular MAC.
///
/// A residue x of modulus m is carried as the phase 2π·x/m; read-out noise φ ~ N(0, σ_φ²) moves
/// the decoded residue by round(φ·m/(2π)) (mod m), so a residue is wrong with probability
/// P_err = P(|φ| > π/m) = erfc(π/(m·σ_φ·√2)) (papers.md §3.4 [INFERENCE]).
///
/// - Parameters:
///   - sigmaPhi: Standard deviation of the read-out phase noise, in radians.
public struct PhaseNoiseResidueErrors: Sendable, Hashable {
  public var sigmaPhi: Double

  public init(sigmaPhi: Double) {
    precondition(sigmaPhi >= 0, "σ_φ must be ≥ 0")
    self.sigmaPhi = sigmaPhi
  }

  /// P_err for modulus `m` (dimensionless).
  public func errorProbability(modulus m: Int64) -> Double {
    sigmaPhi == 0 ? 0 : erfc(Double.pi / (Double(m) * sigmaPhi * 2.0.squareRoot()))
  }

  /// `r` read through the noisy phase of modulus `m`.
  public func corrupt(_ r: Int64, modulus m: Int64, rng: inout SplitMix64) -> Int64 {
    let phi = sigmaPhi * rng.nextGaussian()
    let shift = Int64((phi * Double(m) / (2 * Double.pi)).rounded(.toNearestOrEven))
    return mod(r + shift, m)
  }

  /// Every residue of per-modulus matrices, corrupted independently.
  public func corrupt(_ matrices: [[Int64]], moduli: [Int64], rng: inout SplitMix64) -> [[Int64]] {
    var out = matrices
    for (i, m) in moduli.enumerated() {
      for e in out[i].indices { out[i][e] = corrupt(out[i][e], modulus: m, rng: &rng) }
    }
    return out
  }
}

/// A matrix product of Float tensors in RNS: BFP-quantize both operands, compute each block's
/// integer dot products digit-wise per modulus, reconstruct them by the CRT, scale by the two block
/// exponents and accumulate across blocks in Double (the "digital floating point" of papers.md §3.4).
///
/// Without residue errors the result equals the product of the BFP-dequantized operands (up to
/// the Double summation order), because the no-overflow check guarantees every block's dot product
/// lies in the signed range of M.
///
/// - Parameters:
///   - moduli: The RNS base.
///   - format: BFP block size g and mantissa bits b_m of both operands.
///   - residueErrors: Optional phase-noise error injection on every residue before the CRT.
public struct RNSMatmul: Sendable, Hashable {
  public var moduli: ModuliSet
  public var format: BFPFormat
  public var residueErrors: PhaseNoiseResidueErrors?

  public init(moduli: ModuliSet, format: BFPFormat, residueErrors: PhaseNoiseResidueErrors? = nil)
    throws(ConfigError)
  {
    try moduli.checkNoOverflow(length: format.blockSize, bits: format.mantissaBits)
    self.moduli = moduli
    self.format = format
    self.residueErrors = residueErrors
  }

  /// x [b, k] · w [k, n] → [b, n].
  public func product(_ x: Tensor, _ w: Tensor, rng: inout SplitMix64) -> Tensor {
    precondition(x.rank == 2 && w.rank == 2 && x.shape[1] == w.shape[0], "shapes \(x.shape) \(w.shape)")
    let (b, k, n) = (x.shape[0], x.shape[1], w.shape[1])
    let qx = BFPMatrix(x, format: format, alongRows: false)
    let qw = BFPMatrix(w, format: format, alongRows: true)
    var acc = [Double](repeating: 0, count: b * n)
    for blk in 0..<qx.blockCount {
      let lo = blk * format.blockSize
      let hi = min(k, lo + format.blockSize)
      let g = hi - lo
      var a = [Int64](repeating: 0, count: b * g)
      for r in 0..<b { for p in 0..<g { a[r * g + p] = qx.mantissas[r * k + lo + p] } }
      let wb = Array(qw.mantissas[(lo * n)..<(hi * n)])
      var residues = moduli.residueGEMM(a, wb, m: b, k: g, n: n)
      if let residueErrors {
        residues = residueErrors.corrupt(residues, moduli: moduli.moduli, rng: &rng)
      }
      let ints = moduli.reconstruct(matrices: residues)
      for r in 0..<b {
        for j in 0..<n {
          let e = qx.exponent(reduceIndex: lo, other: r) + qw.exponent(reduceIndex: lo, other: j)
          acc[r * n + j] += Double(ints[r * n + j]) * Double.pow2(e)
        }
      }
    }
    return Tensor(shape: [b, n], scalars: acc.map { Float($0) })
  }
}
