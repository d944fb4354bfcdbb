import Foundation
import Hardware
import HybrixCore
import Reports

/// What an experiment may use besides its own code: how much to run, where trained models and
/// data sets are, and where to say how far it got.
public struct ReproductionContext: Sendable {
  /// The reduced version (about a minute for all papers; what the tests run).
  public var quick: Bool
  /// The folder of trained models (`models/` of the repository by default).
  public var modelsFolder: String
  /// The Fashion-MNIST folder (`nil`: the Debian package's).
  public var dataFolder: String?
  /// One line per step ("h3pimap: Pythia-70M stage 1"), for a progress line; may be called
  /// from any thread.
  public var progress: @Sendable (String) -> Void
  /// Architectures that replace a paper's preset (`--arch lionheart=mine.yaml`), by preset name,
  /// with the file each came from.
  public var architectures: [String: (file: String, architecture: Architecture)]
  /// Train a missing checkpoint by its recipe (`--train-missing`) instead of stopping.
  public var trainMissing: Bool
  /// Written into checkpoints trained here ("hybrix 0.1.0").
  public var tool: String
  /// The models Mirage's training-accuracy study trains (full version; `--accuracy-model`).
  public var accuracyModels: [String]
  /// Where finished training runs are kept and reused (`--cache`), so an interrupted run resumes.
  public var trainingCache: TrainingRunCache?

  public init(
    quick: Bool, modelsFolder: String = "models", dataFolder: String? = nil,
    architectures: [String: (file: String, architecture: Architecture)] = [:], trainMissing: Bool = false,
    tool: String = "hybrix", accuracyModels: [String] = ["small-cnn"], trainingCache: TrainingRunCache? = nil,
    progress: @escaping @Sendable (String) -> Void = { _ in }
  ) {
    self.accuracyModels = accuracyModels
    self.trainingCache = trainingCache
    self.quick = quick
    self.modelsFolder = modelsFolder
    self.dataFolder = dataFolder
    self.architectures = architectures
    self.trainMissing = trainMissing
    self.tool = tool
    self.progress = progress
  }
}

/// One paper's experiment: runs it on Hybrix's models and presets and returns the paper's
/// figures beside ours. Every "ours" comes from the code at run time; the paper's figures are
/// constants of the experiment, each with where the paper prints it.
public protocol PaperExperiment: Sendable {
  /// The name `hybrix reproduce` takes.
  static var name: String { get }
  static var title: String { get }
  static var citation: String { get }
  func run(_ context: ReproductionContext) async throws(ConfigError) -> PaperComparison
}

/// The experiments `hybrix reproduce` knows, in the order `all` runs them.
public enum ExperimentRegistry {
  public struct Entry: Sendable {
    public var name: String
    public var title: String
    public var run: @Sendable (ReproductionContext) async throws(ConfigError) -> PaperComparison

    init<E: PaperExperiment>(_ experiment: E) {
      name = E.name
      title = E.title
      run = { context throws(ConfigError) in
        let clock = ContinuousClock.now
        var c = try await experiment.run(context)
        if let replaced = context.architectures[E.name] {
          c.assumptions.insert(
            "architecture from \(replaced.file) in place of the \(E.name) preset: the figures beside the paper's are not the paper's setting",
            at: 0)
        }
        let d = ContinuousClock.now - clock
        c.wallSeconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        return c
      }
    }
  }

  public static let all: [Entry] = [
    Entry(H3PIMAPExperiment()),
    Entry(CMSwitchExperiment()),
    Entry(MirageExperiment()),
    Entry(LionHeartExperiment()),
  ]

  public static var names: [String] { all.map(\.name) }

  /// The experiments `name` selects (`all`: every one), or an error with the nearest name.
  public static func select(_ name: String) throws(ConfigError) -> [Entry] {
    let key = name.lowercased()
    if key == "all" { return all }
    if let e = all.first(where: { $0.name == key }) { return [e] }
    throw ConfigError(
      path: "PAPER", message: "unknown paper \"\(name)\"", expected: (names + ["all"]).joined(separator: ", "),
      hint: NearestName.suggestion(for: name, among: names + ["all"]).map { "did you mean \($0)?" })
  }
}
