import Execution
import Foundation
import Testing

@testable import HybrixCLI

@Suite struct TrainCommandTests {
  static let dataInstalled =
    FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist")
    || ProcessInfo.processInfo.environment["CI"] != nil

  /// A short run writes a checkpoint that `hybrix inspect` reads, and prints the versioned JSON
  /// report.
  @Test(.enabled(if: dataInstalled, "needs: sudo apt-get install dataset-fashion-mnist"))
  func trainsWritesACheckpointAndReportsJSON() async throws {
    let out = FileManager.default.temporaryDirectory
      .appendingPathComponent("hybrix-train-\(UUID().uuidString).onnx").path
    defer { try? FileManager.default.removeItem(atPath: out) }
    let r = await runHybrix([
      "train", "mlp", "--dataset", "fashion-mnist", "--epochs", "1", "--limit", "256",
      "--test-limit", "200", "--lr", "0.05", "--batch-size", "32", "--seed", "3", "--out", out,
      "--json",
    ])
    #expect(r.exitCode == 0, "\(r.standardError)")
    #expect(r.standardError.isEmpty)  // no progress line when output is captured
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
    #expect(json["schema"] as? String == "hybrix.train.v1")
    #expect(json["trainSamples"] as? Int == 256 && json["testSamples"] as? Int == 200)
    #expect(json["checkpoint"] as? String == out)
    let epochs = try #require(json["epochs"] as? [[String: Any]])
    #expect(epochs.count == 1 && (epochs[0]["testAccuracy"] as? Double ?? 0) > 0.4, "\(epochs)")
    let configuration = try #require(json["configuration"] as? [String: Any])
    #expect(configuration["seed"] as? Int == 3 && configuration["arithmetic"] as? String == "fp32")
    let inspect = await runHybrix(["inspect", out, "--dim", "N=1"])
    #expect(inspect.exitCode == 0, "\(inspect.standardError)")
    #expect(inspect.standardOutput.contains("fc3"))
  }

  /// The text report: setup lines, one table row per epoch, the final accuracy.
  @Test func rendersATableWithOneRowPerEpoch() async {
    var c = TrainingConfiguration()
    c.epochs = 2
    c.seed = 4
    var report = TrainingReport(
      model: "mlp", dataset: "fashion-mnist", trainSamples: 60_000, testSamples: 10_000,
      parameters: 235_146, configuration: c)
    report.epochs = [
      EpochResult(
        epoch: 1, trainLoss: 0.51234, trainAccuracy: 0.8123, testAccuracy: 0.8456, seconds: 3.21,
        learningRate: 0.005),
      EpochResult(
        epoch: 2, trainLoss: 0.35, trainAccuracy: 0.87, testAccuracy: 0.8765, seconds: 3.4,
        learningRate: 0),
    ]
    report.checkpoint = "models/mlp.onnx"
    let text = TrainCommand.render(report)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(
      lines[0] == "mlp on fashion-mnist: 60000 training and 10000 test images, 235 k parameters")
    #expect(
      lines[1].hasPrefix(
        "sgd lr 0.01 momentum 0.9, cosine schedule, batch 64, arithmetic fp32, seed 4"))
    #expect(
      lines[3].split(separator: " ").joined(separator: " ")
        == "epoch train loss train acc test acc time")
    #expect(
      lines[5].split(separator: " ").joined(separator: " ") == "1 0.5123 81.23 % 84.56 % 3.2 s")
    #expect(text.hasSuffix("test accuracy 87.65 %, total 0.0 s\nmodel written to models/mlp.onnx"))
  }

  /// Bad input: one message on standard error naming what is wrong, and a non-zero exit code,
  /// before any data is read.
  @Test(arguments: [
    (["train", "mlp", "--dataset", "cifar10"], "unknown data set 'cifar10'"),
    (["train", "mlp", "--epochs", "0"], "--epochs"),
    (["train", "mlp", "--arithmetic", "fp33"], "unknown arithmetic 'fp33'"),
    (["train", "mlp", "--limit", "0"], "--limit"),
    (["train", "resnet20"], "cannot be trained: operator 'layer2.0.shortcut'"),
    (["train", "no-such-model"], "no model named"),
    (["train", "missing.onnx"], "no such file"),
    (
      ["train", "mlp", "--data-dir", "/nonexistent-fashion-mnist"],
      "apt-get install dataset-fashion-mnist"
    ),
    (["train", "mlp", "--optimizer", "rmsprop"], "rmsprop"),
  ])
  func badInputIsOneClearError(arguments: [String], message: String) async {
    let r = await runHybrix(arguments)
    #expect(r.exitCode != 0)
    #expect(r.standardError.contains(message), "\(r.standardError)")
    #expect(r.standardOutput.isEmpty)
  }
}
