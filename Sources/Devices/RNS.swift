import HybrixCore

/// A set of pairwise-coprime moduli m₁…mₙ for residue number system (RNS) arithmetic.
///
/// An integer X with |X| ≤ ⌊(M − 1)/2⌋, M = ∏ mᵢ, is held as residues xᵢ = X mod mᵢ; sums and
/// products act digit-wise without carries, and the Chinese remainder theorem (CRT) recovers X:
/// X = (Σ xᵢ·Mᵢ·Tᵢ) mod M with Mᵢ = M/mᵢ, Tᵢ = Mᵢ⁻¹ mod mᵢ, then X − M if X > (M − 1)/2
/// (docs/research papers.md §3.4; Mirage, Demirkiran et al.; textbook RNS).
///
/// - Parameters:
///   - moduli: Pairwise-coprime moduli, each ≥ 2 (dimensionless).
public struct ModuliSet: Sendable, Hashable {
  public let moduli: [Int64]
  /// Dynamic range M = ∏ mᵢ.
  public let range: Int64
  /// Tᵢ = (M/mᵢ)⁻¹ mod mᵢ, for the CRT.
  let inverses: [Int64]

  public init(_ moduli: [Int64]) throws(ConfigError) {
    guard !moduli.isEmpty else {
      throw ConfigError(path: "moduli", message: "the moduli set is empty", expected: "at least one modulus")
    }
    var product: Int64 = 1
    for (i, m) in moduli.enumerated() {
      guard m >= 2 else {
        throw ConfigError(path: "moduli[\(i)]", message: "modulus \(m) is below 2", expected: "≥ 2")
      }
      for j in 0..<i where gcd(moduli[j], m) != 1 {
        throw ConfigError(
          path: "moduli", message: "\(moduli[j]) and \(m) share the factor \(gcd(moduli[j], m))",
          expected: "pairwise-coprime moduli", hint: "replace one of them, e.g. by a prime")
      }
      let (p, overflow) = product.multipliedReportingOverflow(by: m)
      guard !overflow, p < (1 << 62) else {
        throw ConfigError(path: "moduli", message: "the product of the moduli exceeds 2^62",
          expected: "a dynamic range below 2^62")
      }
      product = p
    }
    self.moduli = moduli
    self.range = product
    self.inverses = moduli.map { m in modInverse((product / m) % m, m) }
  }

  /// Largest signed value representable: ⌊(M − 1)/2⌋.
  public var maxMagnitude: Int64 { (range - 1) / 2 }

  /// Longest dot product of signed `bits`-bit operands (|x|, |w| ≤ 2^(bits−1)) that cannot
  /// overflow: the largest h with h·2^(2(bits−1)) ≤ ⌊(M − 1)/2⌋ (papers.md §3.4).
  public func maxSafeLength(bits: Int) -> Int {
    precondition((1...30).contains(bits), "bits \(bits) not in 1...30")
    return Int(maxMagnitude >> (2 * (bits - 1)))
  }

  /// Throws when a dot product of `length` signed `bits`-bit operands may overflow M.
  public func checkNoOverflow(length: Int, bits: Int) throws(ConfigError) {
    let safe = maxSafeLength(bits: bits)
    guard length <= safe else {
      throw ConfigError(
        path: "moduli",
        message: "a dot product of length \(length) with \(bits)-bit operands can reach "
          + "\(length) · 2^\(2 * (bits - 1)), beyond the signed range ±\(maxMagnitude) of M = \(range)",
        expected: "length ≤ \(safe)", hint: "use blocks of at most \(safe) elements or larger moduli")
    }
  }

  /// Residues of `x` (any sign), each in 0..<mᵢ.
  public func residues(_ x: Int64) -> [Int64] { moduli.map { mod(x, $0) } }

  /// The signed integer with residues `r`, by the CRT.
  public func reconstruct(_ r: [Int64]) -> Int64 {
    precondition(r.count == moduli.count, "\(r.count) residues for \(moduli.count) moduli")
    let bigM = Int128(range)
    var acc: Int128 = 0
    for (i, m) in moduli.enumerated() {
      let mi = Int128(range / m)
      acc = (acc + Int128(mod(r[i], m)) * Int128(inverses[i]) % Int128(m) * mi) % bigM
    }
    let x = Int64(acc)
    return x > maxMagnitude ? x - range : x
  }

  /// C mod mᵢ for C = A·B (A [m, k], B [k, n], row-major), computed digit-wise per modulus:
  /// one [m, n] residue matrix per modulus.
  /// - Complexity: O(n_moduli · m·k·n).
  public func residueGEMM(_ a: [Int64], _ b: [Int64], m: Int, k: Int, n: Int) -> [[Int64]] {
    precondition(a.count == m * k && b.count == k * n, "operand sizes do not match [\(m),\(k)]·[\(k),\(n)]")
    return moduli.map { q in
      let ar = a.map { mod($0, q) }
      let br = b.map { mod($0, q) }
      var c = [Int64](repeating: 0, count: m * n)
      for i in 0..<m {
        for j in 0..<n {
          var s: Int64 = 0
          for p in 0..<k { s = (s + ar[i * k + p] * br[p * n + j]) % q }
          c[i * n + j] = s
        }
      }
      return c
    }
  }

  /// Reconstructs every entry of per-modulus residue matrices (as from ``residueGEMM``).
  public func reconstruct(matrices: [[Int64]]) -> [Int64] {
    precondition(matrices.count == moduli.count, "one matrix per modulus")
    let count = matrices.first?.count ?? 0
    return (0..<count).map { e in reconstruct(matrices.map { $0[e] }) }
  }
}

/// x mod m in 0..<m for any sign of x.
@inline(__always) func mod(_ x: Int64, _ m: Int64) -> Int64 {
  let r = x % m
  return r < 0 ? r + m : r
}

func gcd(_ a: Int64, _ b: Int64) -> Int64 {
  var (x, y) = (abs(a), abs(b))
  while y != 0 { (x, y) = (y, x % y) }
  return x
}

/// a⁻¹ mod m for coprime a, m (extended Euclid).
func modInverse(_ a: Int64, _ m: Int64) -> Int64 {
  if m == 1 { return 0 }
  var (oldR, r) = (mod(a, m), m)
  var (oldS, s): (Int64, Int64) = (1, 0)
  while r != 0 {
    let q = oldR / r
    (oldR, r) = (r, oldR - q * r)
    (oldS, s) = (s, oldS - q * s)
  }
  return mod(oldS, m)
}
