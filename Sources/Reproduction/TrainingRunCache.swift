import Execution
import Foundation
import HybrixCore
import HybrixNumerics

/// Finished training runs of a long study, kept on disk one JSON file per run, so that an
/// interrupted `hybrix reproduce` (a killed job, a closed laptop, a batch allocation that ran
/// out) resumes where it stopped instead of training everything again (`--cache DIR`).
///
/// A run is identified by everything that decides its result: the zoo model, the whole
/// ``TrainingConfiguration`` (arithmetic, seed, epochs, optimizer, schedule …) and the numbers
/// of training and test images. A record whose identity differs from the run asked for is not
/// used (the run trains again and replaces it). The tool that computed a record is kept in it,
/// and the study reports how many of its runs came from the cache.
///
/// A record also keeps a fingerprint of the numerics that produced it (``numericsFingerprint``):
/// the weights after one optimizer step on the first batch of training images. A record whose
/// fingerprint differs from this build's came from other code (a changed trainer or arithmetic)
/// and is trained again; one written before records had a fingerprint is used and reported as
/// unchecked.
public struct TrainingRunCache: Sendable {
  public let folder: String

  public init(folder: String) { self.folder = folder }

  /// One finished run.
  public struct Record: Codable, Sendable, Hashable {
    public static let schema = "hybrix.training-run.v1"
    public var schema = Record.schema
    public var model: String
    public var configuration: TrainingConfiguration
    public var trainSamples: Int
    public var testSamples: Int
    /// The final test accuracy, as a fraction.
    public var finalTestAccuracy: Double
    /// Wall time of the run, in seconds.
    public var wallSeconds: Double
    /// The tool and version that trained it ("hybrix 0.1.0").
    public var tool: String
    /// ``TrainingRunCache/numericsFingerprint(model:configuration:train:)`` of the build that
    /// trained it; `nil` in records written before fingerprints were kept.
    public var numerics: String?

    public init(
      model: String, configuration: TrainingConfiguration, trainSamples: Int, testSamples: Int, finalTestAccuracy: Double,
      wallSeconds: Double, tool: String, numerics: String? = nil
    ) {
      self.model = model
      self.configuration = configuration
      self.trainSamples = trainSamples
      self.testSamples = testSamples
      self.finalTestAccuracy = finalTestAccuracy
      self.wallSeconds = wallSeconds
      self.tool = tool
      self.numerics = numerics
    }

    /// Whether this build may reuse the record, given this build's fingerprint of its numerics.
    public func reuse(numerics current: String) -> Reuse {
      guard let numerics else { return .unchecked }
      return numerics == current ? .same : .otherNumerics
    }

    /// Whether this record is the run of `model` with `configuration` on these sample counts.
    public func isRun(model: String, configuration: TrainingConfiguration, trainSamples: Int, testSamples: Int) -> Bool {
      self.model == model && self.configuration == configuration && self.trainSamples == trainSamples
        && self.testSamples == testSamples
    }
  }

  /// What a matching record means for this build.
  public enum Reuse: Sendable, Equatable {
    /// Same fingerprint: the run would come out the same; reuse it.
    case same
    /// No fingerprint (an older record): reused, reported as not checked against this build.
    case unchecked
    /// Another fingerprint: other code trained it; train again.
    case otherNumerics
  }

  /// The fingerprint of this build's numerics for runs of `model` with `configuration`: the
  /// model from seed 0 (the fingerprint is of the code; the run's seed is in its identity) after
  /// one optimizer step on the first batch of `train` (``Execution/Trainer/digestAfterTraining(_:on:)``),
  /// tagged with the batch size. It covers the forward and backward passes, the arithmetic and
  /// the optimizer, not the evaluation.
  public static func numericsFingerprint(
    model: String, configuration: TrainingConfiguration, train: Dataset
  ) throws(ConfigError) -> String {
    let n = min(max(1, configuration.batchSize), train.count)
    let batch = train.batch(Array(0..<n))
    let first = Dataset(images: batch.images, labels: batch.labels, classNames: train.classNames)
    var c = configuration
    c.epochs = 1
    c.seed = 0
    return "step1-b\(n)-" + (try Trainer(c).digestAfterTraining(model, on: first))
  }

  /// The file of a run: readable names for the fields that usually differ between runs; the
  /// record inside holds the whole identity.
  public func path(model: String, configuration c: TrainingConfiguration, trainSamples: Int, testSamples: Int) -> String {
    let safe = { (s: String) in String(s.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" }) }
    return folder + "/\(safe(model))_\(safe(c.arithmetic))_seed\(c.seed)_e\(c.epochs)_n\(trainSamples)_t\(testSamples).json"
  }

  /// The record of this run, or `nil` when there is none or the file holds another run.
  /// An unreadable file is an error that names it: the cache never guesses.
  public func lookup(
    model: String, configuration: TrainingConfiguration, trainSamples: Int, testSamples: Int
  ) throws(ConfigError) -> Record? {
    let file = path(model: model, configuration: configuration, trainSamples: trainSamples, testSamples: testSamples)
    guard FileManager.default.fileExists(atPath: file) else { return nil }
    let record: Record
    do {
      record = try JSONDecoder().decode(Record.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
    } catch {
      throw ConfigError(
        file: file, message: "is not a training-run record: \(error.localizedDescription)",
        expected: "a \(Record.schema) JSON file written by `hybrix reproduce --cache`",
        hint: "delete the file and run again; the run is trained again")
    }
    guard record.schema == Record.schema else {
      throw ConfigError(
        file: file, path: "schema", message: "is \(record.schema)", expected: Record.schema,
        hint: "a record from another version of Hybrix: delete the file and run again")
    }
    return record.isRun(model: model, configuration: configuration, trainSamples: trainSamples, testSamples: testSamples)
      ? record : nil
  }

  /// Writes `record` (atomically: a killed run leaves no half-written file).
  public func store(_ record: Record) throws(ConfigError) {
    let file = path(
      model: record.model, configuration: record.configuration, trainSamples: record.trainSamples,
      testSamples: record.testSamples)
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      try encoder.encode(record).write(to: URL(fileURLWithPath: file), options: .atomic)
    } catch {
      throw ConfigError(
        file: file, message: "cannot write the training-run record: \(error.localizedDescription)",
        hint: "check that --cache names a writable folder")
    }
  }
}
