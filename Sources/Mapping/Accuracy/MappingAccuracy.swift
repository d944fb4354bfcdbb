import Execution
import Foundation
import Hardware
import HybrixCore
import HybrixNumerics
import Workloads

/// Where one product operator's work runs: its tiers and their shares.
public struct OperatorAssignment: Sendable, Hashable, Codable {
  public var name: String
  /// Tier index (into the architecture) and fraction of the work, fractions summing to 1.
  public var shares: [TierShare]
  public var axis: SplitAxis
  /// Which output columns each share of an `n` split holds (``Placement/rowOrder``); `nil`: contiguous.
  public var rowOrder: [Int]?

  public init(name: String, shares: [TierShare], axis: SplitAxis = .n, rowOrder: [Int]? = nil) {
    self.name = name
    self.shares = shares
    self.axis = axis
    self.rowOrder = rowOrder
  }

  /// One assignment per operator of `graph` that `mapping` places (same order as the graph).
  public static func from(mapping: MappingPlan, graph: Graph) -> [OperatorAssignment] {
    zip(graph.operators, mapping.placements).map {
      OperatorAssignment(name: $0.name, shares: $1.shares, axis: $1.axis, rowOrder: $1.rowOrder)
    }
  }
}

/// What a Monte-Carlo accuracy run evaluates.
public struct AccuracySettings: Sendable, Hashable {
  /// Times after programming at which the model is read (aihwkit `t_inference`).
  public var times: [Time]
  /// Monte-Carlo repeats per time (each a fresh draw of programming, drift and read noise).
  public var repeats: Int
  public var seed: UInt64
  /// Evaluate with global drift compensation, without, or both.
  public var compensation: [Bool]
  /// Images per inference batch. Noisy tiers draw their noise batch by batch (bound management
  /// re-draws for saturated rows of a batch), so the same seed reproduces a result only with the
  /// same batch size. 100 keeps the patch matrices small (fewer page faults than 500).
  public var batchSize: Int

  public init(times: [Time], repeats: Int, seed: UInt64, compensation: [Bool] = [true], batchSize: Int = 100) {
    self.times = times
    self.repeats = repeats
    self.seed = seed
    self.compensation = compensation
    self.batchSize = batchSize
  }

  /// Problems with the settings, as errors naming the flag.
  public func validate() throws(ConfigError) {
    guard repeats >= 1 else {
      throw ConfigError(path: "--repeats", message: "\(repeats)", expected: "at least 1 Monte-Carlo repeat", hint: "e.g. --repeats 10")
    }
    for t in times where !(t.seconds >= 0) || !t.seconds.isFinite {
      throw ConfigError(
        path: "--at", message: "time \(t.seconds) s after programming", expected: "a time ≥ 0 such as 1s, 1h, 1d, 1y",
        hint: "times count from the end of programming; they cannot be negative")
    }
    guard batchSize >= 1 else {
      throw ConfigError(path: "--batch-size", message: "\(batchSize)", expected: "an integer ≥ 1")
    }
  }
}

/// The accuracy at one time after programming, over the Monte-Carlo repeats.
public struct AccuracyPoint: Sendable, Hashable, Codable {
  public var seconds: Double
  /// The time as the user wrote it, e.g. "1d".
  public var label: String
  public var compensated: Bool
  /// Test accuracy of each repeat (fraction correct, 0…1).
  public var accuracies: [Double]
  public var statistics: SampleStatistics
}

/// The accuracy of a mapped model: an FP32 reference and one point per (time, compensation).
public struct AccuracyResult: Sendable, Hashable, Codable {
  public var fp32Accuracy: Double
  public var samples: Int
  /// Per product operator: where it runs and which arithmetic models it.
  public var operators: [OperatorArithmetic]
  public var points: [AccuracyPoint]
  /// Wall-clock time of the whole evaluation, seconds.
  public var wallSeconds: Double
  /// What the evaluation changed from what was asked (a model with a fixed batch run image by
  /// image), for the user to read.
  public var warnings: [String]

  public init(
    fp32Accuracy: Double, samples: Int, operators: [OperatorArithmetic], points: [AccuracyPoint],
    wallSeconds: Double, warnings: [String] = []
  ) {
    self.fp32Accuracy = fp32Accuracy
    self.samples = samples
    self.operators = operators
    self.points = points
    self.wallSeconds = wallSeconds
    self.warnings = warnings
  }

  enum CodingKeys: String, CodingKey {
    case fp32Accuracy, samples, operators, points, wallSeconds, warnings
  }

  /// Reports written before `warnings` existed decode with none.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    fp32Accuracy = try c.decode(Double.self, forKey: .fp32Accuracy)
    samples = try c.decode(Int.self, forKey: .samples)
    operators = try c.decode([OperatorArithmetic].self, forKey: .operators)
    points = try c.decode([AccuracyPoint].self, forKey: .points)
    wallSeconds = try c.decode(Double.self, forKey: .wallSeconds)
    warnings = try c.decodeIfPresent([String].self, forKey: .warnings) ?? []
  }

  public struct OperatorArithmetic: Sendable, Hashable, Codable {
    public var name: String
    public var tiers: [String: Double]
    public var arithmetic: String
  }
}

/// Runs a network with each product operator's matrix products passed through the numerical
/// model of the tier it is mapped to (LionHeart's evaluation, generalised to any tier mix).
///
/// For every (time, compensation) pair and repeat r, each operator gets fresh arithmetics seeded
/// from (seed, r, operator, share) — the same seeds at every time, so a repeat follows one set of
/// programmed devices as they drift (common random numbers make the trend over time clean).
/// Operators on deterministic tiers are exact (digital hosts) or quantized as their tier says.
public enum MappingAccuracy {
  /// Progress: (evaluations done, evaluations in total), one evaluation = one pass over the data.
  public typealias Progress = @Sendable (_ done: Int, _ total: Int) -> Void

  public static func evaluate<N: ProductNetwork>(
    network: N, assignments: [OperatorAssignment], architecture: Architecture, images: HybrixNumerics.Tensor, labels: [Int],
    settings: AccuracySettings, timeLabels: [String]? = nil, progress: Progress? = nil
  ) throws(ConfigError) -> AccuracyResult {
    try settings.validate()
    let start = Date()
    let productAssignments = try Self.productAssignments(
      network: network, assignments: assignments, architecture: architecture)
    let total = 1 + settings.times.count * settings.compensation.count * settings.repeats
    var done = 0
    var warnings: [String] = []
    if let fixed = network.fixedBatchSize, fixed != settings.batchSize {
      warnings.append(
        "the model's input batch is fixed at \(fixed): images ran \(fixed == 1 ? "one at a time" : "\(fixed) at a time")"
          + " instead of --batch-size \(settings.batchSize) (noise draws follow this batching)")
    }
    // The reference is the exact model, whatever arithmetic `network` came with.
    var reference = network
    for name in reference.productOperatorNames { try reference.setArithmetic(nil, for: name) }
    let fp32 = try reference.accuracy(images: images, labels: labels, batchSize: settings.batchSize)
    done += 1
    progress?(done, total)

    // Where each operator runs and its model, as the first evaluation builds it.
    var operators: [AccuracyResult.OperatorArithmetic] = []
    if let time = settings.times.first, let compensated = settings.compensation.first {
      for (oi, a) in productAssignments.enumerated() {
        let model = try arithmetic(
          for: a, architecture: architecture, time: time, compensated: compensated, seed: deriveSeed(settings.seed, 0, oi))
        operators.append(.init(
          name: a.name,
          tiers: Dictionary(a.shares.map { (architecture.tiers[$0.tier].id, $0.fraction) }, uniquingKeysWith: +),
          arithmetic: describe(a, architecture: architecture, arithmetic: model)))
      }
    }
    var points: [AccuracyPoint] = []
    for compensated in settings.compensation {
      for (ti, time) in settings.times.enumerated() {
        var accuracies: [Double] = []
        // A mapping whose every share has no numerical model runs the exact model in every
        // repeat: each repeat's accuracy is the reference's, without running it again.
        var exact = true
        for a in productAssignments where exact {
          exact = try arithmetic(for: a, architecture: architecture, time: time, compensated: compensated, seed: 0) == nil
        }
        for r in 0..<settings.repeats {
          if exact {
            accuracies.append(fp32)
            done += 1
            progress?(done, total)
            continue
          }
          accuracies.append(
            try repeatAccuracy(
              network: network, operators: Array(productAssignments.enumerated()),
              architecture: architecture, time: time, compensated: compensated, seed: settings.seed,
              repeat: r, images: images, labels: labels, batchSize: settings.batchSize))
          done += 1
          progress?(done, total)
        }
        let label = timeLabels?[ti] ?? "\(time.seconds) s"
        points.append(AccuracyPoint(
          seconds: time.seconds, label: label, compensated: compensated, accuracies: accuracies,
          statistics: SampleStatistics(accuracies)))
      }
    }
    return AccuracyResult(
      fp32Accuracy: fp32, samples: labels.count, operators: operators, points: points,
      wallSeconds: Date().timeIntervalSince(start), warnings: warnings)
  }

  /// The arithmetic of one operator: its tier's model, or a split across its tiers' models;
  /// `nil` when every share is exact.
  package static func arithmetic(
    for a: OperatorAssignment, architecture: Architecture, time: Time, compensated: Bool, seed: UInt64
  ) throws(ConfigError) -> (any ProductArithmetic)? {
    var parts: [any ProductArithmetic] = []
    var anyModelled = false
    for (si, share) in a.shares.enumerated() {
      let tier = architecture.tiers[share.tier]
      let model = try TierArithmetic.make(
        for: tier, time: time, compensated: compensated, seed: deriveSeed(seed, 0x5EED, si))
      anyModelled = anyModelled || model != nil
      parts.append(model ?? ExactArithmetic())
    }
    guard anyModelled else { return nil }
    if parts.count == 1 { return parts[0] }
    return SplitArithmetic(parts: parts, fractions: a.shares.map(\.fraction), axis: a.axis, rowOrder: a.axis == .n ? a.rowOrder : nil)
  }

  /// The operator's model for reports; for analog tiers without the time and compensation,
  /// which vary per result row.
  static func describe(_ a: OperatorAssignment, architecture: Architecture, arithmetic: (any ProductArithmetic)?) -> String {
    let numerics = a.shares.map { architecture.tiers[$0.tier].numerics }
    if let first = numerics.first, numerics.allSatisfy({ $0 == first }),
      case .pcm(_, _, let dacBits, let adcBits) = first
    {
      return "pcm (aihwkit PCM noise, \(dacBits)-bit DAC, \(adcBits)-bit ADC, out_noise 0.06)"
    }
    return arithmetic?.name ?? "fp32"
  }

  /// A seed for (base, i, j), well mixed (SplitMix64 finaliser on each step).
  package static func deriveSeed(_ base: UInt64, _ i: Int, _ j: Int) -> UInt64 {
    var g = SplitMix64(seed: base ^ 0x9E37_79B9_7F4A_7C15)
    var s = g.next() ^ UInt64(truncatingIfNeeded: i)
    g = SplitMix64(seed: s)
    s = g.next() ^ UInt64(truncatingIfNeeded: j) &* 0xBF58_476D_1CE4_E5B9
    g = SplitMix64(seed: s)
    return g.next()
  }
}
