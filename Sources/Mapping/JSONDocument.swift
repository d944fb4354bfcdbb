import Foundation
import HybrixCore

/// A JSON document held as values, so that a reader can check every field with its path inside
/// the file and reject keys it does not know — what `Decodable` alone does not say well.
///
/// Numbers are decoded by `JSONDecoder` as `Double`, which reads the shortest round-trip
/// decimals `JSONEncoder` writes back to the same bits.
indirect enum JSONValue: Decodable, Sendable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])
  /// A number too large for a `Double` (`1e999`).
  case unrepresentableNumber

  init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() {
      self = .null
    } else if let b = try? c.decode(Bool.self) {
      self = .bool(b)
    } else if let n = try? c.decode(Double.self) {
      self = .number(n)
    } else if let s = try? c.decode(String.self) {
      self = .string(s)
    } else if let a = try? c.decode([JSONValue].self) {
      self = .array(a)
    } else if let o = try? c.decode([String: JSONValue].self) {
      self = .object(o)
    } else {
      // A well-formed document holds nothing else: what no type takes is a number out of range.
      self = .unrepresentableNumber
    }
  }

  /// What was found, for messages: `a string ("x")`, `the number 1.5`, `an object`.
  var found: String {
    switch self {
    case .null: "null"
    case .bool(let b): "\(b)"
    case .number(let n):
      "the number \(n.rounded() == n && abs(n) < 1e15 ? String(Int(n)) : String(n))"
    case .string(let s): "the string \"\(s.count > 40 ? s.prefix(40) + "…" : s)\""
    case .array(let a): "an array of \(a.count)"
    case .object: "an object"
    case .unrepresentableNumber: "a number beyond the range of a Double"
    }
  }
}

/// Reads typed fields out of a ``JSONValue`` tree, each failure a ``ConfigError`` naming `file`
/// and the JSON path of the field (`operators[3](conv1).shares[1].tier`).
struct JSONFieldReader {
  let file: String
  /// The hint given with every structural error.
  let hint: String

  func error(_ path: String, _ message: String, expected: String, hint: String? = nil)
    -> ConfigError
  {
    ConfigError(
      file: file, path: path.isEmpty ? nil : path, message: message, expected: expected,
      hint: hint ?? self.hint)
  }

  static func join(_ path: String, _ key: String) -> String {
    path.isEmpty ? key : path + "." + key
  }

  /// The members of the object `value`, after checking that it has no key outside `keys`.
  func object(_ value: JSONValue, at path: String, keys: [String], what: String) throws(ConfigError)
    -> [String: JSONValue]
  {
    let members = try object(value, at: path, what: what)
    try checkKeys(members, at: path, keys: keys)
    return members
  }

  /// The members of the object `value`, whatever their keys.
  func object(_ value: JSONValue, at path: String, what: String) throws(ConfigError) -> [String:
    JSONValue]
  {
    guard case .object(let members) = value else {
      throw error(path, "found \(value.found)", expected: what)
    }
    return members
  }

  /// Rejects the first key (in sorted order) of `members` that is not in `keys`.
  func checkKeys(_ members: [String: JSONValue], at path: String, keys: [String])
    throws(ConfigError)
  {
    for key in members.keys.sorted() where !keys.contains(key) {
      let near = NearestName.suggestion(for: key, among: keys).map { "did you mean \($0)? " } ?? ""
      throw error(
        Self.join(path, key), "unknown key \"\(key)\"",
        expected: "one of \(keys.joined(separator: ", "))",
        hint: near + "unknown keys are rejected so that a typo cannot silently change a mapping")
    }
  }

  /// Member `key` of `members`, which must be present (and not null).
  func member(_ members: [String: JSONValue], _ key: String, at path: String, expected: String)
    throws(ConfigError) -> JSONValue
  {
    guard let v = members[key] else {
      throw error(Self.join(path, key), "missing", expected: expected)
    }
    guard !v.isNull else { throw error(Self.join(path, key), "found null", expected: expected) }
    return v
  }

  func string(_ value: JSONValue, at path: String, expected: String = "a string")
    throws(ConfigError) -> String
  {
    guard case .string(let s) = value else {
      throw error(path, "found \(value.found)", expected: expected)
    }
    return s
  }

  /// A string that is one of `choices`.
  func choice(_ value: JSONValue, at path: String, _ choices: [String]) throws(ConfigError)
    -> String
  {
    let expected = "one of \(choices.joined(separator: ", "))"
    let s = try string(value, at: path, expected: expected)
    guard choices.contains(s) else {
      let near = NearestName.suggestion(for: s, among: choices).map { "did you mean \($0)?" }
      throw error(path, "\"\(s)\"", expected: expected, hint: near ?? hint)
    }
    return s
  }

  func number(_ value: JSONValue, at path: String, expected: String) throws(ConfigError) -> Double {
    guard case .number(let n) = value, n.isFinite else {
      throw error(path, "found \(value.found)", expected: expected)
    }
    return n
  }

  /// A whole number in `range`.
  func integer(_ value: JSONValue, at path: String, in range: ClosedRange<Int>, expected: String)
    throws(ConfigError) -> Int
  {
    let n = try number(value, at: path, expected: expected)
    // `Int(exactly:)`: 2^63 compares ≤ Double(Int.max) but does not fit an Int.
    guard let i = Int(exactly: n), range.contains(i) else {
      throw error(path, "found \(value.found)", expected: expected)
    }
    return i
  }

  func array(_ value: JSONValue, at path: String, expected: String) throws(ConfigError)
    -> [JSONValue]
  {
    guard case .array(let a) = value else {
      throw error(path, "found \(value.found)", expected: expected)
    }
    return a
  }

  /// An optional member: absent and null are `nil`.
  func optional<T>(
    _ members: [String: JSONValue], _ key: String, at path: String,
    _ read: (JSONValue, String) throws(ConfigError) -> T
  ) throws(ConfigError) -> T? {
    guard let v = members[key], !v.isNull else { return nil }
    return try read(v, Self.join(path, key))
  }
}

extension JSONValue {
  var isNull: Bool {
    if case .null = self { return true }
    return false
  }
}
