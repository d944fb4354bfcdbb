import HybrixCore

/// Energy per action of one tier, each with its source [Accelergy ERT].
///
/// Decoded from a tier's `energy:` block (`mac: {value: "0.2 pJ", source: "…"}`); an action a
/// tier never performs may be left out, and pricing it is then a programming error caught by the
/// tier conformance tests.
public struct EnergyTable: Hashable, Sendable, Codable {
  public private(set) var entries: [Action: Sourced<Energy>]
  /// Joules per action, indexed by `Action.rawValue`, for fast pricing.
  public private(set) var joules: SIMD16<Double>

  public init(_ entries: [Action: Sourced<Energy>]) {
    self.entries = entries
    joules = SIMD16<Double>()
    for (action, e) in entries { joules[action.rawValue] = e.value.joules }
  }

  public subscript(_ action: Action) -> Sourced<Energy>? { entries[action] }

  /// Energy of `counts`, split by component.
  public func price(_ counts: ActionCounts) -> EnergyBreakdown {
    var b = EnergyBreakdown()
    for action in Action.allCases {
      let e = counts[action] * joules[action.rawValue]
      if e != 0 { b[action.component] += Energy.joules(e) }
    }
    return b
  }

  /// Total energy of `counts` in joules (the fast path for search).
  public func totalJoules(_ counts: ActionCounts) -> Double {
    (counts.values * joules).sum()
  }

  struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    var entries: [Action: Sourced<Energy>] = [:]
    for key in c.allKeys {
      guard let index = Action.names.firstIndex(of: key.stringValue), let action = Action(rawValue: index)
      else {
        throw DecodingError.dataCorruptedError(
          forKey: key, in: c,
          debugDescription: "unknown action \"\(key.stringValue)\"; actions: \(Action.names.joined(separator: ", "))")
      }
      entries[action] = try c.decode(Sourced<Energy>.self, forKey: key)
    }
    self.init(entries)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Key.self)
    for action in Action.allCases {
      if let e = entries[action] { try c.encode(e, forKey: Key(stringValue: action.description)) }
    }
  }

  public static func == (a: EnergyTable, b: EnergyTable) -> Bool { a.entries == b.entries }
  public func hash(into h: inout Hasher) { h.combine(joules) }
}

/// Energy split by component.
public struct EnergyBreakdown: Hashable, Sendable, Codable {
  public var values: [EnergyComponent: Energy] = [:]
  public init() {}
  public subscript(_ c: EnergyComponent) -> Energy {
    get { values[c] ?? .zero }
    set { values[c] = newValue }
  }
  public var total: Energy { values.values.reduce(.zero, +) }
  public static func + (a: EnergyBreakdown, b: EnergyBreakdown) -> EnergyBreakdown {
    var r = a
    for (k, v) in b.values { r[k] += v }
    return r
  }
  public func scaled(by k: Double) -> EnergyBreakdown {
    var r = EnergyBreakdown()
    for (c, v) in values { r[c] = v * k }
    return r
  }
}
