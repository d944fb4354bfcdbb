import Execution
import Hardware
import HybrixCore
import HybrixNumerics
import Mapping
import Synchronization
import Workloads

/// The accuracy oracle of the search seam: how far a mapping's Monte-Carlo test accuracy falls
/// below the exact (all-digital FP32) model's, on real test images with trained weights.
///
/// Every number comes from ``MappingAccuracy``'s per-repeat evaluation (the one `hybrix accuracy`
/// reports): repeat r gives operator i the arithmetic of its tier seeded from (seed, r, i), so a
/// probe's ``drop(of:at:)`` equals the drop computed from `MappingAccuracy.evaluate` with the same
/// seed, images, batch size and compensation, bit for bit. The drop of repeat r is
/// 100 × (reference − accuracy of r) percentage points; the result is their mean and 95 % interval
/// (``SampleStatistics``).
///
/// What makes it usable inside a search loop:
/// - the exact model's accuracy is computed once per image count and kept;
/// - a mapping whose every share is on tiers without a numerical model has a drop of exactly 0
///   and runs no repeat;
/// - the accuracies of each repeat are kept by (modelled placements, time, compensation, images),
///   so asking again — or asking for more repeats, or a sensitivity already measured — only runs
///   the repeats not yet run;
/// - repeats run ``Settings/parallelism`` at a time, each on its own copy of the network; results
///   are gathered by repeat index, so they do not depend on the parallelism or the call order;
/// - ``drop(of:at:threshold:)`` stops as soon as the 95 % interval lies entirely above or below a
///   threshold (after at least 3 repeats).
///
/// Operator indices are those of ``graph``. The graph may be the network's graph as built or its
/// deployment lowering (``Workloads/Graph/loweredForDeployment()``): product operators keep their
/// names there. Operators that hold no product of the network (pooling, activations, attention
/// products of two activations) have no numerical model and a drop of 0.
public final class MonteCarloAccuracyProbe: AccuracyProbe {
  /// The graph whose operator indices the probe's API speaks.
  public let graph: Graph
  public let architecture: Architecture
  public let settings: Settings
  /// The network with every product exact; each repeat runs a copy.
  let network: any ProductNetwork
  /// The test images in use (after ``Settings/imageLimit``) and their labels.
  let images: HybrixNumerics.Tensor
  let labels: [Int]
  /// For each operator of ``graph``, its index among the network's product operators (what
  /// seeds its arithmetic), or `nil` when it holds no product of the network.
  let productIndex: [Int?]
  let cache = Mutex(Cache())

  /// A probe for `network` mapped as `graph`'s operators onto `architecture`, measured on
  /// `images` `[N, …]` with their `labels`.
  ///
  /// - Throws: ``ConfigError`` for settings out of range, images and labels that disagree, a
  ///   conv or matrix product with a static weight in `graph` that the network does not hold
  ///   under the same name, or a product of the network that `graph` does not have.
  public init(
    network: any ProductNetwork, graph: Graph, architecture: Architecture,
    images: HybrixNumerics.Tensor, labels: [Int], settings: Settings = Settings()
  ) throws(ConfigError) {
    try settings.validate()
    guard images.rank >= 2, images.shape[0] == labels.count, !labels.isEmpty else {
      throw ConfigError(
        path: "images", message: "\(labels.count) labels for images of shape \(images.shape)",
        expected: "images [N, …] with N ≥ 1 and one label per image",
        hint: "load a split with FashionMNIST.load and pass its images and labels together")
    }
    let count = min(labels.count, settings.imageLimit ?? labels.count)
    let sample = images.count / images.shape[0]
    self.labels = Array(labels.prefix(count))
    self.images =
      count == labels.count
      ? images
      : HybrixNumerics.Tensor(
        shape: [count] + images.shape.dropFirst(), scalars: Array(images.scalars.prefix(count * sample)))
    self.productIndex = try Self.productIndices(network: network, graph: graph)
    var exact = network
    for name in network.productOperatorNames { try exact.setArithmetic(nil, for: name) }
    self.network = exact
    self.graph = graph
    self.architecture = architecture
    self.settings = settings
  }

  /// Test images a ``drop(of:at:)`` runs.
  public var imageCount: Int { labels.count }
  /// Test images a ``sensitivity(operator:tier:at:)`` runs.
  public var sensitivityImageCount: Int { min(settings.sensitivityImages, labels.count) }

  /// Accuracy of the exact model on the probe's images (fraction correct, 0…1); computed once.
  public func referenceAccuracy() async throws(ConfigError) -> Double {
    try await reference(images: imageCount)
  }

  /// The drop when only graph operator `op` runs on tier `tier` and every other operator is
  /// exact, on the first ``sensitivityImageCount`` images over ``Settings/sensitivityRepeats``
  /// repeats. Kept, so asking again costs nothing.
  public func sensitivity(operator op: Int, tier: Int, at time: Time) async throws(ConfigError)
    -> AccuracyDrop
  {
    try checkOperator(op)
    try checkTier(tier, path: "tier")
    try checkTime(time)
    var modelled: [ModelledOperator] = []
    if let oi = productIndex[op] {
      let a = OperatorAssignment(name: graph.operators[op].name, shares: [TierShare(tier: tier, fraction: 1)])
      if try isModelled(a, time: time) { modelled.append(ModelledOperator(index: oi, assignment: a)) }
    }
    return try await measure(
      modelled, time: time, images: sensitivityImageCount, repeats: settings.sensitivityRepeats,
      threshold: nil)
  }

  /// The Monte-Carlo drop of `plan` over ``Settings/repeats`` repeats of every image.
  public func drop(of plan: MappingPlan, at time: Time) async throws(ConfigError) -> AccuracyDrop {
    try await measure(
      try modelledOperators(plan, time: time), time: time, images: imageCount,
      repeats: settings.repeats, threshold: nil)
  }

  /// The drop of `plan`, stopping once the 95 % interval of the mean drop lies entirely above or
  /// entirely below `threshold` (percentage points) after at least 3 repeats, or after
  /// ``Settings/repeats``. ``AccuracyDrop/repeats`` says how many it used. The stopping point is a
  /// function of the repeats in order, so it does not depend on the parallelism.
  public func drop(of plan: MappingPlan, at time: Time, threshold: Double) async throws(ConfigError)
    -> AccuracyDrop
  {
    guard threshold.isFinite else {
      throw ConfigError(
        path: "threshold", message: "\(threshold)", expected: "a finite accuracy drop in percentage points")
    }
    return try await measure(
      try modelledOperators(plan, time: time), time: time, images: imageCount,
      repeats: settings.repeats, threshold: threshold)
  }
}
