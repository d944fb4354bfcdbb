import HybrixCore

/// A redundant residue number system (RRNS): base moduli with legitimate range
/// M = ∏ base, plus r redundant moduli larger than every base modulus.
///
/// A value is legitimate when its CRT over all n + r moduli lies in ±⌊(M − 1)/2⌋. Up to r wrong
/// residues always give an illegitimate value (detection); with r ≥ 2 a single wrong residue is
/// corrected by dropping each modulus in turn and keeping the unique legitimate reconstruction
/// (standard RRNS theory; papers.md §3.4). Correcting and detecting are alternatives: with r = 2
/// a double error can be mis-corrected, so use ``Mode/detect`` to flag double errors.
public struct RedundantModuliSet: Sendable, Hashable {
  public let base: ModuliSet
  public let redundant: [Int64]
  /// All n + r moduli, base first.
  public let all: ModuliSet

  public init(base: ModuliSet, redundant: [Int64]) throws(ConfigError) {
    guard let largest = base.moduli.max(), redundant.allSatisfy({ $0 > largest }) else {
      throw ConfigError(path: "redundant", message: "redundant moduli \(redundant) must all exceed "
        + "the largest base modulus \(base.moduli.max() ?? 0)")
    }
    self.base = base
    self.redundant = redundant
    self.all = try ModuliSet(base.moduli + redundant)
  }

  public enum Mode: Sendable, Hashable { case detect, correct }

  public enum Decoded: Sendable, Hashable {
    /// All residues consistent.
    case clean(Int64)
    /// One residue (index into ``all``) was wrong and has been corrected.
    case corrected(Int64, modulusIndex: Int)
    /// An error was detected and not corrected.
    case detected
  }

  /// Residues of `x` over all moduli.
  public func residues(_ x: Int64) -> [Int64] { all.residues(x) }

  /// Decodes residues over ``all``.
  public func decode(_ r: [Int64], mode: Mode) -> Decoded {
    let x = all.reconstruct(r)
    if abs(x) <= base.maxMagnitude { return .clean(x) }
    guard mode == .correct, redundant.count >= 2 else { return .detected }
    var found: (Int64, Int)?
    for drop in all.moduli.indices {
      let keep = all.moduli.indices.filter { $0 != drop }
      guard let sub = try? ModuliSet(keep.map { all.moduli[$0] }) else { continue }
      let y = sub.reconstruct(keep.map { r[$0] })
      if abs(y) <= base.maxMagnitude {
        if let f = found, f.0 != y { return .detected }
        found = (y, drop)
      }
    }
    if let found { return .corrected(found.0, modulusIndex: found.1) }
    return .detected
  }
}
