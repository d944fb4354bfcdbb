import Hardware
import HybrixCore
import Mapping
import Workloads

/// What a baseline row is: the papers compare against homogeneous *architectures*, while a
/// homogeneous mapping on a heterogeneous chip keeps the other tiers' area and their static
/// power; the report names which each row is.
public enum BaselineKind: String, Codable, Sendable, CaseIterable {
  /// Every operator on one tier of this chip (the others present: their area, and static power
  /// only if used — unused tiers are off).
  case onThisChip = "on this chip"
  /// A chip with only that tier (plus the digital host when the tier cannot run every operator).
  case singleTierArchitecture = "single-tier architecture"
  /// The same, with the tier's unit count scaled so the chip has the heterogeneous chip's area.
  case isoArea = "single-tier architecture, iso-area"
}

/// One baseline run with what it is and the area it has.
public struct BaselineRun: Sendable {
  public var kind: BaselineKind
  public var search: SearchResult
  public var area: Area
}

extension Explorer {
  /// Homogeneous mappings on this chip and the naive mapping; with `architectures`, each tier also
  /// as its own architecture, and with `isoArea` that architecture scaled to this chip's area.
  public func baselines(
    goal: Goal, excluding: String? = nil, architectures: Bool = true, isoArea: Bool = false
  ) async throws(ConfigError) -> [BaselineRun] {
    guard architecture.tiers.count > 1 else { return [] }
    // Baselines are cost figures: accuracy constraints are the searched mapping's business.
    let goal = Goal(goal.objectives, constraints: goal.constraints.filter { if case .accuracyDrop = $0 { false } else { true } })
    var runs: [BaselineRun] = []
    var strategies: [any SearchStrategy] = architecture.tiers.map { HomogeneousStrategy(tier: $0.id) }
    strategies.append(NaiveStrategy())
    var onChip: [String: SearchResult] = [:]
    for s in strategies {
      let r = try await run(s, goal: goal)
      onChip[s.name] = r
      if s.name != excluding { runs.append(BaselineRun(kind: .onThisChip, search: r, area: architecture.computeArea)) }
    }
    guard architectures || isoArea else { return runs }
    let host = architecture.tiers.first { type(of: $0).kind == .digital }
    for tier in architecture.tiers {
      let needsHost = !(onChip["homogeneous:\(tier.id)"]?.fallbacks.isEmpty ?? true) && host != nil && host?.id != tier.id
      let tiers: [any HardwareTier] = needsHost ? [tier] + [host].compactMap { $0 } : [tier]
      let label = "only \(tier.id)" + (needsHost ? " + \(host?.id ?? "")" : "")
      var variants: [(BaselineKind, [any HardwareTier], String)] = []
      if architectures { variants.append((.singleTierArchitecture, tiers, label)) }
      if isoArea, let scaled = Self.scaledToArea(tier, keeping: needsHost ? host : nil, area: architecture.computeArea) {
        variants.append((.isoArea, needsHost ? [scaled.tier] + [host].compactMap { $0 } : [scaled.tier], "\(label), \(tier.id) ×\(formatSignificant(scaled.factor, digits: 3)) iso-area"))
      }
      for (kind, ts, name) in variants {
        let arch = Architecture(
          name: "\(architecture.name)/\(name)", description: name, tiers: ts, memory: architecture.memory,
          links: architecture.links.filter { l in ts.contains { $0.id == l.from } && ts.contains { $0.id == l.to } },
          origin: architecture.origin)
        var r = try await Explorer(graph: graph, architecture: arch, precision: precision).run(HomogeneousStrategy(tier: tier.id), goal: goal)
        r.strategy = name
        runs.append(BaselineRun(kind: kind, search: r, area: arch.computeArea))
      }
    }
    return runs
  }

  /// `tier` with its unit count scaled so that it (with `host`, if kept) covers `area`, and the
  /// factor applied; `nil` when the host alone is larger.
  static func scaledToArea(_ tier: any HardwareTier, keeping host: (any HardwareTier)?, area: Area) -> (tier: any HardwareTier, factor: Double)? {
    let room = area.baseValue - (host?.area.baseValue ?? 0)
    guard room > 0, tier.area.baseValue > 0 else { return nil }
    let count = max(1, Int((Double(tier.common.count) * room / tier.area.baseValue).rounded(.down)))
    guard let t = try? withCount(tier, count) else { return nil }
    return (t, Double(count) / Double(tier.common.count))
  }

  static func withCount<T: HardwareTier>(_ tier: T, _ count: Int) throws -> any HardwareTier {
    var spec = tier.spec
    spec.common.count = count
    return try T(spec: spec)
  }
}
