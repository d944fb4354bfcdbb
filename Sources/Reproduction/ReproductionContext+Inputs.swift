import Execution
import Foundation
import Hardware
import HybrixCore
import HybrixNumerics

extension ReproductionContext {
  /// The architecture `preset`'s experiment runs on: the user's file when `--arch` replaced it,
  /// else the preset.
  public func architecture(preset: String) throws(ConfigError) -> Architecture {
    if let replaced = architectures[preset] { return replaced.architecture }
    do { return try PresetRegistry.architecture(named: preset) } catch {
      throw ConfigError(message: "the \(preset) preset does not load: \(error)", hint: "this is a bug in Hybrix")
    }
  }

  /// The error for an architecture on which `preset`'s experiment no longer applies (`what` is
  /// missing), naming the user's file when one replaced the preset.
  public func noLongerApplies(_ preset: String, _ what: String) -> ConfigError {
    if let replaced = architectures[preset] {
      return ConfigError(
        file: replaced.file, message: "the \(preset) experiment no longer applies: \(what)",
        hint: "this file replaces the \(preset) preset (--arch); compare it with `hybrix archs \(preset)`")
    }
    return ConfigError(path: preset, message: "the \(preset) preset no longer fits its experiment: \(what)", hint: "this is a bug in Hybrix")
  }

  /// The trained checkpoint of `model` in the models folder. A missing one is trained first by
  /// its recipe (`CheckpointRecipe`) with `trainMissing`, else it is an error with the command
  /// that makes it.
  public func checkpoint(_ model: String, recipes: [CheckpointRecipe] = CheckpointRecipe.all) throws(ConfigError) -> String {
    let path = modelsFolder + "/\(model).onnx"
    if FileManager.default.fileExists(atPath: path) { return path }
    func missing(_ hint: String) -> ConfigError {
      ConfigError(file: path, message: "no trained \(model)", expected: "the checkpoint `hybrix train \(model)` writes", hint: hint)
    }
    guard let recipe = recipes.first(where: { $0.model == model }) else {
      throw missing("train it: hybrix train \(model) --out \(path) (docs/training.md)")
    }
    guard trainMissing else {
      throw missing(
        "train it (the committed run took \(recipe.minutes) minutes on a shared 2-core machine; docs/training.md): \(recipe.command(out: path)) — or add --train-missing")
    }
    var isFolder: ObjCBool = false
    if !FileManager.default.fileExists(atPath: modelsFolder, isDirectory: &isFolder) {
      do { try FileManager.default.createDirectory(atPath: modelsFolder, withIntermediateDirectories: true) } catch {
        throw ConfigError(file: modelsFolder, message: "cannot create the models folder: \(error.localizedDescription)", hint: "check --models")
      }
    } else if !isFolder.boolValue {
      throw ConfigError(file: modelsFolder, message: "is not a folder", expected: "the folder of trained models", hint: "check --models")
    }
    let data = dataFolder ?? FashionMNIST.defaultDirectory
    let train = try FashionMNIST.load(split: .train, directory: data, limit: recipe.trainImages)
    let test = try FashionMNIST.load(split: .test, directory: data, limit: recipe.testImages)
    progress("training \(model) (\(recipe.command(out: path)); the committed run took \(recipe.minutes) minutes)")
    _ = try recipe.train(on: train, test: test, out: path, tool: tool) { p in
      if p.phase == .training, p.batch % 50 == 0 {
        progress("training \(model): epoch \(p.epoch)/\(p.epochs), batch \(p.batch)/\(p.batches)")
      }
    }
    return path
  }
}
