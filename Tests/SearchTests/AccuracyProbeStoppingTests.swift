import Execution
import Hardware
import HybrixCore
import HybrixNumerics
import Mapping
import Testing
import Workloads

@testable import Search

/// Sequential stopping, the graphs and networks a probe accepts, and what it refuses.
@Suite struct AccuracyProbeStoppingTests {
  static let oneYear = Time.seconds(365.25 * 86_400)

  /// Oracle: from the 6 per-repeat accuracies `MappingAccuracy.evaluate` gives, the first n ≥ 3
  /// whose 95 % interval lies entirely above or below the threshold (else 6) is the number of
  /// repeats the probe uses, and its drop is the statistics of those n — at parallelism 1 and 2.
  @Test(.enabled(if: fashionMNISTAvailable, "needs: \(FashionMNIST.installHint)"))
  func sequentialStoppingStopsWhereTheIntervalClearsTheThreshold() async throws {
    let f = try LeNetFixture(images: 100)
    let lh = try LionHeart()
    let mapping = plan(f.graph, host: lh.cpu, products: [.on(lh.cpu), .on(lh.pcm), .on(lh.pcm), .on(lh.pcm), .on(lh.cpu)])
    let full = try MappingAccuracy.evaluate(
      network: f.network, assignments: OperatorAssignment.from(mapping: mapping, graph: f.graph),
      architecture: lh.architecture, images: f.images, labels: f.labels,
      settings: AccuracySettings(times: [Self.oneYear], repeats: 6, seed: 21, compensation: [false]))
    let drops = try #require(full.points.first).accuracies.map { 100 * (full.fp32Accuracy - $0) }
    let all = SampleStatistics(drops)
    let thresholds = [-1, 0, all.mean - 2 * all.standardDeviation, all.mean, all.mean + all.standardDeviation, 100]
    var stoppedEarly = 0
    var ranAll = 0
    for parallelism in [1, 2] {
      let probe = try MonteCarloAccuracyProbe(
        network: f.network, graph: f.graph, architecture: lh.architecture, images: f.images, labels: f.labels,
        settings: .init(repeats: 6, seed: 21, compensated: false, parallelism: parallelism))
      for threshold in thresholds {
        var n = 6
        for k in 3...6 {
          let s = SampleStatistics(Array(drops.prefix(k)))
          if s.confidenceLow > threshold || s.confidenceHigh < threshold {
            n = k
            break
          }
        }
        let drop = try await probe.drop(of: mapping, at: Self.oneYear, threshold: threshold)
        let expected = SampleStatistics(Array(drops.prefix(n)))
        #expect(drop.repeats == n, "threshold \(threshold)")
        #expect(drop.points == expected.mean && drop.low95 == expected.confidenceLow && drop.high95 == expected.confidenceHigh)
        if n < 6 { stoppedEarly += 1 } else { ranAll += 1 }
      }
    }
    #expect(stoppedEarly >= 4 && ranAll >= 2, "both outcomes exercised: \(stoppedEarly) early, \(ranAll) full")
  }

  /// The deployment-lowered graph (BatchNorm folded, activations fused) keeps the product names:
  /// the same tiers for the same products give the same drop bit for bit.
  @Test(.enabled(if: fashionMNISTAvailable, "needs: \(FashionMNIST.installHint)"))
  func theDeploymentLoweredGraphGivesTheSameDrop() async throws {
    let f = try LeNetFixture(images: 100)
    let lh = try LionHeart()
    let lowered = try f.graph.loweredForDeployment().graph
    #expect(lowered.operators.count < f.graph.operators.count, "activations were fused")
    let tiers: [Placement] = [.on(lh.pcm), .on(lh.cpu), .on(lh.pcm), .on(lh.cpu), .on(lh.pcm)]
    var results: [AccuracyDrop] = []
    for graph in [f.graph, lowered] {
      let probe = try MonteCarloAccuracyProbe(
        network: f.network, graph: graph, architecture: lh.architecture, images: f.images, labels: f.labels,
        settings: .init(repeats: 2, seed: 4))
      results.append(try await probe.drop(of: plan(graph, host: lh.cpu, products: tiers), at: Self.oneYear))
    }
    #expect(results[0] == results[1])
  }

  /// The ONNX interpreter is a network like any other: its probe drop equals `evaluate` on it.
  @Test(.enabled(if: fashionMNISTAvailable, "needs: \(FashionMNIST.installHint)"))
  func theONNXInterpreterRunsThroughTheSameRepeats() async throws {
    let f = try LeNetFixture(images: 60)
    let lh = try LionHeart()
    let executor = try ONNXExecutor.load(path: checkpoint("lenet5"))
    let mapping = plan(f.graph, host: lh.cpu, products: [.on(lh.pcm), .on(lh.pcm)])
    let expected = try MappingAccuracy.evaluate(
      network: executor, assignments: OperatorAssignment.from(mapping: mapping, graph: f.graph),
      architecture: lh.architecture, images: f.images, labels: f.labels,
      settings: AccuracySettings(times: [Self.oneYear], repeats: 2, seed: 2, compensation: [false], batchSize: 30))
    let probe = try MonteCarloAccuracyProbe(
      network: executor, graph: f.graph, architecture: lh.architecture, images: f.images, labels: f.labels,
      settings: .init(repeats: 2, seed: 2, batchSize: 30, compensated: false))
    let drop = try await probe.drop(of: mapping, at: Self.oneYear)
    let drops = SampleStatistics(try #require(expected.points.first).accuracies.map { 100 * (expected.fp32Accuracy - $0) })
    #expect(drop.points == drops.mean && drop.high95 == drops.confidenceHigh && drop.referenceAccuracy == expected.fp32Accuracy)
  }

  /// Every bad input is one ConfigError naming what is wrong (no data set needed: random
  /// weights and images).
  @Test func badInputsAreConfigErrors() async throws {
    let network = try Network.zoo("lenet5", seed: 1)
    let graph = try ModelZoo.model(named: "lenet5").graph(ZooOptions(batch: 1))
    let lh = try LionHeart()
    var rng = SplitMix64(seed: 9)
    let images = HybrixNumerics.Tensor.randomNormal([4, 1, 28, 28], rng: &rng)
    let labels = [0, 1, 2, 3]
    func probe(
      graph g: Graph = graph, labels l: [Int] = labels, settings: MonteCarloAccuracyProbe.Settings = .init(repeats: 1)
    ) throws(ConfigError) -> MonteCarloAccuracyProbe {
      try MonteCarloAccuracyProbe(
        network: network, graph: g, architecture: lh.architecture, images: images, labels: l, settings: settings)
    }
    func path(_ body: () async throws -> Void) async -> String? {
      do {
        try await body()
        return nil
      } catch let error as ConfigError {
        return error.path
      } catch {
        return "not a ConfigError: \(error)"
      }
    }
    let p = try probe()
    let ops = graph.operators.count
    let conv2 = try #require(graph.operators.firstIndex { $0.name == "conv2" })
    var renamed = graph
    renamed.operators[conv2].name = "conv2b"
    var missing = graph
    missing.operators.remove(at: conv2)
    let cases: [(String, String?)] = [
      ("operator -1", await path { _ = try await p.sensitivity(operator: -1, tier: lh.pcm, at: .seconds(1)) }),
      ("operator count", await path { _ = try await p.sensitivity(operator: ops, tier: lh.pcm, at: .seconds(1)) }),
      ("tier 2", await path { _ = try await p.sensitivity(operator: 0, tier: 2, at: .seconds(1)) }),
      ("negative time", await path { _ = try await p.sensitivity(operator: 0, tier: lh.pcm, at: .seconds(-1)) }),
      ("plan tier 7", await path { _ = try await p.drop(of: .uniform(7, operators: ops), at: .seconds(1)) }),
      ("plan too short", await path { _ = try await p.drop(of: .uniform(lh.pcm, operators: 2), at: .seconds(1)) }),
      ("NaN threshold", await path { _ = try await p.drop(of: .uniform(lh.pcm, operators: ops), at: .seconds(1), threshold: .nan) }),
      ("renamed product", await path { _ = try probe(graph: renamed) }),
      ("missing product", await path { _ = try probe(graph: missing) }),
      ("labels", await path { _ = try probe(labels: [0, 1]) }),
      ("repeats 0", await path { _ = try probe(settings: .init(repeats: 0)) }),
      ("parallelism 0", await path { _ = try probe(settings: .init(parallelism: 0)) }),
    ]
    let expected: [String: String] = [
      "operator -1": "operator", "operator count": "operator", "tier 2": "tier", "negative time": "time",
      "plan tier 7": "mapping", "plan too short": "mapping", "NaN threshold": "threshold",
      "renamed product": "graph.operators[\(conv2)](conv2b)", "missing product": "network.conv2",
      "labels": "images", "repeats 0": "accuracy_probe.repeats", "parallelism 0": "accuracy_probe.parallelism",
    ]
    #expect(cases.count == expected.count)
    for (name, found) in cases { #expect(found == expected[name], "\(name)") }
  }
}
