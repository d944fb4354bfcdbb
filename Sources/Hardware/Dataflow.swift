import HybrixCore

/// Which operand of a product `Y = X · W` a tiled array holds while the other streams through it.
///
/// Weight-stationary (Mirage's DF1) sets tiles of `W` (k × n) and streams the `m` rows of `X`;
/// input-stationary (DF2) sets tiles of `Xᵀ` (k × m) and streams the `n` columns of `W`, i.e. it
/// computes `Yᵀ = Wᵀ · Xᵀ` on the same array. `best` picks, per product, whichever takes fewer
/// cycles (ties: weight-stationary): Mirage's OPT2, a per-GEMM, per-layer choice used for Mirage
/// and for its systolic baselines [Demirkiran et al., ISCA 2024, arXiv 2311.17323v2 §IV, §VI-C].
/// Output-stationary is impossible on a phase-domain core and not modelled.
public enum Dataflow: String, Sendable, Hashable, Codable, CaseIterable {
  case weightStationary = "weight-stationary"
  case inputStationary = "input-stationary"
  case best

  /// `work` as the array sees it under input-stationary: `m` and `n` swap, and so do the bytes
  /// of the operand that streams (`inputBytes`) and the one that is set (`weightBytes`).
  public static func transposed(_ work: TileWork) -> TileWork {
    var t = work
    (t.m, t.n) = (work.n, work.m)
    (t.inputBytes, t.weightBytes) = (work.weightBytes, work.inputBytes)
    t.staticWeights = false
    return t
  }

  /// Evaluates a matrix `work` under this dataflow with `evaluate` (a tier's weight-stationary
  /// model); for `best`, under both, keeping the one with fewer cycles.
  public func evaluate(
    _ work: TileWork, _ evaluate: (TileWork) -> Result<TierActivity, Infeasibility>
  ) -> Result<TierActivity, Infeasibility> {
    chosen(work, evaluate).map(\.activity)
  }

  /// As ``evaluate(_:_:)``, also saying which stationary operand was used.
  public func chosen(
    _ work: TileWork, _ evaluate: (TileWork) -> Result<TierActivity, Infeasibility>
  ) -> Result<(activity: TierActivity, dataflow: Dataflow), Infeasibility> {
    guard work.kind == .matrix else { return evaluate(work).map { ($0, .weightStationary) } }
    switch self {
    case .weightStationary: return evaluate(work).map { ($0, .weightStationary) }
    case .inputStationary: return evaluate(Self.transposed(work)).map { ($0, .inputStationary) }
    case .best:
      let ws = evaluate(work)
      guard case .success(let a) = ws else { return ws.map { ($0, .weightStationary) } }
      guard case .success(let b) = evaluate(Self.transposed(work)), b.cycles < a.cycles else {
        return .success((a, .weightStationary))
      }
      return .success((b, .inputStationary))
    }
  }
}
