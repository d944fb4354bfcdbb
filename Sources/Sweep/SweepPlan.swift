import Hardware
import HybrixCore
import Search
import Workloads

/// A design-space sweep, `version: 1` (docs/sweeps.md, docs/schemas/sweep-plan.v1.schema.json):
/// the cross product of workloads × precisions × architectures (each with its own parameter
/// ranges) × strategies × objectives.
///
/// ```yaml
/// version: 1
/// name: adc-bits
/// workloads:
///   - {model: resnet18, batch: [1, 8]}
/// precisions: [int8]
/// architectures:
///   - arch: h3pimap
///     parameters:
///       tiers.reram0.adc_bits: [6, 7, 8]
/// strategies: [greedy, naive]
/// objectives: [latency, energy]
/// seed: 1
/// ```
public struct SweepPlan: Sendable {
  public var name: String
  /// The plan file, named in errors.
  public var file: String
  public var workloads: [WorkloadRequest]
  public var precisions: [Precision]
  public var architectures: [ArchitectureEntry]
  public var strategies: [String]
  /// Each as `hybrix map --objective` takes it: one metric, or several comma-separated for a front.
  public var objectives: [String]
  /// Seed of every point's strategy (`hybrix map --seed`; default 1).
  public var seed: UInt64
  /// Run the homogeneous and naive baselines for every point, as `hybrix map` does by default
  /// (off unless the plan says `baselines: true`: a sweep usually compares its own points).
  public var baselines: Bool

  /// One architecture of the plan and the ranges of its swept parameters, in the plan's order.
  public struct ArchitectureEntry: Sendable {
    public var template: ArchitectureTemplate
    public var parameters: [Parameter]
  }

  /// One swept spec field and the values it takes, as YAML scalars (`7`, `"64 GB/s"`).
  public struct Parameter: Sendable {
    public var path: String
    public var values: [String]
  }

  /// How many points the plan has.
  public var pointCount: Int {
    let variants = architectures.reduce(0) { n, a in n + a.parameters.reduce(1) { $0 * $1.values.count } }
    return workloads.count * precisions.count * variants * strategies.count * objectives.count
  }
}
