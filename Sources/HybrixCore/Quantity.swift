import Foundation

/// A physical quantity stored as a `Double` in its SI base unit, with a table of the unit
/// spellings a user may write.
///
/// Every concrete quantity (``Energy``, ``Time``, ``Power`` …) conforms, so parsing, printing,
/// arithmetic and comparison are written once here. Values read from a file always come from
/// ``parse(_:)``, which rejects a missing or wrong unit with a ``ConfigError``.
public protocol Quantity: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
  /// The value in the SI base unit (joule, second, watt, m², byte, byte/s, hertz, siemens).
  var baseValue: Double { get }
  init(baseValue: Double)
  /// Name of the dimension, e.g. `"energy"`, used in error messages.
  static var dimension: String { get }
  /// Accepted unit spellings and their factor to the base unit, most common first.
  static var units: [(symbol: String, factor: Double)] { get }
  /// Symbols used for printing, from the largest factor down.
  static var displayUnits: [(symbol: String, factor: Double)] { get }
}

extension Quantity {
  public static var displayUnits: [(symbol: String, factor: Double)] { units }

  public static var zero: Self { Self(baseValue: 0) }

  public static func < (a: Self, b: Self) -> Bool { a.baseValue < b.baseValue }
  public static func + (a: Self, b: Self) -> Self { Self(baseValue: a.baseValue + b.baseValue) }
  public static func - (a: Self, b: Self) -> Self { Self(baseValue: a.baseValue - b.baseValue) }
  public static func * (a: Self, k: Double) -> Self { Self(baseValue: a.baseValue * k) }
  public static func * (k: Double, a: Self) -> Self { Self(baseValue: a.baseValue * k) }
  public static func / (a: Self, k: Double) -> Self { Self(baseValue: a.baseValue / k) }
  /// The dimensionless ratio of two quantities of the same kind.
  public static func / (a: Self, b: Self) -> Double { a.baseValue / b.baseValue }
  public static func += (a: inout Self, b: Self) { a = a + b }

  /// The value expressed in `symbol` (one of ``units``); `nil` for an unknown symbol.
  public func value(in symbol: String) -> Double? {
    guard let f = Self.factor(of: symbol) else { return nil }
    return baseValue / f
  }

  static func factor(of symbol: String) -> Double? {
    Self.units.first(where: { $0.symbol == symbol })?.factor
  }

  /// Parses `"<number> <unit>"` (space optional), e.g. `"0.45 pJ"`, `"64 GB/s"`, `"130ns"`.
  ///
  /// - Parameters:
  ///   - text: The string as written by the user.
  ///   - file: File the string came from, for the error message.
  ///   - path: Path of the value inside that file (`tiers[2].energy`).
  /// - Throws: ``ConfigError`` when the number or unit is missing, unknown or of another dimension.
  public static func parse(_ text: String, file: String? = nil, path: String? = nil) throws(ConfigError)
    -> Self
  {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let expected = "\(dimension) with a unit, e.g. \"\(Self.example)\""
    let (numberText, unitText) = splitNumberAndUnit(trimmed)
    guard let number = Double(numberText), number.isFinite else {
      throw ConfigError(
        file: file, path: path, message: "\"\(text)\" is not a number with a unit",
        expected: expected, hint: "write the number, a space, then one of: \(symbolList)")
    }
    guard !unitText.isEmpty else {
      throw ConfigError(
        file: file, path: path, message: "\"\(text)\" has no unit", expected: expected,
        hint: "units for \(dimension): \(symbolList)")
    }
    guard let factor = factor(of: unitText) else {
      var hint = "units for \(dimension): \(symbolList)"
      if let other = QuantityKinds.dimension(ofUnit: unitText) {
        hint = "\"\(unitText)\" is a unit of \(other), not of \(dimension); " + hint
      }
      throw ConfigError(
        file: file, path: path, message: "unknown \(dimension) unit \"\(unitText)\"",
        expected: expected, hint: hint)
    }
    return Self(baseValue: number * factor)
  }

  static var symbolList: String { units.map(\.symbol).joined(separator: ", ") }
  static var example: String { "1 \(units.first?.symbol ?? "")" }

  /// A readable form with an automatically chosen prefix and 4 significant digits.
  public var description: String { formatted(significantDigits: 4) }

  public func formatted(significantDigits: Int = 4) -> String {
    let magnitude = abs(baseValue)
    let candidates = Self.displayUnits.sorted { $0.factor > $1.factor }
    // Zero is shown in the base unit ("0 s", "0 J"), not the smallest prefix ("0 fs").
    let base = candidates.first { $0.factor == 1 }
    let chosen =
      (magnitude == 0 ? base : nil)
      ?? candidates.first(where: { magnitude >= $0.factor * 0.9995 }) ?? candidates.last
      ?? (symbol: "", factor: 1)
    let v = magnitude == 0 ? 0 : baseValue / chosen.factor
    return "\(formatSignificant(v, digits: significantDigits)) \(chosen.symbol)"
  }

  // Codable: a quantity is written as its string with unit, so files round-trip.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    let path = decoder.codingPath.map(\.stringValue).joined(separator: ".")
    self = try Self.parse(text, path: path.isEmpty ? nil : path)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(exactDescription)
  }

  /// A lossless string for files: the value in the most readable display unit whose shortest
  /// decimal form parses back to exactly the same value (`"0.23 pJ"`, `"1.0 GHz"`), else in the
  /// base unit.
  public var exactDescription: String {
    let magnitude = abs(baseValue)
    let candidates = Self.displayUnits.sorted { $0.factor > $1.factor }
      .filter { magnitude >= $0.factor * 0.9995 || magnitude == 0 }
    for unit in candidates + Self.displayUnits.sorted(by: { $0.factor < $1.factor }) {
      let text = "\(baseValue / unit.factor) \(unit.symbol)"
      if let back = try? Self.parse(text), back.baseValue == baseValue { return text }
    }
    let base = Self.units.first(where: { $0.factor == 1 })?.symbol ?? Self.units[0].symbol
    return "\(baseValue) \(base)"
  }
}

/// Splits "12.5GB/s" into ("12.5", "GB/s"): the number is the longest prefix that parses.
func splitNumberAndUnit(_ s: String) -> (String, String) {
  let chars = Array(s)
  var end = 0
  var i = 0
  let numberChars = Set("0123456789.+-eE")
  while i < chars.count, numberChars.contains(chars[i]) {
    i += 1
    // Only accept the prefix if it is a valid number so far ("1e" is not, "1e3" is).
    if Double(String(chars[0..<i])) != nil { end = i }
  }
  let number = String(chars[0..<end])
  let unit = String(chars[end...]).trimmingCharacters(in: .whitespaces)
  return (number, unit)
}

/// Formats `v` with `digits` significant digits, without exponent for ordinary magnitudes.
public func formatSignificant(_ v: Double, digits: Int) -> String {
  if v == 0 || !v.isFinite { return v == 0 ? "0" : "\(v)" }
  let exponent = Int((log10(abs(v))).rounded(.down))
  let decimals = max(0, digits - 1 - exponent)
  if exponent >= 15 || exponent < -3 { return String(format: "%.\(digits - 1)e", v) }
  return String(format: "%.\(decimals)f", v)
}
