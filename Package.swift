// swift-tools-version: 6.1
import PackageDescription
import class Foundation.ProcessInfo

let package = Package(
  name: "Hybrix",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "hybrix", targets: ["hybrix"]),
    .library(name: "HybrixCore", targets: ["HybrixCore"]),
    .library(name: "Workloads", targets: ["Workloads"]),
    .library(name: "Hardware", targets: ["Hardware"]),
    .library(name: "HybrixNumerics", targets: ["HybrixNumerics"]),
    .library(name: "Devices", targets: ["Devices"]),
    .library(name: "Execution", targets: ["Execution"]),
    .library(name: "Mapping", targets: ["Mapping"]),
    .library(name: "Search", targets: ["Search"]),
    .library(name: "Reports", targets: ["Reports"]),
    .library(name: "Sweep", targets: ["Sweep"]),
    .library(name: "Reproduction", targets: ["Reproduction"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
  ],
  targets: [
    .target(name: "HybrixCore"),
    .target(name: "Workloads", dependencies: ["HybrixCore"]),
    .target(name: "HybrixNumerics", dependencies: ["HybrixCore"]),
    .target(name: "Devices", dependencies: ["HybrixCore", "HybrixNumerics"]),
    .target(name: "Hardware", dependencies: ["HybrixCore", .product(name: "Yams", package: "Yams")]),
    .target(name: "Execution", dependencies: ["HybrixCore", "Workloads", "HybrixNumerics", "Devices"]),
    .target(name: "Mapping", dependencies: ["HybrixCore", "Workloads", "Hardware", "HybrixNumerics", "Devices", "Execution"]),
    .target(
      name: "Search",
      dependencies: ["HybrixCore", "Workloads", "Hardware", "HybrixNumerics", "Execution", "Mapping"]),
    .target(name: "Reports", dependencies: ["HybrixCore", "Workloads", "Hardware", "Mapping", "Search"]),
    // SQLite is loaded at run time (Sources/Sweep/SQLiteLibrary.swift): no header or pkg-config needed.
    .target(
      name: "Sweep",
      dependencies: [
        "HybrixCore", "Workloads", "Hardware", "Mapping", "Search", "Reports",
        .product(name: "Yams", package: "Yams"),
      ]),
    // Each paper's experiment beside its figures (`hybrix reproduce`).
    .target(
      name: "Reproduction",
      dependencies: ["HybrixCore", "Workloads", "Hardware", "HybrixNumerics", "Execution", "Mapping", "Search", "Reports"]),
    .target(
      name: "HybrixCLI",
      dependencies: [
        "HybrixCore", "Workloads", "Hardware", "HybrixNumerics", "Devices", "Execution", "Mapping", "Search",
        "Reports", "Sweep", "Reproduction", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .executableTarget(name: "hybrix", dependencies: ["HybrixCLI"]),
    .testTarget(
      name: "HybrixCoreTests",
      dependencies: [
        "HybrixCore", .product(name: "PropertyBased", package: "swift-property-based"),
      ]),
    .testTarget(
      name: "WorkloadsTests",
      dependencies: [
        "Workloads", "HybrixCore",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]),
    .testTarget(
      name: "HardwareTests",
      dependencies: [
        "Hardware", "HybrixCore", .product(name: "PropertyBased", package: "swift-property-based"),
      ]),
    .testTarget(
      name: "HybrixNumericsTests",
      dependencies: [
        "HybrixNumerics", "HybrixCore", .product(name: "PropertyBased", package: "swift-property-based"),
      ]),
    .testTarget(
      name: "DevicesTests",
      dependencies: [
        "Devices", "HybrixNumerics", "HybrixCore",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]),
    .testTarget(
      name: "ExecutionTests",
      dependencies: [
        "Execution", "Devices", "HybrixNumerics", "Workloads", "HybrixCore",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]),
    .target(name: "HybrixTestSupport", dependencies: ["Hardware", "HybrixCore", "Workloads"], path: "Tests/HybrixTestSupport"),
    .testTarget(
      name: "MappingTests",
      dependencies: [
        "Mapping", "Search", "Hardware", "Devices", "Workloads", "HybrixNumerics", "Execution", "HybrixCore",
        "HybrixTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "SearchTests",
      dependencies: [
        "Search", "Mapping", "Hardware", "Workloads", "Execution", "HybrixNumerics", "Devices", "HybrixCore",
        "HybrixTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
      ]),
    .testTarget(
      name: "ReportsTests", dependencies: ["Reports", "Workloads", "HybrixCore", "Hardware", "Mapping", "Search"],
      exclude: ["Snapshots"]),
    .testTarget(name: "HybrixCLITests", dependencies: ["HybrixCLI", "Workloads", "Reports", "Hardware", "Search", "Reproduction"]),
    .testTarget(
      name: "SweepTests",
      dependencies: ["Sweep", "HybrixCLI", "Hardware", "Workloads", "Reports", "HybrixCore"]),
  ]
)

// libFuzzer targets (docs/fuzzing.md), only when HYBRIX_FUZZ is set, so that `swift build` never
// builds them: scripts/fuzz builds them with `-sanitize=fuzzer` into .build-fuzz and runs them.
if ProcessInfo.processInfo.environment["HYBRIX_FUZZ"] != nil {
  package.targets += [
    .target(name: "FuzzDriver", path: "Fuzz/Driver"),
    .executableTarget(name: "fuzz-onnx", dependencies: ["FuzzDriver", "Workloads", "HybrixCore"], path: "Fuzz/ONNX"),
    .executableTarget(name: "fuzz-architecture", dependencies: ["FuzzDriver", "Hardware", "HybrixCore"], path: "Fuzz/Architecture"),
    .executableTarget(name: "fuzz-sweep-plan", dependencies: ["FuzzDriver", "Sweep", "HybrixCore"], path: "Fuzz/SweepPlan"),
  ]
}
