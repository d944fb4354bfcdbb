import Execution
import Foundation
import HybrixNumerics
import Reproduction
import Testing

/// Mirage's accuracy study (Table I on Fashion-MNIST): its runs are the trainer's runs, whatever
/// order the parallel tasks finish in, and its statistics are over the seeds.
@Suite struct MirageAccuracyStudyTests {
  static let dataInstalled = FileManager.default.fileExists(atPath: FashionMNIST.defaultDirectory)

  /// An (arithmetic, seed) accuracy equals a plain sequential `Trainer` run with the same
  /// settings, bit for bit: running side by side changes nothing.
  @Test(.enabled(if: dataInstalled, "needs: \(FashionMNIST.installHint)"))
  func runsAreTheTrainersRuns() async throws {
    let study = MirageAccuracyStudy(model: "mlp", seeds: [0, 1], epochs: 1, trainLimit: 64, testLimit: 64)
    let outcome = try await study.run()
    #expect(outcome.rows.map(\.arithmetic) == MirageAccuracyStudy.arithmetics)
    #expect(outcome.trainSamples == 64 && outcome.testSamples == 64)
    let train = try FashionMNIST.load(split: .train, limit: 64)
    let test = try FashionMNIST.load(split: .test, limit: 64)
    var compared = 0
    for row in outcome.rows {
      #expect(row.accuracies.count == 2 && row.statistics.count == 2)
      // Two of the eight runs, one per seed, re-run sequentially (each run is independent).
      for (seed, accuracy) in zip(study.seeds, row.accuracies) where (row.arithmetic, seed) == ("rns-mirage", 1) || (row.arithmetic, seed) == ("int8", 0) {
        var c = TrainingConfiguration()
        c.epochs = 1
        c.arithmetic = row.arithmetic
        c.seed = seed
        var network = try Network.zoo("mlp", seed: seed)
        let report = try Trainer(c).train(&network, on: train, test: test)
        #expect(report.finalTestAccuracy == accuracy, "\(row.arithmetic) seed \(seed)")
        compared += 1
      }
      // The interval is the mean ± t(1) · s / √2 of the two seeds.
      let s = row.statistics
      #expect(s.confidenceLow <= s.mean && s.mean <= s.confidenceHigh)
    }
    #expect(compared == 2)
  }

  @Test func missingDataIsOneClearError() async {
    let study = MirageAccuracyStudy(model: "mlp", seeds: [0], epochs: 1, trainLimit: 16, testLimit: 16, dataFolder: "/nonexistent")
    do {
      _ = try await study.run()
      Issue.record("expected an error")
    } catch {
      #expect(error.description.contains("/nonexistent") && error.description.contains("dataset-fashion-mnist"))
    }
  }
}
