import Foundation
import Hardware
import HybrixCore
import Testing
import Yams

@testable import Sweep

@Suite struct SweepPlanTests {
  @Test func smallExampleIsTwentyPointsInCrossProductOrder() async throws {
    let p = try SweepPlan.load(path: repositoryRoot.appendingPathComponent("examples/sweep-small.yaml").path)
    let points = p.points()
    // 2 workloads × (3 h3pimap ADC variants + 2 lionheart tile counts) × 2 strategies × 1 objective
    #expect(p.pointCount == 20)
    #expect(points.count == 20)
    #expect(points.map(\.index) == Array(0..<20))
    #expect(Set(points.map(\.hash)).count == 20)
    // Objectives fastest, then strategies, then variants (first parameter slowest), workloads slowest.
    #expect(points[0].strategy == "greedy" && points[1].strategy == "naive")
    #expect(points[0].parameters == [ParameterSetting(path: "tiers.reram0.adc_bits", value: "6")])
    #expect(points[2].parameters == [ParameterSetting(path: "tiers.reram0.adc_bits", value: "7")])
    #expect(points[6].architectureLabel == "lionheart")
    #expect(points[9].workload.model == "lenet5" && points[10].workload.model == "mlp")
  }

  @Test func hashesAreStableAndCoverEveryInput() async throws {
    let yaml = """
      version: 1
      workloads: [{model: lenet5, batch: [1, 2]}]
      architectures: [{arch: h3pimap, parameters: {tiers.reram0.adc_bits: [7, 8]}}]
      strategies: [greedy]
      objectives: [latency, energy]
      """
    let a = try plan(yaml).points().map(\.hash)
    let b = try plan(yaml).points().map(\.hash)
    #expect(a == b)
    #expect(Set(a).count == 8)
    // adc_bits 8 is the preset's own value: the spec after the override is the preset's, so the
    // point shares its key with a plan that does not sweep it.
    let unswept = try plan(
      """
      version: 1
      workloads: [{model: lenet5}]
      architectures: [h3pimap]
      objectives: [latency]
      """
    ).points()
    #expect(unswept.count == 1)
    let adc8 = try plan(yaml).points().first { $0.parameters.first?.value == "8" && $0.workload.batch == 1 && $0.objective == "latency" }
    #expect(adc8?.hash == unswept[0].hash)
  }

  @Test func workloadFieldsExpand() async throws {
    let p = try plan(
      """
      version: 1
      workloads:
        - {model: gpt2, phase: [prefill, decode], seq: [64, 128]}
        - resnet18
      architectures: [lionheart]
      """)
    #expect(p.workloads.count == 5)
    #expect(p.points().count == 5)
    #expect(p.workloads.filter { $0.model == "gpt2" }.map(\.sequenceLength) == [64, 64, 128, 128])
  }

  /// Each bad plan gives the listed errors (by path), each with a hint where one is expected.
  @Test(arguments: [
    ("version: 2\nworkloads: [lenet5]\narchitectures: [h3pimap]", ["version"]),
    ("version: 1\nworkload: [lenet5]\nworkloads: [lenet5]\narchitectures: [h3pimap]", ["workload"]),
    ("version: 1\nworkloads: [lenet55]\narchitectures: [h3pimap]", ["workloads[0].model"]),
    ("version: 1\nworkloads: [lenet5]\narchitectures: [h3pimapp]", ["architectures[0].arch"]),
    ("version: 1\nworkloads: [lenet5]\narchitectures: [h3pimap]\nstrategies: [greddy]", ["strategies[0]"]),
    ("version: 1\nworkloads: [lenet5]\narchitectures: [h3pimap]\nobjectives: [latncy]", ["objectives[0]"]),
    (
      "version: 1\nworkloads: [lenet5]\narchitectures: [{arch: h3pimap, parameters: {tiers.reram0.adc_bit: [6]}}]",
      ["architectures[0].parameters.tiers.reram0.adc_bit"]
    ),
    (
      "version: 1\nworkloads: [lenet5]\narchitectures: [{arch: h3pimap, parameters: {tiers.rram0.count: [6]}}]",
      ["architectures[0].parameters.tiers.rram0.count"]
    ),
    ("version: 1\nworkloads: [{model: lenet5, batch: 0}]\narchitectures: [h3pimap]", ["workloads[0].batch"]),
    ("version: 1\narchitectures: [h3pimap]", ["workloads"]),
    ("- a\n- b", [""]),
  ])
  func badPlans(yaml: String, paths: [String]) {
    do {
      _ = try SweepPlan.load(yaml: yaml, file: "bad.yaml")
      Issue.record("no error for \(yaml)")
    } catch {
      #expect(error.errors.map { $0.path ?? "" } == paths)
      #expect(error.errors.allSatisfy { $0.file == "bad.yaml" })
    }
  }

  @Test func nearestNamesAreSuggested() {
    let cases = [
      ("tiers.reram0.adc_bit", "did you mean tiers.reram0.adc_bits?"),
      ("tiers.rram0.count", "did you mean tiers.reram0?"),
      ("memroy.dram_bandwidth", "did you mean memory?"),
    ]
    var checked = 0
    for (path, hint) in cases {
      do {
        _ = try SweepPlan.load(
          yaml: "version: 1\nworkloads: [lenet5]\narchitectures: [{arch: h3pimap, parameters: {\(path): [1]}}]", file: "p.yaml")
      } catch {
        #expect(error.errors.first?.hint == hint, "\(path)")
        checked += 1
      }
    }
    #expect(checked == cases.count)
  }
}
