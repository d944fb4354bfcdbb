import Execution
import Hardware
import HybrixCore
import HybrixNumerics
import Testing

@testable import Mapping

/// Multiplies every product by a constant: shows which columns/rows a split sends where.
struct ScalingArithmetic: ProductArithmetic {
  var factor: Float
  var name: String { "×\(factor)" }
  mutating func multiply(_ a: HybrixNumerics.Tensor, _ b: HybrixNumerics.Tensor, role: ProductRole) -> HybrixNumerics.Tensor {
    GEMM.multiply(a, b).map { $0 * factor }
  }
  mutating func realize(weights: HybrixNumerics.Tensor) -> HybrixNumerics.Tensor { weights.map { $0 * factor } }
}

@Suite struct MappingAccuracyTests {
  @Test func splitSendsEachShareToItsTier() {
    var rng = SplitMix64(seed: 3)
    let a = HybrixNumerics.Tensor.randomNormal([5, 6], rng: &rng), b = HybrixNumerics.Tensor.randomNormal([6, 4], rng: &rng)
    let exact = GEMM.multiply(a, b)
    var columns = SplitArithmetic(
      parts: [ScalingArithmetic(factor: 1), ScalingArithmetic(factor: 2)], fractions: [0.5, 0.5], axis: .n)
    let y = columns.multiply(a, b, role: .forward)
    for r in 0..<5 {
      for c in 0..<4 { #expect(abs(y[r, c] - exact[r, c] * (c < 2 ? 1 : 2)) <= 1e-5) }
    }
    // k: partial sums over the first half of k at ×1 and the second half at ×3, added.
    var rows = SplitArithmetic(
      parts: [ScalingArithmetic(factor: 1), ScalingArithmetic(factor: 3)], fractions: [0.5, 0.5], axis: .k)
    let z = rows.multiply(a, b, role: .forward)
    for r in 0..<5 {
      for c in 0..<4 {
        var want: Float = 0
        for k in 0..<6 { want += a[r, k] * b[k, c] * (k < 3 ? 1 : 3) }
        #expect(abs(z[r, c] - want) <= 1e-4)
      }
    }
    let w = columns.realize(weights: b)
    #expect(w[0, 0] == b[0, 0] && w[0, 3] == 2 * b[0, 3])
    // m: the first rows of X against the ×1 tier's copy of W, the others against the ×5 tier's
    // copy; both copies hold all of W.
    var m = SplitArithmetic(
      parts: [ScalingArithmetic(factor: 1), ScalingArithmetic(factor: 5)], fractions: [0.4, 0.6], axis: .m)
    let realized = m.realize(weights: b)
    #expect(realized == b, "an m split keeps one realized copy of W per tier, not a mixed tensor")
    let v = m.multiply(a, b, role: .forward)
    for r in 0..<5 {
      for c in 0..<4 {
        let factor: Float = r < 2 ? 1 : 5
        #expect(abs(v[r, c] - exact[r, c] * factor * factor) <= 1e-3, "row \(r)")
      }
    }
  }

  /// A random MLP labelled by its own predictions: exact tiers keep 100 %; a PCM tier read a
  /// year after programming without compensation loses accuracy; the same seed repeats exactly.
  @Test func mappedAccuracyFollowsTheTiers() throws {
    let net = try Network.zoo("mlp", seed: 5)
    var rng = SplitMix64(seed: 6)
    let images = HybrixNumerics.Tensor(shape: [200, 1, 28, 28], scalars: (0..<(200 * 784)).map { _ in Float(rng.nextUnitDouble()) })
    var labeller = net
    let labels = try labeller.predict(images)
    let arch = try PresetRegistry.architecture(named: "lionheart")
    guard let cpu = arch.tiers.firstIndex(where: { $0.common.kind == .digital }),
      let pcm = arch.tiers.firstIndex(where: { $0.common.kind == .analog })
    else {
      Issue.record("lionheart has a digital and an analog tier")
      return
    }
    let names = net.productOperatorNames
    let onCPU = names.map { OperatorAssignment(name: $0, shares: [TierShare(tier: cpu, fraction: 1)]) }
    let settings = AccuracySettings(times: [.seconds(1), .seconds(365.25 * 86400)], repeats: 2, seed: 9, compensation: [false])
    let digital = try MappingAccuracy.evaluate(
      network: net, assignments: onCPU, architecture: arch, images: images, labels: labels, settings: settings)
    #expect(digital.fp32Accuracy == 1)
    #expect(digital.points.allSatisfy { $0.accuracies == [1, 1] })
    #expect(digital.operators.allSatisfy { $0.arithmetic == "fp32" })

    let onPCM = names.map { OperatorAssignment(name: $0, shares: [TierShare(tier: pcm, fraction: 1)]) }
    let analog = try MappingAccuracy.evaluate(
      network: net, assignments: onPCM, architecture: arch, images: images, labels: labels, settings: settings)
    let again = try MappingAccuracy.evaluate(
      network: net, assignments: onPCM, architecture: arch, images: images, labels: labels, settings: settings)
    #expect(analog.points.map(\.accuracies) == again.points.map(\.accuracies))
    #expect(analog.points[1].statistics.mean < 1)
    #expect(analog.points[1].statistics.mean <= analog.points[0].statistics.mean)
  }

  @Test func badSettingsAndMissingPlacementsAreErrors() throws {
    let net = try Network.zoo("mlp", seed: 5)
    let arch = try PresetRegistry.architecture(named: "lionheart")
    let images = HybrixNumerics.Tensor.zeros([2, 1, 28, 28])
    #expect { try AccuracySettings(times: [.seconds(1)], repeats: 0, seed: 1).validate() } throws: {
      ($0 as? ConfigError)?.path == "--repeats"
    }
    #expect { try AccuracySettings(times: [.seconds(-1)], repeats: 1, seed: 1).validate() } throws: {
      ($0 as? ConfigError)?.path == "--at"
    }
    #expect {
      try MappingAccuracy.evaluate(
        network: net, assignments: [], architecture: arch, images: images, labels: [0, 1],
        settings: AccuracySettings(times: [.seconds(1)], repeats: 1, seed: 1))
    } throws: { "\($0)".contains("has no placement") }
  }
}
