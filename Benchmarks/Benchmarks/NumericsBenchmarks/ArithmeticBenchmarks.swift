import Benchmark
import Devices
import HybrixCore
import HybrixNumerics

/// The small CNN's largest training product, [64·196, 288]·[288, 64] (conv2 over a batch of 64),
/// through each arithmetic that training can use, beside the exact Float32 GEMM.
func arithmeticBenchmarks() {
  for name in ["fp32", "rns", "rrns", "analog6", "fixed6", "pcm"] {
    Benchmark("conv2 training product [12544,288]·[288,64] \(name)", configuration: .init(metrics: [.wallClock, .cpuUser], maxDuration: .seconds(3))) { benchmark in
      var rng = SplitMix64(seed: 1)
      let x = Tensor.randomNormal([64 * 196, 288], rng: &rng)
      let w = Tensor.randomNormal([288, 64], std: 0.05, rng: &rng)
      guard var arithmetic = try? ArithmeticRegistry.make(name, seed: 1) else { preconditionFailure("arithmetic \(name)") }
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        blackHole(arithmetic.multiply(x, w, role: .forward))
      }
      benchmark.stopMeasurement()
    }
  }
}
