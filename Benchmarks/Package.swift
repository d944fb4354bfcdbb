// swift-tools-version: 6.1
// Benchmarks live in their own package so the library stays free of benchmark dependencies.
// Run: cd Benchmarks && swift package --allow-writing-to-package-directory benchmark
import PackageDescription

let package = Package(
  name: "HybrixBenchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(name: "Hybrix", path: ".."),
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "MapperBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "Workloads", package: "Hybrix"),
        .product(name: "Hardware", package: "Hybrix"),
        .product(name: "Mapping", package: "Hybrix"),
        .product(name: "Search", package: "Hybrix"),
      ],
      path: "Benchmarks/MapperBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    .executableTarget(
      name: "NumericsBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "HybrixCore", package: "Hybrix"),
        .product(name: "HybrixNumerics", package: "Hybrix"),
        .product(name: "Devices", package: "Hybrix"),
        .product(name: "Execution", package: "Hybrix"),
      ],
      path: "Benchmarks/NumericsBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
  ]
)
