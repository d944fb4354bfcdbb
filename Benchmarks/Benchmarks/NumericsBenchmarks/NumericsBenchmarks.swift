import Benchmark

let benchmarks: @Sendable () -> Void = {
  gemmBenchmarks()
  arithmeticBenchmarks()
  noisyInferenceBenchmarks()
  trainedModelInferenceBenchmarks()
}
