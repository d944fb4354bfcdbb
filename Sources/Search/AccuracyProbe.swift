import HybrixCore
import Mapping

/// An accuracy drop measured by Monte-Carlo repeats: how many percentage points the mapped model's
/// test accuracy falls below the all-digital (exact) model's, with the 95 % interval of the mean.
public struct AccuracyDrop: Sendable, Hashable, Codable {
  /// Mean drop over the repeats, percentage points (100 × (reference − mapped accuracy)).
  public var points: Double
  /// The 95 % confidence interval of the mean drop, percentage points.
  public var low95: Double
  public var high95: Double
  /// Accuracy of the all-digital model on the same images (fraction correct, 0…1).
  public var referenceAccuracy: Double
  /// Mean accuracy of the mapped model (fraction correct, 0…1).
  public var meanAccuracy: Double
  /// Repeats run (fewer than asked when sequential stopping decided early).
  public var repeats: Int
  /// Images per repeat.
  public var samples: Int
  /// Seconds after programming at which the devices were read.
  public var atSeconds: Double

  public init(
    points: Double, low95: Double, high95: Double, referenceAccuracy: Double, meanAccuracy: Double,
    repeats: Int, samples: Int, atSeconds: Double
  ) {
    self.points = points
    self.low95 = low95
    self.high95 = high95
    self.referenceAccuracy = referenceAccuracy
    self.meanAccuracy = meanAccuracy
    self.repeats = repeats
    self.samples = samples
    self.atSeconds = atSeconds
  }
}

/// What a strategy calls to learn how a mapping changes the model's accuracy [issue 9]. The
/// driver (``Explorer``) builds one from trained weights and real test data; a problem without
/// one cannot take accuracy goals. Operator indices are those of the problem's graph.
public protocol AccuracyProbe: Sendable {
  /// Cheap: the drop when only operator `op` runs on `tier` (every other operator exact), at
  /// `time` after programming. Operators without a numerical model (not a conv or matrix
  /// product of the network) have a drop of exactly 0.
  func sensitivity(operator op: Int, tier: Int, at time: Time) async throws(ConfigError) -> AccuracyDrop

  /// Expensive: the Monte-Carlo drop of a whole mapping at `time` after programming.
  func drop(of plan: MappingPlan, at time: Time) async throws(ConfigError) -> AccuracyDrop

  /// The drop a search decides on, against `threshold` (points): on the probe's validation
  /// images when it keeps a test split apart, and free to stop early once the answer is clear
  /// (sequential stopping). The default is ``drop(of:at:)``.
  func searchDrop(of plan: MappingPlan, at time: Time, threshold: Double) async throws(ConfigError) -> AccuracyDrop
}

extension AccuracyProbe {
  public func searchDrop(of plan: MappingPlan, at time: Time, threshold: Double) async throws(ConfigError) -> AccuracyDrop {
    try await drop(of: plan, at: time)
  }
}
