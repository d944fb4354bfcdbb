import Execution
import Foundation
import Hardware
import HybrixCore
import HybrixNumerics
import Mapping
import Testing
import Workloads

@testable import Search

/// The probe reuses the exact prefix of an ONNX graph (the residual ResNet-20) as it does for a
/// chain: the drop is the same with and without the kept activations, and equals what
/// `hybrix accuracy` (``MappingAccuracy/evaluate``) gives.
@Suite struct AccuracyProbeGraphSplitTests {
  @Test(.enabled(if: fashionMNISTAvailable, "needs: \(FashionMNIST.installHint)"))
  func residualGraphDropIsTheSameWithTheKeptPrefix() async throws {
    let path = checkpoint("resnet20-fm")
    let network = try ONNXExecutor.load(path: path)
    let data = try #require(FileManager.default.contents(atPath: path))
    let graph = try ONNXImporter.loadBindingSymbolsToOne(data: [UInt8](data), fileName: path).graph
    let test = try FashionMNIST.load(split: .test, directory: FashionMNIST.defaultDirectory, limit: 32)
    let lh = try LionHeart()
    // Products 0–6 exact, 7 and 9 on PCM: the first noisy operator is deep in stage 2.
    var tiers = [Placement](repeating: .on(lh.cpu), count: 10)
    tiers[7] = .on(lh.pcm)
    tiers[9] = .on(lh.pcm)
    let mapping = plan(graph, host: lh.cpu, products: tiers)
    let expected = try MappingAccuracy.evaluate(
      network: network, assignments: OperatorAssignment.from(mapping: mapping, graph: graph),
      architecture: lh.architecture, images: test.images, labels: test.labels,
      settings: AccuracySettings(times: [.seconds(86_400)], repeats: 3, seed: 7, compensation: [false], batchSize: 16))
    let accuracies = try #require(expected.points.first).accuracies
    var drops: [AccuracyDrop] = []
    for cacheBytes in [0, 1 << 26] {
      let probe = try MonteCarloAccuracyProbe(
        network: network, graph: graph, architecture: lh.architecture, images: test.images, labels: test.labels,
        settings: .init(
          repeats: 3, seed: 7, batchSize: 16, compensated: false, parallelism: 2, activationCacheBytes: cacheBytes))
      drops.append(try await probe.drop(of: mapping, at: .seconds(86_400)))
      #expect(probe.cachedActivationCount == (cacheBytes > 0 ? 1 : 0))
    }
    #expect(drops[0] == drops[1])
    #expect(drops[0].meanAccuracy == accuracies.reduce(0, +) / 3)
    #expect(drops[0].referenceAccuracy == expected.fp32Accuracy)
    #expect(drops[0].repeats == 3)
  }
}

/// The kept activations make room for new ones, least recently used first: with room for one
/// cut, layer after layer each runs from its own cut, and every drop equals a probe without
/// kept activations.
@Suite struct AccuracyProbeActivationEvictionTests {
  @Test(.enabled(if: fashionMNISTAvailable, "needs: \(FashionMNIST.installHint)"))
  func leastRecentlyUsedActivationsMakeRoom() async throws {
    let f = try LeNetFixture(images: 60)
    let lh = try LionHeart()
    let products = productOperators(f.graph)
    try #require(products.count >= 3)
    let names = products.map { f.graph.operators[$0].name }
    // Room for the largest of the cuts before products 1 and 2, not for both.
    let sizes = try names[1...2].map { name -> Int in
      let (_, suffix) = try #require(f.network.split(before: name))
      return 60 * suffix.sampleShape.reduce(1, *) * MemoryLayout<Float>.size
    }
    let room = try #require(sizes.max())
    try #require(sizes.reduce(0, +) > room)
    func probe(_ cacheBytes: Int) throws -> MonteCarloAccuracyProbe {
      try MonteCarloAccuracyProbe(
        network: f.network, graph: f.graph, architecture: lh.architecture, images: f.images, labels: f.labels,
        settings: .init(
          repeats: 3, seed: 3, sensitivityImages: 60, sensitivityRepeats: 3, parallelism: 1,
          activationCacheBytes: cacheBytes))
    }
    let kept = try probe(room), plain = try probe(0)
    var compared = 0
    for op in [products[1], products[2], products[1], products[2]] {
      let a = try await kept.sensitivity(operator: op, tier: lh.pcm, at: .seconds(86_400))
      let b = try await plain.sensitivity(operator: op, tier: lh.pcm, at: .seconds(86_400))
      #expect(a == b)
      #expect(kept.cachedActivationCount == 1)
      if compared < 2 { #expect(kept.cachedActivationOperators == [f.graph.operators[op].name]) }
      compared += 1
    }
    #expect(compared == 4)
    #expect(plain.cachedActivationCount == 0)
  }
}
