import HybrixCore
import HybrixNumerics
import Testing

@testable import Devices

/// Every ``ArithmeticRegistry`` entry: shapes, reproducibility, error against the exact product,
/// and a zero-noise configuration that must reproduce the exact product within its quantization.
@Suite struct ArithmeticConformanceTests {
  /// Stated bound on ‖y − a·b‖_F / ‖a·b‖_F for `a` ~ N(0, 1) [16, 64] and `b` ~ N(0, 0.1²)
  /// [64, 12] (forward after `realize`). Gradient roles are exact where the arithmetic says so.
  /// Every registry entry must appear here (a new arithmetic states its bound).
  static let bounds: [String: (forward: Double, gradients: Double)] = [
    "fp32": (1e-6, 1e-6),
    "pcm": (0.25, 1e-6),  // aihwkit PCM at 1 d, compensated, 8-bit IO, σ_out 0.06 (measured ≈ 0.17)
    "pcm-nocomp": (0.5, 1e-6),  // drift uncompensated: outputs shrink by ~4320^−ν (≈ 0.36)
    "pcm-hwa": (0.25, 1e-6),  // as pcm after realize (training noise acts only before it)
    "rns": (0.035, 0.035),  // BFP 7-bit mantissas, blocks of 16 (≈ 0.022)
    "rrns": (0.035, 0.035),
    "rns-mirage": (0.14, 0.14),  // BFP 5-bit signed mantissas, blocks of 16 (≈ 0.091 / 0.095)
    "fixed6": (0.06, 0.06),  // 6-bit operands and ADC (≈ 0.04)
    "fixed8": (0.015, 0.015),  // (≈ 0.010)
    "analog6": (0.6, 0.6),  // 6-bit ADC over ±12 normalized units: outputs ≈ √64·0.5 use few levels
    "photonic": (0.06, 1e-6),  // 8-bit per-tensor converters, σ_φ = 0.01 (≈ 0.041)
    "photonic4": (0.35, 1e-6),  // 4-bit per-tensor converters (≈ 0.26)
    "reram": (0.15, 1e-6),  // 8-bit weights, lognormal σ 0.1 on every cell (≈ 0.10)
    "reram-saf": (1.2, 1e-6),  // ~11 % stuck cells: errors of the order of the outputs (≈ 0.83)
  ]

  /// Entries whose forward product is random for a given input (different seeds must differ).
  static let noisy: Set<String> = ["pcm", "pcm-nocomp", "pcm-hwa", "photonic", "photonic4", "reram", "reram-saf"]

  static func operands(seed: UInt64, m: Int = 16, k: Int = 64, n: Int = 12) -> (Tensor, Tensor) {
    var rng = SplitMix64(seed: seed)
    return (Tensor.randomNormal([m, k], rng: &rng), Tensor.randomNormal([k, n], std: 0.1, rng: &rng))
  }

  static func relativeError(_ y: Tensor, _ exact: Tensor) -> Double {
    var num = 0.0, den = 0.0
    for (u, v) in zip(y.scalars, exact.scalars) {
      num += Double(u - v) * Double(u - v)
      den += Double(v) * Double(v)
    }
    return (num / den).squareRoot()
  }

  @Test func everyEntryHasAStatedBound() {
    for name in ArithmeticRegistry.names { #expect(Self.bounds[name] != nil, "no bound stated for \(name)") }
    #expect(Set(ArithmeticRegistry.names).count == ArithmeticRegistry.names.count)
  }

  @Test(arguments: ArithmeticRegistry.names) func shapesForAllRoles(name: String) throws {
    var arith = try ArithmeticRegistry.make(name, seed: 1)
    let (a, b) = Self.operands(seed: 2, m: 5, k: 20, n: 3)
    #expect(arith.multiply(a, b, role: .forward).shape == [5, 3])
    #expect(arith.realize(weights: b).shape == [20, 3])
    #expect(arith.multiply(a, b, role: .forward).shape == [5, 3])
    // Input gradient: dy [5, 3] · bᵀ [3, 20]; weight gradient: aᵀ [20, 5] · dy [5, 3].
    let dy = Self.operands(seed: 4, m: 5, k: 3, n: 1).0
    #expect(arith.multiply(dy, b.transposed(), role: .inputGradient).shape == [5, 20])
    #expect(arith.multiply(a.transposed(), dy, role: .weightGradient).shape == [20, 3])
    #expect(!arith.name.isEmpty)
  }

  /// Realize then every role twice: one seed gives bit-identical outputs; a different seed gives
  /// different forward outputs for the noisy entries.
  @Test(arguments: ArithmeticRegistry.names) func seedReproducibility(name: String) throws {
    let (a, b) = Self.operands(seed: 3)
    func run(_ seed: UInt64) throws -> [[UInt32]] {
      var arith = try ArithmeticRegistry.make(name, seed: seed)
      var outs = [arith.realize(weights: b)]
      for _ in 0..<2 {
        outs.append(arith.multiply(a, b, role: .forward))
        outs.append(arith.multiply(a.transposed(), a, role: .weightGradient))
        outs.append(arith.multiply(a, b, role: .inputGradient))
      }
      return outs.map { $0.scalars.map(\.bitPattern) }
    }
    #expect(try run(11) == run(11))
    if Self.noisy.contains(name) {
      var x = try ArithmeticRegistry.make(name, seed: 11), y = try ArithmeticRegistry.make(name, seed: 12)
      _ = (x.realize(weights: b), y.realize(weights: b))
      #expect(x.multiply(a, b, role: .forward) != y.multiply(a, b, role: .forward))
    }
  }

  @Test(arguments: ArithmeticRegistry.names) func relativeErrorWithinStatedBound(name: String) throws {
    let bound = try #require(Self.bounds[name])
    var worst = (forward: 0.0, gradients: 0.0)
    for seed in UInt64(20)..<23 {
      var arith = try ArithmeticRegistry.make(name, seed: seed)
      let (a, b) = Self.operands(seed: seed)
      let dy = Self.operands(seed: seed + 100, m: 16, k: 12, n: 1).0
      let w = arith.realize(weights: b)
      worst.forward = max(worst.forward, Self.relativeError(arith.multiply(a, w, role: .forward), naiveMatmul(a, b)))
      let bt = b.transposed(), at = a.transposed()
      worst.gradients = max(worst.gradients,
        Self.relativeError(arith.multiply(dy, bt, role: .inputGradient), naiveMatmul(dy, bt)),
        Self.relativeError(arith.multiply(at, dy, role: .weightGradient), naiveMatmul(at, dy)))
    }
    #expect(worst.forward <= bound.forward, "\(name) forward error \(worst.forward)")
    #expect(worst.gradients <= bound.gradients, "\(name) gradient error \(worst.gradients)")
  }
}
