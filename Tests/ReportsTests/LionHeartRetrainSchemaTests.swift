import Foundation
import Hardware
import HybrixCore
import Reports
import Search
import Testing
import Workloads

/// A LionHeart outcome with `--retrain-steps` fields (per-step rounds and digests, the summary)
/// decodes, re-encodes with every field, and validates against hybrix.map.v1 inside a map report; the
/// text report shows the rounds and which weights the figures are for.
@Suite struct LionHeartRetrainSchemaTests {
  static func drop(_ points: Double) -> [String: Any] {
    ["points": points, "low95": points - 1, "high95": points + 1, "referenceAccuracy": 0.9, "meanAccuracy": 0.9 - points / 100,
     "repeats": 3, "samples": 20, "atSeconds": 86_400]
  }

  static var outcome: [String: Any] { [
    "mode": "full", "thresholdPoints": 1, "marginPoints": 0.25, "atSeconds": 86_400, "analogTier": "pcm0",
    "validationImages": "Fashion-MNIST test images 0..<20", "testImages": "Fashion-MNIST test images 20..<40",
    "candidates": 1, "totalMACs": 1000, "analogMACs": 900, "analogMACShare": 0.9, "analog": ["conv2"],
    "steps": [[
      "operatorName": "conv2", "operatorIndex": 2, "macs": 900, "decision": "accepted", "drop": drop(0.5),
      "analogMACShare": 0.9,
      "retraining": ["rounds": [drop(0.8), drop(0.5)], "keptRound": 1, "steps": 4, "startWeights": "00000000000000aa",
                     "keptWeights": "00000000000000bb"],
    ]],
    "validation": drop(0.5), "test": drop(0.7), "metThreshold": true,
    "digitalLatencySeconds": 2, "digitalEnergyJoules": 3, "latencySeconds": 1, "energyJoules": 1,
    "speedup": 2.0, "energyGain": 3.0,
    "retraining": ["stepsPerRound": 2, "rounds": 2, "patience": 1, "batchSize": 16, "digitalLearningRate": 0.01,
                   "analogLearningRate": 0.001, "momentum": 0.85, "arithmetic": "pcm-hwa",
                   "trainingImages": "Fashion-MNIST training images 0..<16",
                   "weights": "the figures are for the last accepted retrained weights", "finalWeights": "00000000000000bb"],
    "wallSeconds": 1.5,
  ] }

  @Test func retrainingFieldsRoundTripAndValidate() async throws {
    let data = try JSONSerialization.data(withJSONObject: Self.outcome)
    let o = try JSONDecoder().decode(LionHeartOutcome.self, from: data)
    #expect(o.steps.first?.retraining?.rounds.count == 2 && o.retraining?.finalWeights == "00000000000000bb")
    let again = try #require(try ReportSchemaTests.json(o) as? [String: Any])
    #expect(Set(again.keys) == Set(Self.outcome.keys))
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let once = try encoder.encode(o)
    #expect(once == (try encoder.encode(try JSONDecoder().decode(LionHeartOutcome.self, from: once))))
    let step = try #require((again["steps"] as? [[String: Any]])?.first?["retraining"] as? [String: Any])
    #expect(step["keptWeights"] as? String == "00000000000000bb" && (step["rounds"] as? [Any])?.count == 2)
    var r = try await MapReportSchemaTests.report("lenet5", ZooOptions(), arch: try PresetRegistry.architecture(named: "lionheart"), strategy: GreedyStrategy())
    r.lionheart = o
    let validator = try JSONSchemaValidator(schemaAt: ReportSchemaTests.schemas.appendingPathComponent("hybrix.map.v1.schema.json"))
    let errors = validator.errors(in: try ReportSchemaTests.json(r))
    #expect(errors.isEmpty, "\(errors.prefix(5))")
    // A field the schema does not know fails (the check means something).
    var bad = again
    var steps = try #require(bad["steps"] as? [[String: Any]])
    var trace = try #require(steps[0]["retraining"] as? [String: Any])
    trace["surprise"] = 1
    steps[0]["retraining"] = trace
    bad["steps"] = steps
    var report = try #require(try ReportSchemaTests.json(r) as? [String: Any])
    report["lionheart"] = bad
    #expect(validator.errors(in: report).contains { $0.contains("surprise") })
    let text = LionHeartText.render(o)
    #expect(text.contains("drop per round 1: 0.8, 2: 0.5 pt; kept round 2"), "\(text)")
    #expect(text.contains("the figures are for the last accepted retrained weights"))
    #expect(text.contains("decided against 0.75 points: the threshold less a margin of 0.25 points"), "\(text)")
    #expect(LionHeartHTML.searchChart(o).contains("decided at −0.75 pt"))
    #expect(LionHeartHTML.searchChart(o).contains("final set on the test split: drop 0.70 pt (89.30 % against 90.00 % all-digital)"))
  }
}
