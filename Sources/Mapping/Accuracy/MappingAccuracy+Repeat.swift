import Execution
import Hardware
import HybrixCore
import HybrixNumerics

extension MappingAccuracy {
  /// The placement of every product operator of `network`, in the network's order (index `oi`
  /// of the result is the `oi` that seeds the operator's arithmetic).
  ///
  /// - Throws: ``ConfigError`` when a product operator has no placement or a share names a tier
  ///   the architecture does not have.
  package static func productAssignments(
    network: some ProductNetwork, assignments: [OperatorAssignment], architecture: Architecture
  ) throws(ConfigError) -> [OperatorAssignment] {
    let byName = Dictionary(assignments.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    var productAssignments: [OperatorAssignment] = []
    for name in network.productOperatorNames {
      guard let a = byName[name] else {
        throw ConfigError(
          path: "mapping", message: "operator \(name) of the network has no placement",
          expected: "a placement for every conv/matmul operator",
          hint: "map the same model (the names must match the network's operators)")
      }
      for s in a.shares where !architecture.tiers.indices.contains(s.tier) {
        throw ConfigError(path: "mapping.\(name)", message: "tier index \(s.tier)", expected: "0..<\(architecture.tiers.count)")
      }
      productAssignments.append(a)
    }
    return productAssignments
  }

  /// Test accuracy (fraction correct, 0…1) of Monte-Carlo repeat `r`: each listed operator gets
  /// the arithmetic of its placement seeded from (`seed`, `r`, its index in the network's product
  /// operators), the devices are programmed and read at `time`, and `images` run in batches of
  /// `batchSize`. Product operators not listed keep the arithmetic `network` has (``evaluate``
  /// lists every one; a caller that passes an exact network may list only the modelled ones:
  /// an operator whose placement has no numerical model gets `nil` either way).
  ///
  /// This is the one place a repeat's number is computed: ``evaluate`` and the search's accuracy
  /// probe both call it, so the same (seed, repeat, placement) gives the same accuracy bit for bit.
  package static func repeatAccuracy<N: ProductNetwork>(
    network: N, operators: [(offset: Int, element: OperatorAssignment)], architecture: Architecture,
    time: Time, compensated: Bool, seed: UInt64, repeat r: Int, images: HybrixNumerics.Tensor,
    labels: [Int], batchSize: Int
  ) throws(ConfigError) -> Double {
    var run = network
    for (oi, a) in operators {
      let model = try arithmetic(
        for: a, architecture: architecture, time: time, compensated: compensated,
        seed: deriveSeed(seed, r, oi))
      try run.setArithmetic(model, for: a.name)
    }
    run.realizeWeights()
    return try run.accuracy(images: images, labels: labels, batchSize: batchSize)
  }
}
