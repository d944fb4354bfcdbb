import HybrixCore
import HybrixNumerics
import Testing

@testable import Devices

/// Every ``ArithmeticRegistry`` entry: shapes, reproducibility, error against the exact product,
/// and a zero-noise configuration that must reproduce the exact product within its quantization.
@Suite struct ArithmeticConformanceTests {
  /// What an entry's products may deviate from the exact ones: ‖y − a·b‖_F / ‖a·b‖_F for `a` ~
  /// N(0, 1) [16, 64] and `b` ~ N(0, 0.1²) [64, 12] (forward after `realize`; gradients: input
  /// and weight gradient products), over seeds 20, 21, 22. Both ends bind: every upper end is
  /// below 1 (an all-zero output scores exactly 1, a sign flip 2), and every entry that models
  /// something has a lower end above 0 (an entry that silently became exact scores ~1e-7).
  /// ``theBoundsCatchBrokenArithmetics`` feeds exactly those broken arithmetics to the same check.
  /// Every registry entry must appear here (a new arithmetic states its bounds).
  struct Bounds {
    var forward: ClosedRange<Double>
    var gradients: ClosedRange<Double>
    /// Lower end of the forward difference between two seeds (noisy entries), `nil`:
    /// bit-identical across seeds.
    var seedSpread: Double?
  }

  /// Measured at commit time (forward, gradients; two-seed spread), with `swift test --filter
  /// ArithmeticConformanceTests`: each lower end is about half the smallest measured error,
  /// each upper end about 1.5× the largest.
  static let bounds: [String: Bounds] = [
    "fp32": .init(forward: 0...1e-6, gradients: 0...1e-6),
    // aihwkit PCM at 1 d, compensated, 8-bit IO, σ_out 0.06: 0.158…0.167; spread 0.27.
    "pcm": .init(forward: 0.08...0.25, gradients: 0...1e-6, seedSpread: 0.13),
    // Drift uncompensated: outputs shrink by ~4320^−ν: 0.350…0.356; spread 0.24.
    "pcm-nocomp": .init(forward: 0.25...0.5, gradients: 0...1e-6, seedSpread: 0.12),
    // As pcm after realize (training noise acts only before it).
    "pcm-hwa": .init(forward: 0.08...0.25, gradients: 0...1e-6, seedSpread: 0.13),
    // BFP 7-bit mantissas, blocks of 16, all products: 0.020…0.023, gradients 0.021.
    "rns": .init(forward: 0.01...0.035, gradients: 0.01...0.035),
    // Mirage's BFP: 5-bit signed mantissas, blocks of 16, moduli {31, 32, 33}: 0.091, gradients 0.095.
    "rns-mirage": .init(forward: 0.045...0.14, gradients: 0.045...0.14),
    // rns plus phase noise whose residue errors the redundant moduli correct: as rns exactly.
    "rrns": .init(forward: 0.01...0.035, gradients: 0.01...0.035),
    // INT8 training, one abs-max scale per operand tensor, exact accumulation: forward 0.0105…0.0118.
    "int8": .init(forward: 0.005...0.018, gradients: 0.005...0.018),
    // 6-bit operands and ADC: 0.037…0.039, gradients 0.035.
    "fixed6": .init(forward: 0.02...0.06, gradients: 0.015...0.06),
    // 6-bit ADC over ±12 normalized units: 0.103…0.113, gradients 0.139.
    "analog6": .init(forward: 0.05...0.2, gradients: 0.06...0.25),
    // 0.0099…0.0103, gradients 0.0090.
    "fixed8": .init(forward: 0.005...0.015, gradients: 0.004...0.015),
    // 8-bit per-tensor converters, σ_φ = 0.01: 0.036…0.041; spread 0.049.
    "photonic": .init(forward: 0.018...0.06, gradients: 0...1e-6, seedSpread: 0.024),
    // 4-bit per-tensor converters: 0.234…0.259; spread 0.134.
    "photonic4": .init(forward: 0.12...0.35, gradients: 0...1e-6, seedSpread: 0.067),
    // 8-bit weights, lognormal σ 0.1 on every cell: 0.096…0.103; spread 0.149.
    "reram": .init(forward: 0.05...0.15, gradients: 0...1e-6, seedSpread: 0.075),
    // H3PIMAP SRAM-PIM: 8-bit weights per column, 8-bit inputs per row, exact: 0.0090…0.0095.
    "h3pimap-sram": .init(forward: 0.0045...0.014, gradients: 0...1e-6),
    // + thermal/shot read noise (~0.05–0.09 of a weight level): 0.0090…0.0098; spread 0.0019.
    "h3pimap-reram": .init(forward: 0.0045...0.015, gradients: 0...1e-6, seedSpread: 0.0009),
    // + inputs × (1 + 0.0031ξ): 0.0101…0.0113; spread 0.0048.
    "h3pimap-photonic": .init(forward: 0.005...0.017, gradients: 0...1e-6, seedSpread: 0.0024),
    // ~11 % stuck cells: errors of the order of the outputs, 0.70…0.83; spread 0.82.
    "reram-saf": .init(forward: 0.4...0.95, gradients: 0...1e-6, seedSpread: 0.4),
  ]

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
    for (name, b) in Self.bounds {
      #expect(b.forward.upperBound < 1 && b.gradients.upperBound < 1, "\(name): an all-zero output would pass")
      #expect((name == "fp32") == (b.forward.lowerBound == 0), "\(name): an exact output would pass")
    }
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
    // Two seeds: noisy entries differ by at least their stated spread (not merely "changed");
    // deterministic ones are bit-identical.
    let bounds = try #require(Self.bounds[name])
    var x = try ArithmeticRegistry.make(name, seed: 11), y = try ArithmeticRegistry.make(name, seed: 12)
    let (wx, wy) = (x.realize(weights: b), y.realize(weights: b))
    let (yx, yy) = (x.multiply(a, wx, role: .forward), y.multiply(a, wy, role: .forward))
    if let spread = bounds.seedSpread {
      #expect(Self.relativeError(yx, yy) >= spread, "\(name): seeds 11 and 12 differ by \(Self.relativeError(yx, yy))")
    } else {
      #expect(yx.scalars.map(\.bitPattern) == yy.scalars.map(\.bitPattern), "\(name) depends on the seed")
    }
  }

  /// Smallest and largest relative errors over seeds 20…22 of what `make(seed)` builds.
  static func errors(_ make: (UInt64) throws -> any ProductArithmetic) rethrows
    -> (forward: ClosedRange<Double>, gradients: ClosedRange<Double>)
  {
    var forward: [Double] = [], gradients: [Double] = []
    for seed in UInt64(20)..<23 {
      var arith = try make(seed)
      let (a, b) = Self.operands(seed: seed)
      let dy = Self.operands(seed: seed + 100, m: 16, k: 12, n: 1).0
      let w = arith.realize(weights: b)
      forward.append(Self.relativeError(arith.multiply(a, w, role: .forward), naiveMatmul(a, b)))
      let bt = b.transposed(), at = a.transposed()
      gradients.append(Self.relativeError(arith.multiply(dy, bt, role: .inputGradient), naiveMatmul(dy, bt)))
      gradients.append(Self.relativeError(arith.multiply(at, dy, role: .weightGradient), naiveMatmul(at, dy)))
    }
    return ((forward.min() ?? 0)...(forward.max() ?? 0), (gradients.min() ?? 0)...(gradients.max() ?? 0))
  }

  /// What is out of `name`'s stated bounds in the errors of `make`; empty when all is within.
  static func violations(_ name: String, _ make: (UInt64) throws -> any ProductArithmetic) throws -> [String] {
    let bound = try #require(Self.bounds[name])
    let e = try Self.errors(make)
    var out: [String] = []
    if !bound.forward.contains(e.forward.lowerBound) || !bound.forward.contains(e.forward.upperBound) {
      out.append("\(name) forward errors \(e.forward) outside \(bound.forward)")
    }
    if !bound.gradients.contains(e.gradients.lowerBound) || !bound.gradients.contains(e.gradients.upperBound) {
      out.append("\(name) gradient errors \(e.gradients) outside \(bound.gradients)")
    }
    return out
  }

  @Test(arguments: ArithmeticRegistry.names) func relativeErrorWithinStatedBound(name: String) throws {
    let found = try Self.violations(name) { seed in try ArithmeticRegistry.make(name, seed: seed) }
    #expect(found.isEmpty, "\(found)")
  }

  /// A check that cannot fail is worthless: the same check, with every entry's bounds, must
  /// reject an arithmetic that outputs zeros, one that flips the sign, and one that is exact
  /// (the device model bypassed; not a fault for fp32).
  @Test(arguments: ArithmeticRegistry.names, BrokenArithmetic.Fault.allCases)
  func theBoundsCatchBrokenArithmetics(name: String, fault: BrokenArithmetic.Fault) throws {
    if name == "fp32" && fault == .exact { return }
    let found = try Self.violations(name) { _ in BrokenArithmetic(fault: fault) }
    #expect(!found.isEmpty, "\(name) accepts an arithmetic that \(fault)")
  }
}

/// Arithmetics broken in the ways a regression would break an entry.
struct BrokenArithmetic: ProductArithmetic {
  enum Fault: String, CaseIterable, CustomStringConvertible, Sendable {
    case zeros = "outputs zeros", signFlip = "flips the sign", exact = "is exact"
    var description: String { rawValue }
  }
  var fault: Fault
  var name: String { "broken (\(fault))" }
  mutating func multiply(_ a: Tensor, _ b: Tensor, role: ProductRole) -> Tensor {
    let y = naiveMatmul(a, b)
    switch fault {
    case .zeros: return Tensor(repeating: 0, shape: y.shape)
    case .signFlip: return y.map { -$0 }
    case .exact: return y
    }
  }
}
