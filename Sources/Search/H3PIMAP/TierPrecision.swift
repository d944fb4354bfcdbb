import Hardware
import HybrixCore
import HybrixNumerics
import Mapping

/// How precise each tier's arithmetic is, for Row Remap's ranking "the most precise tier"
/// (the paper ranks its tiers SRAM > ReRAM > photonic without a measure).
///
/// The error of a tier is ‖y − a·b‖_F / ‖a·b‖_F of one product through the tier's numerical
/// model (``TierArithmetic``, exactly what the accuracy side runs) at `time`, for a ~ N(0, 1)
/// [32, 64] and b ~ N(0, 0.1²) [64, 16] (weights realized first), averaged over seeds 1…3.
/// Exact (digital) tiers have error 0; a tier whose model cannot be built has +∞ (never a target).
public enum TierPrecision {
  public static func errors(architecture: Architecture, at time: Time) -> [Double] {
    architecture.tiers.map { tier in
      var total = 0.0
      for seed in UInt64(1)...3 {
        var rng = SplitMix64(seed: 0xC0FFEE &+ seed)
        let a = Tensor.randomNormal([32, 64], rng: &rng), b = Tensor.randomNormal([64, 16], std: 0.1, rng: &rng)
        let made: (any ProductArithmetic)?
        do { made = try TierArithmetic.make(for: tier, time: time, compensated: true, seed: seed) } catch { return .infinity }
        guard var arith = made else { return 0 }
        let w = arith.realize(weights: b)
        let y = arith.multiply(a, w, role: .forward), exact = GEMM.multiply(a, b)
        var num = 0.0, den = 0.0
        for (u, v) in zip(y.scalars, exact.scalars) {
          num += Double(u - v) * Double(u - v)
          den += Double(v) * Double(v)
        }
        total += (num / max(den, .leastNormalMagnitude)).squareRoot()
      }
      return total / 3
    }
  }

  /// Without the architecture (a strategy run through the registry): the probe's drop when the
  /// product operator with the most rows runs alone on each tier (digital tiers 0).
  static func errors(problem: MappingProblem, probe: any AccuracyProbe, at time: Time) async throws(ConfigError) -> [Double] {
    let ops = problem.graph.operators.indices.filter { problem.graph.operators[$0].matmul != nil }
    guard let op = ops.max(by: { (problem.graph.operators[$0].matmul?.n ?? 0) < (problem.graph.operators[$1].matmul?.n ?? 0) }) else {
      return problem.tierKinds.map { _ in 0 }
    }
    var out: [Double] = []
    for (t, kind) in problem.tierKinds.enumerated() {
      if kind == .digital {
        out.append(0)
        continue
      }
      let d = try await probe.sensitivity(operator: op, tier: t, at: time)
      out.append(max(1e-9, d.points))
    }
    return out
  }
}
