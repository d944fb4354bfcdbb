import Foundation
import Hardware
import HybrixCore
import Testing
import Workloads

@testable import Sweep

/// Plans too big to enumerate are one clear error, found by fuzzing the plan loader
/// (docs/fuzzing.md): a workload entry of 300 batches × 300 sequence lengths timed out the
/// fuzzer (90 000 workloads enumerated and hashed), and a product of lists beyond Int.max
/// overflowed the point count.
@Suite struct SweepPlanLimitTests {
  static func list(_ n: Int) -> String { "[" + (1...n).map(String.init).joined(separator: ", ") + "]" }

  static func errors(_ yaml: String) -> [ConfigError] {
    do {
      _ = try SweepPlan.load(yaml: yaml, file: "big.yaml")
      return []
    } catch { return error.errors }
  }

  @Test func aWorkloadEntryOfTooManyPointsIsRefusedBeforeItIsEnumerated() {
    let started = ContinuousClock.now
    let e = Self.errors("""
      version: 1
      workloads:
        - {model: gpt2, batch: \(Self.list(1_000)), seq: \(Self.list(1_001))}
      architectures: [h3pimap]
      """)
    #expect(e.count == 1, "\(e)")
    #expect(e.first?.path == "workloads[0]" && e.first?.message == "the plan has 1001000 points in this entry alone")
    #expect(e.first?.expected == "at most 1000000 points" && e.first?.hint?.contains("--dry-run") == true)
    #expect(ContinuousClock.now - started < .seconds(5))
  }

  @Test func aPlanOfMoreThanAMillionPointsIsRefused() {
    let e = Self.errors("""
      version: 1
      workloads: [{model: lenet5, batch: \(Self.list(1_000))}]
      precisions: [int8, int4]
      architectures:
        - {arch: h3pimap, parameters: {tiers.reram0.adc_bits: \(Self.list(600))}}
      """)
    #expect(e.map(\.message) == ["the plan has 1200000 points"], "\(e)")
  }

  @Test func aPointCountBeyondIntMaxIsSaidNotOverflowed() {
    // 8 parameters of 300 values: 300⁸ ≈ 6.6e19 variants, more than Int.max.
    let preset = try? PresetRegistry.architecture(named: "systolic-baseline")
    guard let preset, let template = try? ArchitectureTemplate(label: "systolic-baseline", architecture: preset) else {
      Issue.record("the preset did not load")
      return
    }
    let plan = SweepPlan(
      name: "huge", file: "huge.yaml", workloads: [WorkloadRequest(model: "lenet5")], precisions: [.int8],
      architectures: [
        SweepPlan.ArchitectureEntry(template: template, parameters: (0..<8).map { SweepPlan.Parameter(path: "p\($0)", values: (1...300).map(String.init)) })
      ], strategies: ["greedy"], objectives: ["latency"], seed: 1, baselines: false)
    #expect(plan.pointCount == Int.max)
    #expect(SweepPlan.tooManyPoints(plan.pointCount, path: nil).message.hasPrefix("the plan has more than"))
    #expect(SweepPlan.checkedProduct([3, 0, Int.max]) == 0 && SweepPlan.checkedProduct([2, 3, 7]) == 42)
  }
}
