import ArgumentParser
import HybrixCore
import Search

/// The options that say what a search is for and what it may spend, shared by every command that
/// searches (`map`, `accuracy` with a strategy, later `explore` and sweeps).
struct SearchOptions: ParsableArguments {
  @Option(name: .long, help: "A strategy: \(StrategyRegistry.names.joined(separator: ", ")) (see --help).")
  var strategy: String = "greedy"

  @Option(name: .customLong("strategy-option"), help: "A strategy setting KEY=VALUE (repeatable).")
  var strategyOptions: [String] = []

  @Option(name: .long, help: "What to minimise: latency, energy, edp or area; several, comma-separated, for a Pareto front.")
  var objective: String = "latency"

  @Option(name: .long, help: "A bound a mapping must meet, e.g. latency<=2ms, energy<=3mJ, area<=50mm2, accuracy-drop<=1@1d (needs --weights; repeatable).")
  var constraint: [String] = []

  @Option(name: .long, help: "Seed of the strategy's random choices; the same seed gives the same result.")
  var seed: UInt64 = 1

  @Option(name: .customLong("time-limit"), help: "Stop the search after this long, e.g. 500ms, 30s (default: no limit).")
  var timeLimit: String?

  @Option(name: .long, help: "Stop the search after this many full simulations (default: no limit).")
  var evaluations: Int?

  func goal() throws(ConfigError) -> Goal { try Goal.parse(objectives: objective, constraints: constraint) }
  func budget() throws(ConfigError) -> SearchBudget { try SearchBudget.parse(timeLimit: timeLimit, evaluations: evaluations) }

  func chosenStrategy(tiers: [String]) throws(ConfigError) -> any SearchStrategy {
    try StrategyRegistry.strategy(named: strategy, tiers: tiers, options: try StrategyRegistry.parseOptions(strategyOptions))
  }
}
