import Hardware
import HybrixCore
import Workloads

/// Everything a mapped graph costs: totals, breakdowns, per-operator rows and a timeline.
public struct MappingResult: Sendable, Codable, Hashable {
  /// Why the mapping cannot run, if it cannot: the totals are then absent.
  public var infeasible: [Infeasibility]
  /// Time from the first input to the last output of one batch.
  public var latency: Time
  /// Samples (images, sequences) per second when batches follow each other through the tiers
  /// as a pipeline, limited by the busiest resource.
  public var throughput: Double
  public var energy: EnergyBreakdown
  public var energyByTier: [String: EnergyBreakdown]
  /// Energy of moving data between tiers and to and from DRAM.
  public var movementEnergy: Energy
  /// Area of the tiers the mapping uses (all tiers of the architecture are counted as present).
  public var area: Area
  /// Busy time ÷ latency per resource (tiers, DRAM, links, global buffer).
  public var busy: [String: Time]
  /// One-time cost of programming the resident weights before the first run (not in `energy`).
  public var programmingEnergy: Energy
  public var programmingTime: Time
  public var operators: [OperatorCost]
  public var timeline: [TimelineEvent]

  public var edp: Double { energy.total.joules * latency.seconds }

  public static func failed(_ reasons: [Infeasibility]) -> MappingResult {
    MappingResult(
      infeasible: reasons, latency: .zero, throughput: 0, energy: EnergyBreakdown(), energyByTier: [:],
      movementEnergy: .zero, area: .zero, busy: [:], programmingEnergy: .zero, programmingTime: .zero,
      operators: [], timeline: [])
  }

  public var isFeasible: Bool { infeasible.isEmpty }
}

/// One operator's place and cost in a mapped run.
public struct OperatorCost: Sendable, Codable, Hashable {
  public var index: Int
  public var name: String
  public var label: String
  /// Tier ids with the fraction each holds.
  public var shares: [String: Double]
  public var mainTier: String
  public var start: Time
  public var end: Time
  /// Compute energy on the tiers (movement into the operator is in `movementEnergy`).
  public var energy: EnergyBreakdown
  public var movementEnergy: Energy
  public var macs: Int
  public var utilization: Double?
  /// Whether static weights had to be re-programmed for this run.
  public var reprogrammed: Bool
}

/// A bar on the timeline: a resource busy with one piece of work.
public struct TimelineEvent: Sendable, Codable, Hashable {
  public enum Kind: String, Sendable, Codable { case compute, transfer, dram }
  public var resource: String
  public var label: String
  public var kind: Kind
  public var start: Time
  public var end: Time
}
