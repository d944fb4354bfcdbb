import HybrixCore
import Numerics

/// The arithmetics a user can name on the command line (`hybrix train --arithmetic rns`,
/// accuracy runs), each built from a seed so that runs are reproducible.
///
/// A new arithmetic is one file plus one line in ``entries``; the conformance tests in
/// `DevicesTests` run over every entry.
public enum ArithmeticRegistry {
  public struct Entry: Sendable {
    public var name: String
    public var summary: String
    public var make: @Sendable (_ seed: UInt64) throws(ConfigError) -> any ProductArithmetic
  }

  public static let entries: [Entry] = [
    Entry(name: "fp32", summary: "exact Float32 products (reference)") { _ in ExactArithmetic() },
  ]

  public static var names: [String] { entries.map(\.name) }

  /// The arithmetic called `name`, seeded with `seed`.
  public static func make(_ name: String, seed: UInt64) throws(ConfigError) -> any ProductArithmetic {
    guard let entry = entries.first(where: { $0.name == name.lowercased() }) else {
      let suggestion = NearestName.suggestion(for: name, among: names)
      throw ConfigError(
        path: "--arithmetic", message: "unknown arithmetic '\(name)'",
        expected: "one of \(names.joined(separator: ", "))",
        hint: suggestion.map { "did you mean '\($0)'?" })
    }
    return try entry.make(seed)
  }
}
