import Foundation
import Testing

@testable import HybrixCLI

@Suite struct AccuracyCommandTests {
  static let dataInstalled =
    FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist")
    || ProcessInfo.processInfo.environment["CI"] != nil
  /// The committed trained LeNet-5 (docs/training.md); the smallest reference model keeps the
  /// debug-build test fast (drift compensation reads each tile with one-hot inputs).
  static let checkpoint = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("models/lenet5.onnx").path

  /// Every layer on PCM over a small slice of the test set: the versioned JSON has one point per
  /// (compensation, time), the FP32 reference, and repeats that the same seed reproduces; the
  /// HTML report holds the plot.
  @Test(.enabled(if: dataInstalled, "needs: sudo apt-get install dataset-fashion-mnist"))
  func pcmOverTimeAsJSONAndHTML() throws {
    let html = FileManager.default.temporaryDirectory.appendingPathComponent("hybrix-acc-\(UUID().uuidString).html").path
    defer { try? FileManager.default.removeItem(atPath: html) }
    let args = [
      "accuracy", "lenet5", "--weights", Self.checkpoint, "--arch", "lionheart", "--mapping", "homogeneous:pcm0",
      "--at", "1s,1y", "--compensation", "both", "--repeats", "2", "--limit", "100", "--seed", "4", "--json",
    ]
    let r = runHybrix(args + ["--html", html])
    #expect(r.exitCode == 0, "\(r.standardError)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
    #expect(json["schema"] as? String == "hybrix.accuracy" && json["schemaVersion"] as? Int == 1)
    let result = try #require(json["result"] as? [String: Any])
    let points = try #require(result["points"] as? [[String: Any]])
    #expect(points.map { $0["label"] as? String } == ["1s", "1y", "1s", "1y"])
    #expect(points.map { $0["compensated"] as? Bool } == [false, false, true, true])
    #expect(points.allSatisfy { ($0["accuracies"] as? [Double])?.count == 2 })
    let fp32 = try #require(result["fp32Accuracy"] as? Double)
    #expect(fp32 > 0.8)  // the trained model on its first 100 test images
    let operators = try #require(result["operators"] as? [[String: Any]])
    #expect(operators.count == 5 && operators.first?["name"] as? String == "conv1")
    #expect(operators.allSatisfy { ($0["tiers"] as? [String: Double]) == ["pcm0": 1] })
    let again = runHybrix(args)
    let json2 = try #require(try JSONSerialization.jsonObject(with: Data(again.standardOutput.utf8)) as? [String: Any])
    let points2 = try #require((json2["result"] as? [String: Any])?["points"] as? [[String: Any]])
    #expect(points.map { $0["accuracies"] as? [Double] } == points2.map { $0["accuracies"] as? [Double] })
    let page = try String(contentsOfFile: html, encoding: .utf8)
    #expect(page.contains("<svg") && page.components(separatedBy: "<polyline").count == 3)
    #expect(page.components(separatedBy: "<circle").count == 5)
  }

  /// An ONNX model that is not a chain (a residual Add) runs on the ONNX interpreter with its
  /// products on PCM; one that does not take 28×28 images is refused with the reason.
  @Test(.enabled(if: dataInstalled, "needs: sudo apt-get install dataset-fashion-mnist"))
  func anyONNXGraphRunsOnTheInterpreter() throws {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/onnx")
    let residual = fixtures.appendingPathComponent("residual_28.onnx").path
    let r = runHybrix([
      "accuracy", residual, "--arch", "lionheart", "--mapping", "homogeneous:pcm0", "--at", "1d", "--repeats", "2",
      "--limit", "40", "--json",
    ])
    #expect(r.exitCode == 0, "\(r.standardError)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
    let result = try #require(json["result"] as? [String: Any])
    let operators = try #require(result["operators"] as? [[String: Any]])
    #expect(operators.map { $0["name"] as? String } == ["stem", "res", "fc"])
    let wrongInput = runHybrix(["accuracy", fixtures.appendingPathComponent("small_cnn.onnx").path, "--limit", "5"])
    #expect(wrongInput.exitCode != 0 && wrongInput.standardError.contains("cannot classify a Fashion-MNIST image"))
  }

  @Test func badInputGivesOneClearError() {
    let base = ["accuracy", "lenet5", "--weights", Self.checkpoint, "--arch", "lionheart"]
    let cases: [([String], String)] = [
      (base + ["--repeats", "0"], "--repeats"),
      (base + ["--at=-1d"], "negative time"),
      (base + ["--at", "1 parsec"], "--at"),
      (base + ["--compensation", "sometimes"], "on, off or both"),
      (base + ["--limit", "0"], "--limit"),
      (base + ["--dataset", "imagenet"], "unknown data set"),
      (base + ["--mapping", "nonsense"], "nonsense"),
      (["accuracy", "lenet5", "--arch", "lionheart"], "hybrix train lenet5"),
      (["accuracy", "lenet5", "--weights", "/nonexistent/x.onnx"], "/nonexistent/x.onnx"),
      (["accuracy", "small-cnn", "--weights", Self.checkpoint], "holds operators"),
      (base + ["--data-dir", "/nonexistent/fmnist"], "apt-get install dataset-fashion-mnist"),
    ]
    for (args, needle) in cases {
      let r = runHybrix(args)
      #expect(r.exitCode != 0, "\(args)")
      #expect(r.standardError.contains(needle), "\(args): \(r.standardError)")
      #expect(!r.standardError.contains("Fatal error"), "\(args)")
    }
  }
}
