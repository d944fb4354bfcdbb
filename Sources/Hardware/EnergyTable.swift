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
      b.joules[EnergyBreakdown.index(action.component)] += counts[action] * joules[action.rawValue]
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

/// Energy split by component, stored as a SIMD value (no allocation when summing).
public struct EnergyBreakdown: Hashable, Sendable, Codable {
  /// Joules per component, indexed by the component's position in `EnergyComponent.allCases`.
  public var joules = SIMD8<Double>()
  public init() {}

  static func index(_ c: EnergyComponent) -> Int {
    switch c {
    case .compute: 0
    case .converters: 1
    case .memory: 2
    case .movement: 3
    case .staticPower: 4
    case .programming: 5
    case .idle: 6
    }
  }

  public subscript(_ c: EnergyComponent) -> Energy {
    get { .joules(joules[Self.index(c)]) }
    set { joules[Self.index(c)] = newValue.joules }
  }

  public var total: Energy { .joules(joules.sum()) }

  public static func + (a: EnergyBreakdown, b: EnergyBreakdown) -> EnergyBreakdown {
    var r = a
    r.joules += b.joules
    return r
  }

  public static func += (a: inout EnergyBreakdown, b: EnergyBreakdown) { a.joules += b.joules }

  public func scaled(by k: Double) -> EnergyBreakdown {
    var r = self
    r.joules *= k
    return r
  }

  // Written as {"compute": "1.2e-9 J", ...} so reports read naturally.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: EnergyTable.Key.self)
    for component in EnergyComponent.allCases {
      if let e = try c.decodeIfPresent(Energy.self, forKey: EnergyTable.Key(stringValue: component.rawValue)) {
        self[component] = e
      }
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: EnergyTable.Key.self)
    for component in EnergyComponent.allCases {
      try c.encode(self[component], forKey: EnergyTable.Key(stringValue: component.rawValue))
    }
  }
}
