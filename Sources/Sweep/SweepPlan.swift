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

  /// How many points the plan has (`Int.max` when that does not fit in an Int).
  public var pointCount: Int {
    var variants = 0
    for a in architectures {
      let (sum, overflow) = variants.addingReportingOverflow(Self.checkedProduct(a.parameters.map(\.values.count)))
      variants = overflow ? Int.max : sum
    }
    return Self.checkedProduct([workloads.count, precisions.count, variants, strategies.count, objectives.count])
  }

  /// The most points a plan may have: a million points is hours of work on a cluster, and a
  /// plan beyond it is almost surely a mistake (a list where a value was meant); enumerating one
  /// would take minutes and gigabytes before anything runs.
  public static let maxPoints = 1_000_000

  /// The product of `factors`, or `Int.max` when it overflows (0 when any factor is 0).
  static func checkedProduct(_ factors: [Int]) -> Int {
    if factors.contains(0) { return 0 }
    var product = 1
    for f in factors {
      let (p, overflow) = product.multipliedReportingOverflow(by: f)
      if overflow { return Int.max }
      product = p
    }
    return product
  }

  static func tooManyPoints(_ count: Int, path: String?) -> ConfigError {
    ConfigError(
      path: path, message: "the plan has \(count == Int.max ? "more than \(Int.max)" : "\(count)") points" + (path == nil ? "" : " in this entry alone"),
      expected: "at most \(maxPoints) points",
      hint: "split the plan, or shorten its lists (`hybrix sweep PLAN --dry-run` counts the points)")
  }
}
