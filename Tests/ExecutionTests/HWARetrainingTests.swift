import Foundation
import HybrixCore
import HybrixNumerics
import Testing

@testable import Execution

/// LionHeart's HWA retraining pieces: SGD's per-tensor learning-rate scales (parameter groups),
/// parameter owners, and the determinism of a retraining run.
@Suite struct HWARetrainingTests {
  static func tensor(_ shape: [Int], _ rng: inout SplitMix64) -> Tensor {
    let n = shape.reduce(1, *)
    return Tensor(shape: shape, scalars: (0..<n).map { _ in Float(Double(rng.next() % 2001) / 1000 - 1) })
  }

  /// Two parameter groups (scales 1 and 0.1) update exactly as two separate SGD optimizers, one
  /// per group at learning rates η and η·0.1, over several momentum steps with a changing η.
  @Test func twoGroupsUpdateAsTwoOptimizers() {
    var rng = SplitMix64(seed: 7)
    let shapes = [[3, 4], [4], [5, 2], [2], [6]]
    let analog: Set<Int> = [0, 1, 4]
    let scale: Float = 0.1
    var grouped = SGD(
      learningRate: 0.01, momentum: 0.85, weightDecay: 1e-4, learningRateScales: shapes.indices.map { analog.contains($0) ? scale : 1 })
    var digital = SGD(learningRate: 0.01, momentum: 0.85, weightDecay: 1e-4)
    var analogSGD = SGD(learningRate: 0.01 * scale, momentum: 0.85, weightDecay: 1e-4)
    var p = shapes.map { Self.tensor($0, &rng) }
    var pd = shapes.indices.filter { !analog.contains($0) }.map { p[$0] }
    var pa = shapes.indices.filter { analog.contains($0) }.map { p[$0] }
    var compared = 0
    for step in 0..<5 {
      let g = shapes.map { Self.tensor($0, &rng) }
      let lr: Float = 0.01 * Float(0.5 * (1 + cos(Double.pi * Double(step) / 5)))
      grouped.learningRate = lr
      digital.learningRate = lr
      analogSGD.learningRate = lr * scale
      grouped.update(&p, gradients: g)
      digital.update(&pd, gradients: shapes.indices.filter { !analog.contains($0) }.map { g[$0] })
      analogSGD.update(&pa, gradients: shapes.indices.filter { analog.contains($0) }.map { g[$0] })
      let expected = shapes.indices.map { i in
        analog.contains(i) ? pa[shapes.indices.filter { analog.contains($0) }.firstIndex(of: i)!] : pd[shapes.indices.filter { !analog.contains($0) }.firstIndex(of: i)!]
      }
      for (a, b) in zip(p, expected) {
        #expect(a.scalars.map(\.bitPattern) == b.scalars.map(\.bitPattern), "step \(step)")
        compared += 1
      }
    }
    #expect(compared == 25)
    // Scales of 1 everywhere are plain SGD.
    var plain = SGD(learningRate: 0.02, momentum: 0.9)
    var ones = SGD(learningRate: 0.02, momentum: 0.9, learningRateScales: [1, 1, 1, 1, 1])
    var q1 = shapes.map { Self.tensor($0, &rng) }
    var q2 = q1
    let g = shapes.map { Self.tensor($0, &rng) }
    plain.update(&q1, gradients: g)
    ones.update(&q2, gradients: g)
    #expect(q1 == q2)
  }

  @Test func parameterOwnersCoverEveryTensor() throws {
    let chain = try Network.zoo("lenet5", seed: 1)
    #expect(chain.parameterOwners.count == chain.parameters.count)
    #expect(Set(chain.parameterOwners).isSuperset(of: chain.productOperatorNames))
    let graph = try GraphNetwork.zoo("small-cnn", seed: 1)
    #expect(graph.parameterOwners.count == graph.parameters.count)
    #expect(Set(graph.parameterOwners).isSuperset(of: graph.productOperatorNames))
  }

  static func data(_ n: Int, seed: UInt64) -> Dataset {
    var rng = SplitMix64(seed: seed)
    let images = Tensor(shape: [n, 1, 28, 28], scalars: (0..<(n * 784)).map { _ in Float(rng.next() % 256) / 255 })
    return Dataset(images: images, labels: (0..<n).map { $0 % 10 }, classNames: (0..<10).map(String.init))
  }

  /// The same start, analog set, data and stream give the same weights bit for bit; another
  /// stream other weights; the returned weights have every product exact; digital-only
  /// parameters move at the digital rate, analog ones at a tenth of it (first step: w − η·s·g).
  @Test func retrainingIsDeterministicAndUsesTwoRates() throws {
    let start = try Network.zoo("lenet5", seed: 3)
    let train = Self.data(24, seed: 5)
    let settings = HWARetrainingSettings(steps: 2, rounds: 2, batchSize: 8, seed: 1)
    func run(_ stream: UInt64) throws -> [String] {
      var r = try HWARetrainingRun(network: start, analog: ["conv2", "fc1"], training: train, settings: settings, stream: stream)
      return try (0..<2).map { _ in
        let n = try r.round()
        #expect(n.productOperatorNames.allSatisfy { ((n as? Network)?.arithmetic(for: $0)) == nil })
        return n.parameterDigest
      }
    }
    let a = try run(11)
    #expect(a == (try run(11)))
    #expect(a != (try run(12)))
    #expect(a[0] != a[1] && a[0] != start.parameterDigest)
    // One exact step (no analog operator): the update is w − η·g for every tensor (velocity = g).
    var one = HWARetrainingSettings(steps: 1, rounds: 1, batchSize: 8, seed: 1)
    one.analogLearningRate = 1e-3
    var r = try HWARetrainingRun(network: start, analog: [], training: train, settings: one, stream: 4)
    var order = SplitMix64(seed: 4).split(taskIndex: 1)
    var batches = train.batches(size: 8, rng: &order)
    let next = batches.next()
    let batch = try #require(next)
    var fresh = start
    let out = fresh.forward(batch.images, training: true)
    let (_, dLogits) = SoftmaxCrossEntropy.lossAndGradient(logits: out, labels: batch.labels)
    fresh.backward(dLogits)
    let expected = zip(start.parameters, fresh.gradients).map { w, g in
      Tensor(shape: w.shape, scalars: zip(w.scalars, g.scalars).map { $0 - Float(0.01) * $1 })
    }
    let got = try r.round().parameters
    #expect(got.count == expected.count)
    #expect(zip(got, expected).allSatisfy { $0.scalars.map(\.bitPattern) == $1.scalars.map(\.bitPattern) })
    // With an analog set, the analog operators' tensors get the analog/digital ratio.
    let mixed = try HWARetrainingRun(network: start, analog: ["conv2"], training: train, settings: one, stream: 4)
    let owners = start.parameterOwners
    #expect(mixed.optimizer.learningRateScales == owners.map { $0 == "conv2" ? Float(1e-3) / Float(1e-2) : 1 })
    #expect(owners.filter { $0 == "conv2" }.count == 2)
  }

  @Test func badSettingsAreOneClearError() throws {
    let start = try Network.zoo("lenet5", seed: 3)
    let cases: [(HWARetrainingSettings, String)] = [
      (HWARetrainingSettings(steps: 0), "--retrain-steps"),
      (HWARetrainingSettings(steps: 1, rounds: 0), "--retrain-rounds"),
      (HWARetrainingSettings(steps: 1, patience: 0), "--patience"),
    ]
    for (s, path) in cases {
      #expect(throws: ConfigError.self) { try HWARetrainingRun(network: start, analog: [], training: Self.data(4, seed: 1), settings: s, stream: 1) }
      do { try s.validate() } catch { #expect(error.path == path) }
    }
    let empty = Dataset(images: Tensor(shape: [0, 1, 28, 28], scalars: []), labels: [], classNames: ["a"])
    #expect(throws: ConfigError.self) { try HWARetrainingRun(network: start, analog: [], training: empty, settings: HWARetrainingSettings(steps: 1), stream: 1) }
    #expect(throws: ConfigError.self) { try HWARetrainingRun(network: start, analog: ["nope"], training: Self.data(4, seed: 1), settings: HWARetrainingSettings(steps: 1), stream: 1) }
  }

  /// A graph network's probe network (the ONNX interpreter over its own encoding) has the same
  /// product operators and gives the same logits (up to summation order).
  @Test func graphInferenceNetworkMatchesTheGraph() throws {
    var graph = try GraphNetwork.zoo("resnet20-fm", seed: 2)
    var onnx = try graph.inferenceNetwork()
    #expect(onnx is ONNXExecutor)
    #expect(onnx.productOperatorNames == graph.productOperatorNames)
    let x = Self.data(3, seed: 9).images
    let a = try graph.infer(x)
    let b = try onnx.infer(x)
    #expect(a.shape == b.shape && a.count == 30)
    let worst = zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? .infinity
    #expect(worst < 1e-3 * max(1, a.scalars.map(abs).max() ?? 1), "largest difference \(worst)")
    var chain = try Network.zoo("lenet5", seed: 1)
    let same = try chain.inferenceNetwork()
    #expect((same as? Network)?.parameterDigest == chain.parameterDigest)
    _ = try chain.infer(x)
  }
}
