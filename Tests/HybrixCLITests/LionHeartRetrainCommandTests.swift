import Foundation
import Testing

@testable import HybrixCLI

/// `hybrix map --strategy lionheart --retrain-steps N` on the committed LeNet-5, a slice of the
/// test images and a few training steps: `--retrain-steps 0` is the loop without retraining,
/// the same command gives the same result bit for bit, a rejected candidate leaves the last
/// accepted weights, and bad input is one clear message each.
@Suite struct LionHeartRetrainCommandTests {
  static let common = LionHeartCommandTests.common + ["--limit", "40", "--repeats", "3", "--seed", "2", "--json"]
  static let retrain = ["--retrain-steps", "2", "--retrain-rounds", "2", "--retrain-images", "16"]

  /// The JSON with the run's wall time removed (the only field that varies).
  static func json(_ args: [String]) async throws -> [String: Any] {
    let r = await runHybrix(args)
    #expect(r.exitCode == 0, "\(args): \(r.standardError)")
    var json = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
    var lh = try #require(json["lionheart"] as? [String: Any])
    lh["wallSeconds"] = nil
    json["lionheart"] = lh
    var search = try #require(json["search"] as? [String: Any])
    search["wallSeconds"] = nil
    json["search"] = search
    return json
  }

  static func same(_ a: [String: Any], _ b: [String: Any]) -> Bool { NSDictionary(dictionary: a).isEqual(to: b) }

  @Test(.enabled(if: AccuracyCommandTests.dataInstalled, "needs: sudo apt-get install dataset-fashion-mnist"))
  func zeroStepsIsTheLoopWithoutRetraining() async throws {
    let plain = try await Self.json(Self.common + ["--accuracy-drop", "2"])
    let zero = try await Self.json(Self.common + ["--accuracy-drop", "2", "--retrain-steps", "0"])
    #expect(Self.same(plain, zero))
    #expect((zero["lionheart"] as? [String: Any])?["retraining"] == nil)
  }

  /// Twice the same command: the same JSON (analog set, drops per round, weight digests). Along
  /// the steps, each retrained candidate starts from the weights the previous decision left: the
  /// kept weights after an acceptance, the same start weights after a rejection; the final
  /// weights are the last accepted ones. Threshold 0 on 20 validation images gives both kinds of decision (seed 2: 3 rejected, 2 accepted).
  @Test(.enabled(if: AccuracyCommandTests.dataInstalled, "needs: sudo apt-get install dataset-fashion-mnist"))
  func retrainingIsDeterministicAndRejectionsRevert() async throws {
    var accepted = 0, rejected = 0, links = 0
    for threshold in ["0"] {
      let args = Self.common + ["--accuracy-drop", threshold] + Self.retrain
      let a = try await Self.json(args)
      #expect(Self.same(a, try await Self.json(args)), "threshold \(threshold)")
      let lh = try #require(a["lionheart"] as? [String: Any])
      let summary = try #require(lh["retraining"] as? [String: Any])
      let steps = try #require(lh["steps"] as? [[String: Any]]).filter { $0["retraining"] != nil }
      #expect(!steps.isEmpty)
      var current: String?
      for s in steps {
        let r = try #require(s["retraining"] as? [String: Any])
        let rounds = try #require(r["rounds"] as? [[String: Any]])
        let kept = try #require(r["keptRound"] as? Int)
        #expect((1...2).contains(rounds.count) && rounds.indices.contains(kept))
        let best = rounds.compactMap { $0["points"] as? Double }.min()
        #expect((s["drop"] as? [String: Any])?["points"] as? Double == best)
        let start = try #require(r["startWeights"] as? String)
        if let current {
          #expect(start == current)
          links += 1
        }
        if s["decision"] as? String == "accepted" {
          accepted += 1
          current = r["keptWeights"] as? String
        } else {
          rejected += 1
          current = start
        }
      }
      #expect(summary["finalWeights"] as? String == current)
    }
    #expect(accepted >= 1 && rejected >= 1 && links >= 4, "accepted \(accepted), rejected \(rejected), links \(links)")
  }

  @Test(.enabled(if: AccuracyCommandTests.dataInstalled, "needs: sudo apt-get install dataset-fashion-mnist"))
  func badInputIsOneClearMessage() async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hybrix-fm-test-only-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for f in ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"] {
      try FileManager.default.createSymbolicLink(atPath: "\(dir)/\(f)", withDestinationPath: "/usr/share/datasets/fashion-mnist/\(f)")
    }
    let base = LionHeartCommandTests.common + ["--limit", "20", "--repeats", "3", "--accuracy-drop", "1"]
    let cases: [([String], String)] = [
      (base + ["--retrain-steps", "-1"], "--retrain-steps"),
      (base + ["--retrain-steps", "2", "--fast"], "--fast has no steps"),
      (base + ["--retrain-steps", "2", "--data-dir", dir], "train-images"),
      (base + ["--retrain-steps", "2", "--patience", "0"], "--patience"),
      (base + ["--retrain-steps", "2", "--retrain-rounds", "0"], "--retrain-rounds"),
      (base + ["--retrain-steps", "2", "--retrain-images", "0"], "--retrain-images"),
      (base + ["--retrain-rounds", "2"], "without --retrain-steps"),
      (["map", "lenet5", "--arch", "lionheart", "--strategy", "greedy", "--retrain-steps", "2"], "only lionheart"),
    ]
    #expect(await expectClearFailures(cases) == cases.count)
  }
}
