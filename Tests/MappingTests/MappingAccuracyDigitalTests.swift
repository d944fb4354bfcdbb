import Execution
import Hardware
import HybrixCore
import HybrixNumerics
import Synchronization
import Testing

@testable import Mapping

/// Counts every inference of the network and its copies.
private final class Inferences: Sendable {
  let count = Mutex(0)
}

private struct CountedNetwork: ProductNetwork {
  var base: Network
  let inferences: Inferences
  var productOperatorNames: [String] { base.productOperatorNames }
  mutating func setArithmetic(_ arithmetic: (any ProductArithmetic)?, for name: String) throws(ConfigError) {
    try base.setArithmetic(arithmetic, for: name)
  }
  mutating func realizeWeights() { base.realizeWeights() }
  mutating func infer(_ x: HybrixNumerics.Tensor) throws(ConfigError) -> HybrixNumerics.Tensor {
    inferences.count.withLock { $0 += 1 }
    return base.infer(x)
  }
}

/// Issue 14 §5: an all-digital mapping's repeats are the reference model, so `accuracy` runs it
/// once; a mapping with one analog operator runs the reference and every repeat.
@Suite struct MappingAccuracyDigitalTests {
  @Test func allDigitalMappingRunsTheModelOnce() throws {
    let inferences = Inferences()
    let net = CountedNetwork(base: try Network.zoo("mlp", seed: 5), inferences: inferences)
    var rng = SplitMix64(seed: 6)
    let images = HybrixNumerics.Tensor(
      shape: [50, 1, 28, 28], scalars: (0..<(50 * 784)).map { _ in Float(rng.nextUnitDouble()) })
    var labeller = net.base
    let labels = try labeller.predict(images)
    let arch = try PresetRegistry.architecture(named: "lionheart")
    let cpu = try #require(arch.tiers.firstIndex(where: { $0.common.kind == .digital }))
    let pcm = try #require(arch.tiers.firstIndex(where: { $0.common.kind == .analog }))
    let names = net.productOperatorNames
    let settings = AccuracySettings(
      times: [.seconds(1), .seconds(86_400)], repeats: 3, seed: 9, compensation: [false, true], batchSize: 50)

    let digital = names.map { OperatorAssignment(name: $0, shares: [TierShare(tier: cpu, fraction: 1)]) }
    let exact = try MappingAccuracy.evaluate(
      network: net, assignments: digital, architecture: arch, images: images, labels: labels, settings: settings)
    #expect(inferences.count.withLock { $0 } == 1)
    #expect(exact.points.count == 4)
    #expect(exact.points.allSatisfy { $0.accuracies == [exact.fp32Accuracy, exact.fp32Accuracy, exact.fp32Accuracy] })
    #expect(exact.fp32Accuracy == 1)

    inferences.count.withLock { $0 = 0 }
    var mixed = digital
    mixed[0] = OperatorAssignment(name: names[0], shares: [TierShare(tier: pcm, fraction: 1)])
    _ = try MappingAccuracy.evaluate(
      network: net, assignments: mixed, architecture: arch, images: images, labels: labels, settings: settings)
    #expect(inferences.count.withLock { $0 } == 1 + 4 * 3)
  }
}
