import Benchmark
import Devices
import Execution
import Foundation
import HybrixCore
import HybrixNumerics

/// Noisy inference throughput (issue 4): the trained small CNN (`models/small-cnn.onnx`) over the
/// whole Fashion-MNIST test set (10 000 images), clean and with every conv/linear layer on a PCM
/// tile read 1 day after programming (programmed once per run, as one Monte-Carlo repeat).
/// Target: PCM-noisy inference < 1.5× the clean inference. Images/s = 10 000 / wall time.
func noisyInferenceBenchmarks() {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  let checkpoint = root.appendingPathComponent("models/small-cnn.onnx").path
  for pcm in [false, true] {
    Benchmark("small-cnn Fashion-MNIST test set (10000 images) \(pcm ? "PCM 1 d" : "clean")", configuration: .init(metrics: [.wallClock, .cpuUser], maxDuration: .seconds(60), maxIterations: 3)) { benchmark in
      guard let data = try? FashionMNIST.load(split: .test), let net = try? Network.load(onnx: checkpoint) else {
        preconditionFailure("needs dataset-fashion-mnist and \(checkpoint)")
      }
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        var run = net
        if pcm {
          for (i, name) in run.productOperatorNames.enumerated() {
            try? run.setArithmetic(try? AnalogTileArithmetic(seed: UInt64(i + 1)), for: name)
          }
          run.realizeWeights()
        }
        guard let accuracy = try? run.accuracy(images: data.images, labels: data.labels, batchSize: 100) else {
          preconditionFailure("inference of the small CNN failed")
        }
        blackHole(accuracy)
      }
      benchmark.stopMeasurement()
    }
  }
}
