import Foundation
import Testing

@testable import HybrixCLI

/// `hybrix train` on a graph model (not a chain) and `hybrix accuracy` on its checkpoint.
@Suite struct GraphTrainCommandTests {
  /// A short run of the transformer writes an ONNX checkpoint; `accuracy` runs it with every
  /// weighted product (embed, 6 per layer × 2, head: 14) on PCM.
  @Test(.enabled(if: TrainCommandTests.dataInstalled, "needs: sudo apt-get install dataset-fashion-mnist"))
  func trainsAGraphAndItsCheckpointMapsForAccuracy() async throws {
    let out = FileManager.default.temporaryDirectory
      .appendingPathComponent("hybrix-graph-\(UUID().uuidString).onnx").path
    defer { try? FileManager.default.removeItem(atPath: out) }
    let r = await runHybrix([
      "train", "tiny-transformer-fm", "--epochs", "1", "--limit", "64", "--test-limit", "32",
      "--optimizer", "adam", "--batch-size", "32", "--seed", "2", "--out", out, "--json",
    ])
    #expect(r.exitCode == 0, "\(r.standardError)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
    #expect(json["model"] as? String == "tiny-transformer-fm" && json["parameters"] as? Int == 71_370)
    let a = await runHybrix([
      "accuracy", "tiny-transformer-fm", "--weights", out, "--arch", "lionheart", "--mapping",
      "homogeneous:pcm0", "--repeats", "1", "--limit", "32", "--json",
    ])
    #expect(a.exitCode == 0, "\(a.standardError)")
    let acc = try #require(
      try JSONSerialization.jsonObject(with: Data(a.standardOutput.utf8)) as? [String: Any])
    let result = try #require(acc["result"] as? [String: Any])
    let operators = try #require(result["operators"] as? [[String: Any]])
    #expect(operators.count == 14 && operators.first?["name"] as? String == "embed")
  }
}
