import Benchmark
import HybrixCore
import HybrixNumerics

/// SGEMM throughput at 512³ and 1024³ on every backend this machine has (issue 4).
///
/// Each iteration is one n×n×n product, 2n³ floating-point operations; the benchmark's
/// throughput (iterations/s) × 2n³ is the GFLOP/s figure. Peak of one core of this machine
/// (AMD EPYC, Zen 5, 2.6 GHz, two 512-bit FMA pipes): 2 × 16 lanes × 2 flops × 2.6 GHz ≈ 166 GFLOP/s.
func gemmBenchmarks() {
  var backends: [(String, GEMMBackend)] = [("swift", .swift)]
  if let blas = BLASBackend.shared { backends.append(("openblas", .blas(blas))) }
  for n in [512, 1024] {
    for (label, backend) in backends {
      Benchmark("GEMM \(n)³ \(label)", configuration: .init(metrics: [.wallClock, .throughput], maxDuration: .seconds(3))) { benchmark in
        var rng = SplitMix64(seed: 1)
        let a = Tensor.randomNormal([n, n], rng: &rng), b = Tensor.randomNormal([n, n], rng: &rng)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
          blackHole(GEMM.multiply(a, b, backend: backend))
        }
        benchmark.stopMeasurement()
      }
    }
  }
}
