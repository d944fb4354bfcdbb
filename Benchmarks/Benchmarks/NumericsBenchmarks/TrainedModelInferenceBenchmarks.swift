import Benchmark
import Devices
import Execution
import Foundation
import HybrixCore
import HybrixNumerics

/// FP32 and PCM-noisy inference of the three trained Fashion-MNIST models of issue 14
/// (`models/resnet20-fm.onnx` and `models/tiny-transformer-fm.onnx` on the ONNX executor,
/// `models/vgg-fm.onnx` on the chain ``Network``) over the 10 000 test images, batch 256, one
/// thread. Compare the FP32 rows with onnxruntime on one thread
/// (`python3 Benchmarks/onnxruntime/fp32_reference.py`); target ≤ 2× its CPU time. The PCM rows
/// put every conv/linear on an aihwkit PCM tile read 1 day after programming (one Monte-Carlo
/// repeat); target ≤ 1.5× the FP32 row. Images/s = 10 000 / wall time.
func trainedModelInferenceBenchmarks() {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  for model in ["resnet20-fm", "vgg-fm", "tiny-transformer-fm"] {
    let path = root.appendingPathComponent("models/\(model).onnx").path
    for pcm in [false, true] {
      Benchmark(
        "\(model) Fashion-MNIST test set (10000 images) \(pcm ? "PCM 1 d" : "FP32")",
        configuration: .init(metrics: [.wallClock, .cpuUser], maxDuration: .seconds(120), maxIterations: 2)
      ) { benchmark in
        guard let data = try? FashionMNIST.load(split: .test) else {
          preconditionFailure("needs dataset-fashion-mnist")
        }
        let net: any ProductNetwork
        if let chain = try? Network.load(onnx: path) {
          net = chain
        } else if let graph = try? ONNXExecutor.load(path: path) {
          net = graph
        } else {
          preconditionFailure("cannot load \(path)")
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
          guard let accuracy = try? run.accuracy(images: data.images, labels: data.labels, batchSize: 256) else {
            preconditionFailure("inference of \(model) failed")
          }
          blackHole(accuracy)
        }
        benchmark.stopMeasurement()
      }
    }
  }
}
