import ArgumentParser
import HybrixCore
import Search

/// `map`'s friendly flags for `--strategy lionheart` (and for an accuracy threshold with any
/// strategy): they become the goal's `accuracy-drop<=X@T` constraint and the strategy's options.
struct LionHeartOptions: ParsableArguments {
  @Option(name: .customLong("accuracy-drop"), help: "Largest accuracy drop against the all-digital model, in points (lionheart's threshold; adds the constraint accuracy-drop<=X@AT).")
  var accuracyDrop: Double?

  @Option(name: .long, help: "Time after programming at which the accuracy is judged (default 1d).")
  var at: String?

  @Flag(name: .long, help: "lionheart: rank and accept by per-layer sensitivity measured once, one Monte-Carlo check at the end.")
  var fast = false

  @Option(name: .long, help: "lionheart: plan re-programming over this lifetime, e.g. 1y.")
  var lifetime: String?

  /// Whether `search` runs lionheart.
  func isLionHeart(_ search: SearchOptions) -> Bool {
    search.strategy.split(separator: ":").first.map(String.init) == LionHeartStrategy.name
  }

  /// `search` with the threshold as a constraint and the lionheart flags as strategy options.
  func applied(to search: SearchOptions) throws(ConfigError) -> SearchOptions {
    var s = search
    if let accuracyDrop {
      guard accuracyDrop.isFinite, accuracyDrop >= 0 else {
        throw ConfigError(
          path: "--accuracy-drop", message: "\(accuracyDrop)", expected: "a drop ≥ 0 percentage points",
          hint: "the drop is all-digital minus mapped accuracy, e.g. --accuracy-drop 2")
      }
      let time = try Time.parse(at ?? "1d", path: "--at")
      guard time.seconds.isFinite, time.seconds >= 0 else {
        throw ConfigError(path: "--at", message: "\"\(at ?? "")\"", expected: "a time ≥ 0 after programming, e.g. 1d")
      }
      s.constraint.append("accuracy-drop<=\(accuracyDrop)@\(time.seconds)s")
    } else if let at {
      throw ConfigError(path: "--at", message: "--at \(at) without --accuracy-drop", expected: "--accuracy-drop POINTS --at TIME")
    }
    let wanted = [("mode", fast ? "fast" : nil), ("lifetime", lifetime)].compactMap { k, v in v.map { "\(k)=\($0)" } }
    if !wanted.isEmpty {
      guard isLionHeart(search) else {
        throw ConfigError(
          path: fast ? "--fast" : "--lifetime", message: "only lionheart takes this flag (strategy \(search.strategy))",
          expected: "--strategy lionheart")
      }
      s.strategyOptions += wanted
    }
    return s
  }
}
