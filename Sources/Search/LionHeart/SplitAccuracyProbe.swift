import HybrixCore
import Mapping

extension MonteCarloAccuracyProbe {
  /// A search's drop: sequential stopping against `threshold` (``drop(of:at:threshold:)``).
  public func searchDrop(of plan: MappingPlan, at time: Time, threshold: Double) async throws(ConfigError)
    -> AccuracyDrop
  {
    try await drop(of: plan, at: time, threshold: threshold)
  }
}

/// Two probes over disjoint images of the same network: a search decides on the `validation`
/// images (``searchDrop(of:at:threshold:)`` with sequential stopping, sensitivities), and the
/// report's figure comes from the `test` images (``drop(of:at:)``, every repeat), which no
/// decision saw. LionHeart's code decides and reports on one split; this keeps them apart.
public struct SplitAccuracyProbe: AccuracyProbe {
  public let validation: MonteCarloAccuracyProbe
  public let test: MonteCarloAccuracyProbe
  /// Which images each probe holds, in words (for reports): "Fashion-MNIST test images 0..<5000".
  public let validationImages: String
  public let testImages: String

  public init(
    validation: MonteCarloAccuracyProbe, test: MonteCarloAccuracyProbe, validationImages: String, testImages: String
  ) {
    self.validation = validation
    self.test = test
    self.validationImages = validationImages
    self.testImages = testImages
  }

  public func sensitivity(operator op: Int, tier: Int, at time: Time) async throws(ConfigError) -> AccuracyDrop {
    try await validation.sensitivity(operator: op, tier: tier, at: time)
  }

  public func drop(of plan: MappingPlan, at time: Time) async throws(ConfigError) -> AccuracyDrop {
    try await test.drop(of: plan, at: time)
  }

  public func searchDrop(of plan: MappingPlan, at time: Time, threshold: Double) async throws(ConfigError)
    -> AccuracyDrop
  {
    try await validation.drop(of: plan, at: time, threshold: threshold)
  }
}
