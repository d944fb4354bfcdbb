import HybrixCore

/// The strategies `--strategy` accepts. A new strategy is one file and one entry here.
public enum StrategyRegistry {
  public static let names = ["greedy", "naive", "homogeneous:<tier>"]

  /// The strategy called `name`, checked against the architecture's tier ids.
  public static func strategy(named name: String, tiers: [String]) throws(ConfigError) -> any SearchStrategy {
    if name == "greedy" { return GreedyStrategy() }
    if name == "naive" { return NaiveStrategy() }
    if name.hasPrefix("homogeneous:") {
      let tier = String(name.dropFirst("homogeneous:".count))
      guard tiers.contains(tier) else {
        throw ConfigError(
          path: "--strategy", message: "no tier \"\(tier)\" in this architecture",
          expected: tiers.map { "homogeneous:\($0)" }.joined(separator: ", "),
          hint: NearestName.suggestion(for: tier, among: tiers).map { "did you mean homogeneous:\($0)?" })
      }
      return HomogeneousStrategy(tier: tier)
    }
    throw ConfigError(
      path: "--strategy", message: "unknown strategy \"\(name)\"", expected: names.joined(separator: ", "),
      hint: NearestName.suggestion(for: name, among: ["greedy", "naive", "homogeneous"]).map { "did you mean \($0)?" })
  }
}
