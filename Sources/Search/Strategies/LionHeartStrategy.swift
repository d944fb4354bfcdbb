import HybrixCore
import Mapping

/// LionHeart [Lammie et al., IEEE TETC 2025; `IBM/lionheart` methods/LH.py; papers.md §2.4]: as
/// many conv and linear layers as possible on the analog tier while the Monte-Carlo accuracy at
/// a time after programming stays within a threshold of the all-digital model. Candidates go by
/// MACs, largest first; each is tried analog and kept when the whole analog set's drop (on the
/// probe's validation images, sequential stopping) stays within the goal's accuracy constraint,
/// else reverted. A layer whose weights do not fit in the analog tiles left stays digital.
///
/// Options (`--strategy-option`, or `map`'s friendly flags): `mode=full|fast` (fast: per-layer
/// sensitivities measured once, one Monte-Carlo check at the end), `lifetime=1y` (plan
/// re-programming over a lifetime), `margin=δ` (decide against X − δ points on the validation
/// images, so that the set's drop on other images stays within X more often; not in the paper,
/// default 0). The threshold and time come from the goal's `accuracy-drop<=X@T` constraint
/// (`--accuracy-drop X --at T`). Deterministic given the probe.
///
/// - Complexity: full mode, one Monte-Carlo drop per candidate (L for L layers, against 2^L
///   subsets); fast mode, L sensitivities and one drop (more when the check fails).
public struct LionHeartStrategy: SearchStrategy {
  public static let name = "lionheart"
  public static let summary = "conv/linear layers onto the analog tier by MACs while accuracy stays within --accuracy-drop"

  public enum Mode: String, Sendable, CaseIterable { case full, fast }

  public let mode: Mode
  public let lifetime: Time?
  /// Points below the goal's allowed drop that decisions are taken against (≥ 0; 0: the paper's loop).
  public let margin: Double
  /// Per-step hardware-aware retraining (full mode only; `nil`: none).
  public let retraining: LionHeartRetraining?
  /// Where the last search leaves its trace (shared by copies).
  public let recorder: LionHeartRecorder

  public init(
    mode: Mode = .full, lifetime: Time? = nil, margin: Double = 0, retraining: LionHeartRetraining? = nil,
    recorder: LionHeartRecorder = LionHeartRecorder()
  ) {
    self.mode = mode
    self.lifetime = lifetime
    self.margin = margin
    self.retraining = retraining
    self.recorder = recorder
  }

  /// This strategy with per-step HWA retraining.
  ///
  /// - Throws: ``ConfigError`` in fast mode (it measures sensitivities once; there is no step to
  ///   retrain after) or for retraining settings out of range.
  public func withRetraining(_ r: LionHeartRetraining) throws(ConfigError) -> LionHeartStrategy {
    guard mode == .full else {
      throw ConfigError(
        path: "--retrain-steps", message: "retraining runs after each step of the full loop; --fast has no steps to retrain after",
        expected: "--retrain-steps without --fast", hint: "drop --fast, or drop --retrain-steps")
    }
    try r.settings.validate()
    return LionHeartStrategy(mode: mode, lifetime: lifetime, margin: margin, retraining: r, recorder: recorder)
  }

  public static func make(_ request: StrategyRequest) throws(ConfigError) -> LionHeartStrategy {
    try checkOptions(request, known: ["mode", "lifetime", "margin"])
    var mode = Mode.full
    if let m = request.options["mode"] {
      guard let parsed = Mode(rawValue: m) else {
        throw ConfigError(path: "--strategy-option mode", message: "\"\(m)\"", expected: "full or fast")
      }
      mode = parsed
    }
    var lifetime: Time?
    if let l = request.options["lifetime"] {
      let t = try Time.parse(l, path: "--lifetime")
      guard t.seconds > 0, t.seconds.isFinite else {
        throw ConfigError(path: "--lifetime", message: "\"\(l)\"", expected: "a lifetime > 0, e.g. 1y")
      }
      lifetime = t
    }
    var margin = 0.0
    if let m = request.options["margin"] {
      guard let v = Double(m), v.isFinite, v >= 0 else {
        throw ConfigError(
          path: "--accuracy-margin", message: "\"\(m)\"", expected: "a margin ≥ 0 percentage points",
          hint: "e.g. --accuracy-drop 2 --accuracy-margin 0.5 decides against 1.5 points on the validation images")
      }
      margin = v
    }
    return LionHeartStrategy(mode: mode, lifetime: lifetime, margin: margin)
  }

  public func search(_ problem: MappingProblem, goal: Goal, rng: inout some RandomNumberGenerator) async throws(ConfigError)
    -> ParetoFront
  {
    var s = try LionHeartSearch(problem: problem, goal: goal, mode: mode, lifetime: lifetime, margin: margin)
    s.retraining = retraining
    return try await s.run(goal: goal, recorder: recorder)
  }
}
