/// An error in something a user gave Hybrix: a file, a flag, a model name.
///
/// It names where the problem is (`file`, and `path` inside it, such as
/// `graph.node[3](conv1).attribute.kernel_shape` or `tiers[2].adc_bits`), what was found
/// (`message`), what was expected, and a hint for fixing it. The CLI prints
/// ``description`` and exits non-zero; library code never prints.
public struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
  public var file: String?
  public var path: String?
  public var message: String
  public var expected: String?
  public var hint: String?

  public init(
    file: String? = nil, path: String? = nil, message: String, expected: String? = nil,
    hint: String? = nil
  ) {
    self.file = file
    self.path = path
    self.message = message
    self.expected = expected
    self.hint = hint
  }

  /// `file: path: message (expected …)` followed by a hint line.
  public var description: String {
    var location = [file, path].compactMap { $0 }.joined(separator: ": ")
    if !location.isEmpty { location += ": " }
    var s = location + message
    if let expected { s += " (expected \(expected))" }
    if let hint { s += "\n  hint: \(hint)" }
    return s
  }

  /// The same error, placed in `file` when it did not name one yet.
  public func inFile(_ name: String) -> ConfigError {
    var copy = self
    if copy.file == nil { copy.file = name }
    return copy
  }

  /// The same error with `prefix` put in front of its path (`graph` + `node[2]` → `graph.node[2]`).
  public func underPath(_ prefix: String) -> ConfigError {
    var copy = self
    if let p = copy.path, !p.isEmpty {
      copy.path = p.hasPrefix("[") ? prefix + p : prefix + "." + p
    } else {
      copy.path = prefix
    }
    return copy
  }
}

/// Several configuration errors found in one pass, reported together.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
  public var errors: [ConfigError]
  public init(_ errors: [ConfigError]) { self.errors = errors }
  public var description: String {
    "\(errors.count) error\(errors.count == 1 ? "" : "s"):\n"
      + errors.map { "- " + $0.description }.joined(separator: "\n")
  }
}
