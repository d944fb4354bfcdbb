// Shared helpers of the Execution tests live here.

// MARK: Network, trainer and checkpoint tests (helperA)

import Foundation
import HybrixCore
import HybrixNumerics

@testable import Execution

/// Whether Debian's Fashion-MNIST is installed; tests that need it skip otherwise, except on CI
/// (env `CI` set), where missing data must fail with the apt-get hint.
let fashionMNISTAvailable =
  FileManager.default.fileExists(atPath: FashionMNIST.defaultDirectory)
  || ProcessInfo.processInfo.environment["CI"] != nil

/// `count` images `[1, 8, 8]` of `classes` classes: class k is a bright 2×2 square at a
/// position of its own plus seeded uniform noise in [0, 0.5).
func syntheticDataset(count: Int, classes: Int = 4, seed: UInt64) -> Dataset {
  var rng = SplitMix64(seed: seed)
  var pixels = [Float](repeating: 0, count: count * 64)
  var labels: [Int] = []
  for i in 0..<count {
    let label = Int(rng.next() % UInt64(classes))
    labels.append(label)
    for p in 0..<64 { pixels[i * 64 + p] = Float(rng.nextUnitDouble() * 0.5) }
    let (row, col) = (2 * (label / 2) + 1, 4 * (label % 2) + 1)
    for dy in 0..<2 {
      for dx in 0..<2 { pixels[i * 64 + (row + dy) * 8 + col + dx] = 1 }
    }
  }
  return Dataset(
    images: Tensor(shape: [count, 1, 8, 8], scalars: pixels), labels: labels,
    classNames: (0..<classes).map { "class \($0)" })
}

/// Seeded uniform inputs in [0, 1) shaped `[n] + sample`.
func randomBatch(_ n: Int, _ sample: [Int], seed: UInt64) -> Tensor {
  var rng = SplitMix64(seed: seed)
  let count = n * sample.reduce(1, *)
  return Tensor(shape: [n] + sample, scalars: (0..<count).map { _ in Float(rng.nextUnitDouble()) })
}

/// A fresh path in the temporary directory.
func temporaryPath(_ name: String) -> String {
  FileManager.default.temporaryDirectory
    .appendingPathComponent("hybrix-\(UUID().uuidString)-\(name)").path
}

/// Exact products that count calls by role and can scale realized weights, to see which
/// products a network routes through its arithmetic.
struct CountingArithmetic: ProductArithmetic {
  var calls: [ProductRole: Int] = [:]
  var realizeScale: Float = 1
  var name: String { "counting" }
  mutating func multiply(_ a: Tensor, _ b: Tensor, role: ProductRole) -> Tensor {
    calls[role, default: 0] += 1
    return GEMM.multiply(a, b)
  }
  mutating func realize(weights: Tensor) -> Tensor { weights.map { $0 * realizeScale } }
}
