import Execution
import Foundation
import HybrixCore
import HybrixNumerics
import Reports
import Reproduction
import Testing

/// `reproduce`'s inputs besides the paper name: an edited preset (`--arch`) and missing
/// checkpoints (`--train-missing`, and the command printed without it).
@Suite struct ReproduceInputsTests {
  static let dataInstalled = FileManager.default.fileExists(atPath: FashionMNIST.defaultDirectory)

  /// A fresh folder under the temporary directory.
  static func folder(_ name: String) throws -> String {
    let path = NSTemporaryDirectory() + "hybrix-\(name)-\(ProcessInfo.processInfo.processIdentifier)"
    try? FileManager.default.removeItem(atPath: path)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// `hybrix archs NAME` written to `folder/file`, with `edit` applied to the YAML text.
  static func presetFile(_ name: String, in folder: String, as file: String, edit: (String) -> String = { $0 }) async throws -> String {
    let yaml = try #require(await runHybrixOK(["archs", name]))
    let path = folder + "/" + file
    try edit(yaml).write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// The preset printed as YAML and given back with --arch gives the same figures as the
  /// preset itself (one truth through the file), and the report says the preset was replaced.
  @Test func presetRoundTripGivesTheSameFigures() async throws {
    let dir = try Self.folder("reproduce-arch")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let file = try await Self.presetFile("h3pimap", in: dir, as: "h3pimap.yaml")
    let decode = { (s: String) throws -> PaperComparison in
      try #require(try JSONDecoder().decode(ReproductionReport.self, from: Data(s.utf8)).papers.first)
    }
    let preset = try decode(try #require(await runHybrixOK(["reproduce", "h3pimap", "--quick", "--json"])))
    let edited = try decode(try #require(await runHybrixOK(["reproduce", "h3pimap", "--quick", "--json", "--arch", file])))
    #expect(preset.figures.count > 4)
    #expect(edited.figures.map(\.ours) == preset.figures.map(\.ours))
    #expect(edited.assumptions.first?.contains("\(file) in place of the h3pimap preset") == true)
    #expect(!preset.assumptions.contains { $0.contains("in place of") })
  }

  /// An edited preset on which the experiment no longer applies, malformed `--arch` values and a
  /// missing checkpoint: one clear message each, before anything long runs.
  @Test func editedPresetsThatNoLongerApply() async throws {
    let dir = try Self.folder("reproduce-bad-arch")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let digital = try await Self.presetFile("systolic-baseline", in: dir, as: "digital.yaml")
    let lionheart = try await Self.presetFile("lionheart", in: dir, as: "lionheart.yaml")
    let computeOnly = try await Self.presetFile("cmswitch", in: dir, as: "compute-only.yaml") {
      $0.replacingOccurrences(of: "dual_mode: true", with: "dual_mode: false")
    }
    let checked = await expectClearFailures([
      (["reproduce", "lionheart", "--quick", "--arch", digital], "no analog tier"),
      (["reproduce", "h3pimap", "--quick", "--arch", lionheart], "missing: cim0, reram0, lt0"),
      (["reproduce", "cmswitch", "--quick", "--arch", lionheart], "no CIM tier can run"),
      (["reproduce", "cmswitch", "--quick", "--arch", computeOnly], "no memory mode"),
      (["reproduce", "mirage", "--quick", "--arch", lionheart], "no longer applies"),
      (["reproduce", "all", "--quick", "--arch", lionheart], "does not say which paper"),
      (["reproduce", "lionheart", "--quick", "--arch", "lionhart=\(lionheart)"], "did you mean lionheart?"),
      (["reproduce", "lionheart", "--quick", "--arch", "h3pimap=\(lionheart)"], "not a paper this run reproduces"),
      (["reproduce", "all", "--quick", "--arch", "lionheart=\(lionheart)", "--arch", "lionheart=\(digital)"], "two files replace"),
      (["reproduce", "lionheart", "--quick", "--arch", dir + "/absent.yaml"], "absent.yaml"),
      (["reproduce", "lionheart", "--quick", "--models", dir + "/no-models"], "or add --train-missing"),
      (["reproduce", "mirage", "--accuracy-model", "resnet2"], "did you mean resnet20?"),
      (["reproduce", "mirage", "--quick", "--cache", lionheart], "is a file"),
    ])
    #expect(checked == 13)
  }

  /// The printed command is the recipe's configuration, flag for flag (docs/training.md's runs).
  @Test func recipeCommandsAreTheTrainingRuns() throws {
    let vgg = try #require(CheckpointRecipe.all.first { $0.model == "vgg-fm" })
    #expect(
      vgg.command(out: "models/vgg-fm.onnx")
        == "hybrix train vgg-fm --dataset fashion-mnist --epochs 2 --batch-size 64 --lr 0.05 --momentum 0.9 --weight-decay 0.0001 --seed 0 --out models/vgg-fm.onnx")
    let transformer = try #require(CheckpointRecipe.all.first { $0.model == "tiny-transformer-fm" })
    #expect(transformer.command(out: "m.onnx").contains("--epochs 5 --batch-size 64 --optimizer adam --lr 0.001 --seed 0"))
    // Every model the LionHeart experiment reads has a recipe.
    #expect(Set(CheckpointRecipe.all.map(\.model)) == ["small-cnn", "resnet20-fm", "vgg-fm", "tiny-transformer-fm"])
  }

  /// A missing checkpoint: without --train-missing, the error carries the command; with it the
  /// recipe trains and writes the checkpoint, which loads, and a second call does not retrain.
  @Test(.enabled(if: dataInstalled, "needs: \(FashionMNIST.installHint)"))
  func missingCheckpointIsTrainedOnRequest() throws {
    let dir = try Self.folder("reproduce-train")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let recipe = CheckpointRecipe(model: "mlp", minutes: 1, trainImages: 256, testImages: 128) { $0.learningRate = 0.05 }
    let models = dir + "/models"
    let refusing = ReproductionContext(quick: true, modelsFolder: models)
    #expect {
      try refusing.checkpoint("mlp", recipes: [recipe])
    } throws: { error in
      let e = error as? ConfigError
      return e?.hint?.contains(recipe.command(out: models + "/mlp.onnx")) == true && e?.hint?.contains("--train-missing") == true
    }
    #expect(!FileManager.default.fileExists(atPath: models + "/mlp.onnx"))
    let training = ReproductionContext(quick: true, modelsFolder: models, trainMissing: true, tool: "hybrix test")
    let path = try training.checkpoint("mlp", recipes: [recipe])
    #expect(path == models + "/mlp.onnx")
    let written = try #require(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
    let network = try Network.load(onnx: path)
    #expect(network.parameterCount > 0)
    // The same run by hand gives the same weights: the recipe is the trainer with its configuration.
    let train = try FashionMNIST.load(split: .train, limit: 256)
    let test = try FashionMNIST.load(split: .test, limit: 128)
    let again = dir + "/again.onnx"
    _ = try Trainer(recipe.configuration).trainZoo("mlp", on: train, test: test, out: again, tool: "hybrix test")
    #expect(try Data(contentsOf: URL(fileURLWithPath: again)) == Data(contentsOf: URL(fileURLWithPath: path)))
    _ = try training.checkpoint("mlp", recipes: [recipe])
    let unchanged = try #require(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
    #expect(unchanged == written)
  }
}
