import Foundation
import HybrixCore

/// A technology number with the source it came from, as every report can show.
///
/// Written in YAML as `{value: "0.45 pJ", source: "Horowitz, ISSCC 2014"}`; `assumed: true`
/// marks a value that a paper leaves out and that Hybrix chose (the source then says why).
/// `Q` is usually a ``Quantity`` with its unit; unit-less values (a dB figure, an efficiency, a
/// list of moduli) use the same type, see ``SourcedValue``.
public struct Sourced<Q: Codable & Hashable & Sendable>: Hashable, Sendable, Codable {
  public var value: Q
  public var source: String
  public var assumed: Bool

  public init(_ value: Q, source: String, assumed: Bool = false) {
    self.value = value
    self.source = source
    self.assumed = assumed
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case value, source, assumed
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    value = try c.decode(Q.self, forKey: .value)
    source = try c.decode(String.self, forKey: .source)
    assumed = try c.decodeIfPresent(Bool.self, forKey: .assumed) ?? false
    if source.trimmingCharacters(in: .whitespaces).isEmpty {
      throw DecodingError.dataCorruptedError(
        forKey: .source, in: c, debugDescription: "the source of a technology number is empty")
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(value, forKey: .value)
    try c.encode(source, forKey: .source)
    if assumed { try c.encode(true, forKey: .assumed) }
  }
}

/// A value without a unit type (a dB figure, an efficiency, a list of moduli) with the source it
/// came from: `{value: 6.22, source: "…"}`; `assumed: true` as in ``Sourced``.
public typealias SourcedValue<Value: Codable & Hashable & Sendable> = Sourced<Value>
