import Execution
import Foundation
import HybrixNumerics
@testable import Reproduction
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

  /// `--cache`: a second run reads every record instead of training (a changed record's value
  /// comes back, so it was read), a record of another configuration is trained again and
  /// replaced, and an unreadable record is one error that names its file.
  @Test(.enabled(if: dataInstalled, "needs: \(FashionMNIST.installHint)"))
  func cachedRunsAreReusedAndChecked() async throws {
    let folder = FileManager.default.temporaryDirectory.path + "/hybrix-run-cache-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let cache = TrainingRunCache(folder: folder)
    let study = MirageAccuracyStudy(model: "mlp", seeds: [0], epochs: 1, trainLimit: 64, testLimit: 32, cache: cache, tool: "hybrix test")
    let first = try await study.run()
    #expect(first.cachedRuns == 0)
    let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    #expect(files.count == 4 && files.contains("mlp_rns-mirage_seed0_e1_n64_t32.json"))
    let second = try await study.run()
    #expect(second.cachedRuns == 4 && second.cachedTools == ["hybrix test"])
    #expect(second.rows == first.rows)

    // A record is read, not recomputed: a changed accuracy comes back.
    let int8 = study.configuration(arithmetic: "int8", seed: 0)
    var record = try #require(try cache.lookup(model: "mlp", configuration: int8, trainSamples: 64, testSamples: 32))
    record.finalTestAccuracy = 0.125
    try cache.store(record)
    #expect(try await study.run().row("int8")?.accuracies == [0.125])

    // A record of another configuration at the same file is not used: the run trains again.
    var other = record
    other.configuration.learningRate = 0.5
    let path = cache.path(model: "mlp", configuration: int8, trainSamples: 64, testSamples: 32)
    #expect(cache.path(model: "mlp", configuration: other.configuration, trainSamples: 64, testSamples: 32) == path)
    try cache.store(other)
    let retrained = try await study.run()
    #expect(retrained.cachedRuns == 3 && retrained.row("int8") == first.row("int8"))
    #expect(try cache.lookup(model: "mlp", configuration: int8, trainSamples: 64, testSamples: 32)?.finalTestAccuracy == first.row("int8")?.accuracies.first)

    // Every record carries this build's fingerprint of its arithmetic's numerics.
    let print8 = try #require(try cache.lookup(model: "mlp", configuration: int8, trainSamples: 64, testSamples: 32)?.numerics)
    #expect(print8.hasPrefix("step1-b64-") && print8.count == "step1-b64-".count + 16)
    let fp32 = study.configuration(arithmetic: "fp32", seed: 0)
    #expect(try cache.lookup(model: "mlp", configuration: fp32, trainSamples: 64, testSamples: 32)?.numerics != print8)

    // A record from other numerics (another fingerprint) is trained again and replaced; one
    // without a fingerprint (an older record) is used and reported as not checked.
    var stale = try #require(try cache.lookup(model: "mlp", configuration: int8, trainSamples: 64, testSamples: 32))
    stale.numerics = "step1-b64-0000000000000000"
    stale.finalTestAccuracy = 0.25
    try cache.store(stale)
    var legacy = try #require(try cache.lookup(model: "mlp", configuration: fp32, trainSamples: 64, testSamples: 32))
    legacy.numerics = nil
    legacy.finalTestAccuracy = 0.375
    try cache.store(legacy)
    let checked = try await study.run()
    #expect(checked.staleRuns == 1 && checked.uncheckedRuns == 1 && checked.cachedRuns == 3)
    #expect(checked.row("int8") == first.row("int8") && checked.row("fp32")?.accuracies == [0.375])
    #expect(try cache.lookup(model: "mlp", configuration: int8, trainSamples: 64, testSamples: 32)?.numerics == print8)
    let note = MirageExperiment.cacheNote(checked)
    #expect(note.contains("3 of 4 runs were read from the cache") && note.contains("1 of them from records without a numerics fingerprint"))
    #expect(note.contains("1 cached record came from other numerics (another fingerprint); its run was trained again"), "\(note)")

    // A broken record stops the run with its file named.
    try Data("{\"schema\": \"hybrix.training-run.v1\", \"model\":".utf8).write(to: URL(fileURLWithPath: path))
    do {
      _ = try await study.run()
      Issue.record("expected an error")
    } catch {
      #expect(error.description.contains(path) && error.description.contains("delete the file"))
    }
  }
}
