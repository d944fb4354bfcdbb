import Workloads

/// What deployment lowering did to the graph a report describes (the reports' optional
/// `deploymentLowering` field; absent for training graphs, which are never lowered).
public struct DeploymentLoweringInfo: Codable, Sendable, Hashable {
  /// Whether the graph was lowered; `false` when `--no-fusion` kept it as built.
  public var applied: Bool
  /// Batch normalizations folded into the convolution or matmul before them.
  public var foldedNormalizations: Int
  /// Unary activations fused into the output stage of the matrix product before them.
  public var fusedActivations: Int

  public init(applied: Bool, foldedNormalizations: Int = 0, fusedActivations: Int = 0) {
    self.applied = applied
    self.foldedNormalizations = foldedNormalizations
    self.fusedActivations = fusedActivations
  }

  /// The record of a lowering that was applied.
  public init(_ lowering: DeploymentLowering) {
    self.init(
      applied: true, foldedNormalizations: lowering.foldedNormalizations,
      fusedActivations: lowering.fusedActivations)
  }

  /// One line for the text reports.
  public var line: String {
    guard applied else {
      return "deployment lowering off (--no-fusion): BatchNorms and activations run as "
        + "separate operators"
    }
    let f = foldedNormalizations
    let a = fusedActivations
    return "deployment lowering: \(f) BatchNorm\(f == 1 ? "" : "s") folded, "
      + "\(a) activation\(a == 1 ? "" : "s") fused (--no-fusion to keep them)"
  }
}

extension Array where Element == FusedOperator {
  /// `nil` when empty, so that reports of unlowered graphs carry no `fused` key.
  var nonEmpty: [FusedOperator]? { isEmpty ? nil : self }
}

extension DeploymentLoweringInfo {
  /// The record for a loaded workload: `nil` for a training graph, which is never lowered.
  public init?(_ loaded: WorkloadRequest.Loaded) {
    guard let applied = loaded.loweringApplied else { return nil }
    if applied, let lowering = loaded.lowering { self.init(lowering) } else { self.init(applied: false) }
  }
}
