import HybrixCore

/// A registered strategy type, as the registry and the help texts see it.
public struct StrategyEntry: Sendable {
  public let name: String
  public let summary: String
  public let argument: String?
  public let findsFronts: Bool
  let make: @Sendable (StrategyRequest) -> Result<any SearchStrategy, ConfigError>

  public init<S: SearchStrategy>(_ type: S.Type) {
    name = S.name
    summary = S.summary
    argument = S.argument
    findsFronts = S.findsFronts
    make = { request in
      do throws(ConfigError) { return .success(try S.make(request)) } catch { return .failure(error) }
    }
  }

  /// How the strategy is written on the command line (`greedy`, `homogeneous:<tier>`).
  public var usage: String { argument.map { "\(name):\($0)" } ?? name }
}

/// The strategies `--strategy` accepts: a list of types. Names, help texts and nearest-name
/// hints all come from it; a new strategy is one file and one line here.
public enum StrategyRegistry {
  public static let builtIn: [StrategyEntry] = [
    StrategyEntry(GreedyStrategy.self),
    StrategyEntry(NaiveStrategy.self),
    StrategyEntry(HomogeneousStrategy.self),
    StrategyEntry(H3PIMAPStrategy.self),
    StrategyEntry(CMSwitchStrategy.self),
    StrategyEntry(LionHeartStrategy.self),
  ]

  /// How each strategy is written on the command line.
  public static var names: [String] { builtIn.map(\.usage) }

  /// One line per strategy: its command-line form and what it does.
  public static var help: String {
    let width = names.map(\.count).max() ?? 0
    return builtIn.map { "  " + $0.usage.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.summary }
      .joined(separator: "\n")
  }

  /// The strategy written `text` (`greedy`, `homogeneous:sa0`) with `options`, checked against
  /// the architecture's tier ids.
  public static func strategy(
    named text: String, tiers: [String], options: [String: String] = [:]
  ) throws(ConfigError) -> any SearchStrategy {
    let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
    let base = parts.first ?? ""
    let argument = parts.count > 1 ? parts[1] : nil
    guard let entry = builtIn.first(where: { $0.name == base }) else {
      throw ConfigError(
        path: "--strategy", message: "unknown strategy \"\(text)\"", expected: names.joined(separator: ", "),
        hint: NearestName.suggestion(for: base, among: builtIn.map(\.name)).map { "did you mean \($0)?" })
    }
    if entry.argument == nil, argument != nil {
      throw ConfigError(path: "--strategy", message: "\(base) takes no argument, got \"\(text)\"", expected: base)
    }
    if let wanted = entry.argument, argument == nil || argument == "" {
      throw ConfigError(
        path: "--strategy", message: "\(base) needs \(wanted)", expected: tiers.map { "\(base):\($0)" }.joined(separator: ", "),
        hint: "e.g. --strategy \(base):\(tiers.first ?? "TIER")")
    }
    return try entry.make(StrategyRequest(argument: argument, options: options, tierIDs: tiers)).get()
  }

  /// `key=value` strategy options as the user wrote them.
  public static func parseOptions(_ pairs: [String]) throws(ConfigError) -> [String: String] {
    var out: [String: String] = [:]
    for pair in pairs {
      let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
      guard kv.count == 2, !kv[0].isEmpty else {
        throw ConfigError(path: "--strategy-option", message: "\"\(pair)\"", expected: "KEY=VALUE, e.g. population=64")
      }
      guard out[kv[0]] == nil else {
        throw ConfigError(path: "--strategy-option", message: "\(kv[0]) given twice", expected: "each option once")
      }
      out[kv[0]] = kv[1]
    }
    return out
  }
}
