import HybrixCLI
import Foundation
import Hardware
import Reports
import Search
import Testing
import Workloads

/// No NaN or infinity in any report: every zoo model × preset × strategy at its smallest size,
/// through `hybrix map --json` in-process, walking the JSON for non-finite numbers.
///
/// ``ReportJSON`` writes a non-finite Double as the string "nan", "inf" or "-inf" (it does not
/// throw), so the walk looks for those strings as well as for non-finite numbers;
/// `theWalkCatchesWhatReportJSONWritesForNonFiniteNumbers` checks that it would catch one.
@Suite struct FiniteReportTests {
  /// Every model runs greedy with the baselines, which run naive and homogeneous on every tier
  /// (on the chip and as single-tier architectures) inside the same report, and every other
  /// strategy of ``StrategyRegistry`` alone; small vision models (under 30 M parameters) also run
  /// naive and homogeneous alone, as their own reports. Keeps the test to seconds (about 25 s of
  /// CPU in a debug build, most of it the language models' baselines).
  static let smallParameters = 3e7
  /// The strategies `map`'s baselines run (Search/Baselines.swift).
  static let inTheBaselines: Set<String> = ["naive", "homogeneous"]

  /// The smallest size of a language model (1 token); vision models at their default image (AlexNet
  /// and VGG need most of it).
  static func sizeArguments(_ model: ZooModel) -> [String] {
    switch model.family {
    case .vision: ["--image-size", "\(model.defaultSize)"]
    case .encoder, .decoder: ["--seq", "1"]
    }
  }

  @Test(arguments: ModelZoo.all.map(\.name))
  func everyPresetAndStrategyGivesFiniteFigures(model name: String) async throws {
    let model = try ModelZoo.model(named: name)
    var numbersChecked = 0
    var runs = 0
    for preset in PresetRegistry.all.map(\.name) {
      let tiers = try PresetRegistry.architecture(named: preset).tiers.map(\.id)
      var runsHere: [[String]] = [["--strategy", "greedy"]]  // with the baselines
      let small = model.family == .vision && model.published.parameters < Self.smallParameters
      for entry in StrategyRegistry.builtIn where entry.name != "greedy" {
        guard small || !Self.inTheBaselines.contains(entry.name) else { continue }
        // Searching strategies (h3pimap, cmswitch) on models under 150 M parameters: in a debug
        // build a search of a multi-billion-parameter decoder takes minutes, and its figures come
        // from the same cost model the greedy and baseline runs of that model already check.
        guard Self.inTheBaselines.contains(entry.name) || model.published.parameters < 150_000_000 else { continue }
        let names = entry.argument == nil ? [entry.name] : tiers.map { "\(entry.name):\($0)" }
        runsHere += names.map { ["--strategy", $0, "--no-baselines"] }
      }
      for extra in runsHere {
        let arguments = ["map", name, "--arch", preset, "--batch", "1", "--json"] + Self.sizeArguments(model) + extra
        let r = await runHybrix(arguments)
        #expect(r.exitCode == 0, "hybrix \(arguments.joined(separator: " ")): \(r.standardError)")
        guard r.exitCode == 0 else { continue }
        let json = try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8), options: [.fragmentsAllowed])
        let bad = NonFiniteWalk.find(in: json)
        #expect(bad.problems.isEmpty, "hybrix \(arguments.joined(separator: " ")): non-finite at \(bad.problems.prefix(5))")
        numbersChecked += bad.numbers
        runs += 1
      }
    }
    // Counted: every run was checked and each report held figures.
    #expect(runs >= PresetRegistry.all.count)
    #expect(numbersChecked >= runs * 10)
  }

  @Test func theWalkCatchesWhatReportJSONWritesForNonFiniteNumbers() throws {
    struct Figures: Encodable { var latencySeconds: Double; var ratios: [Double]; var ok: Double }
    let text = try ReportJSON.encode(Figures(latencySeconds: .nan, ratios: [1, .infinity, -.infinity], ok: 2))
    let json = try JSONSerialization.jsonObject(with: Data(text.utf8))
    let bad = NonFiniteWalk.find(in: json)
    #expect(bad.problems.sorted() == ["$.latencySeconds", "$.ratios[1]", "$.ratios[2]"])
    #expect(bad.numbers == 2)
  }
}

/// Finds non-finite numbers in parsed JSON, by their path (`$.result.latencySeconds`).
enum NonFiniteWalk {
  /// What ``ReportJSON`` writes for a non-finite Double.
  static let nonFiniteStrings: Set<String> = ["nan", "inf", "-inf"]

  static func find(in value: Any, at path: String = "$") -> (problems: [String], numbers: Int) {
    switch value {
    case let object as [String: Any]:
      return object.keys.sorted().reduce(into: ([], 0)) { sum, key in
        let inner = find(in: object[key] as Any, at: path + "." + key)
        sum.problems += inner.problems
        sum.numbers += inner.numbers
      }
    case let array as [Any]:
      return array.enumerated().reduce(into: ([], 0)) { sum, item in
        let inner = find(in: item.element, at: path + "[\(item.offset)]")
        sum.problems += inner.problems
        sum.numbers += inner.numbers
      }
    case let string as String:
      return (nonFiniteStrings.contains(string.lowercased()) ? [path] : [], 0)
    case let number as NSNumber:
      // Booleans are NSNumbers too; they are finite.
      return (number.doubleValue.isFinite ? [] : [path], 1)
    default:
      return ([], 0)
    }
  }
}
