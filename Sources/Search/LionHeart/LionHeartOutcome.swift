import Execution
import HybrixCore
import Synchronization

/// One decision of a LionHeart search, in the order it was taken.
public struct LionHeartStep: Codable, Sendable, Hashable {
  public enum Decision: String, Codable, Sendable {
    /// The candidate went analog (the trial set stayed within the threshold).
    case accepted
    /// The candidate stayed digital: the trial set's drop exceeded the threshold.
    case rejected
    /// The candidate stayed digital: its weights do not fit in the analog tiles left.
    case noTiles = "no-tiles"
    /// The analog tier cannot run the candidate.
    case unsupported
    /// Fast mode: the candidate's own sensitivity, measured once.
    case measured
    /// Fast mode: the final check removed this candidate again (the whole set exceeded the threshold).
    case removed
  }

  public var operatorName: String
  public var operatorIndex: Int
  public var macs: Int
  public var decision: Decision
  /// Validation drop of the trial set (full mode) or the candidate alone (fast mode's `measured`).
  public var drop: AccuracyDrop?
  /// Share of the graph's MACs on the analog tier after this step (0…1).
  public var analogMACShare: Double
  /// With `--retrain-steps`: the candidate's rounds, drop per round and kept round (``drop`` is
  /// the kept round's).
  public var retraining: LionHeartRetrainingTrace? = nil
}

/// What a LionHeart search found and how (the report's `lionheart` object).
public struct LionHeartOutcome: Codable, Sendable {
  /// `full` (the paper's loop) or `fast` (per-layer sensitivities, one check at the end).
  public var mode: String
  /// The drop the goal allows (X points).
  public var thresholdPoints: Double
  /// Points kept back from X when deciding (`--accuracy-margin`): decisions were against X − δ.
  public var marginPoints: Double
  public var atSeconds: Double
  public var analogTier: String
  /// Images the decisions used and images the final figure used (disjoint when a split probe
  /// is given; the same images otherwise).
  public var validationImages: String
  public var testImages: String
  /// Conv and linear operators tried, largest MACs first.
  public var candidates: Int
  public var totalMACs: Int
  public var analogMACs: Int
  public var analogMACShare: Double { totalMACs > 0 ? Double(analogMACs) / Double(totalMACs) : 0 }
  /// The analog set, in the order it was accepted.
  public var analog: [String]
  public var steps: [LionHeartStep]
  /// The final set's drop on the validation images (what the search checked) and on the test
  /// images (the reported figure, all repeats).
  public var validation: AccuracyDrop?
  public var test: AccuracyDrop?
  /// Whether the final set meets the threshold on the validation images; `false` when no layer
  /// could go analog within the threshold (the all-digital mapping is returned).
  public var metThreshold: Bool
  public var note: String?
  /// All-digital and LionHeart figures from the same cost model.
  public var digitalLatencySeconds: Double
  public var digitalEnergyJoules: Double
  public var latencySeconds: Double
  public var energyJoules: Double
  public var speedup: Double { latencySeconds > 0 ? digitalLatencySeconds / latencySeconds : 0 }
  public var energyGain: Double { energyJoules > 0 ? digitalEnergyJoules / energyJoules : 0 }
  public var lifetime: LifetimeSchedule?
  /// With `--retrain-steps`: how the network was retrained and which weights the figures are for.
  public var retraining: LionHeartRetrainingSummary?
  public var wallSeconds: Double

  enum CodingKeys: String, CodingKey {
    case mode, thresholdPoints, marginPoints, atSeconds, analogTier, validationImages, testImages, candidates, totalMACs,
      analogMACs, analogMACShare, analog, steps, validation, test, metThreshold, note, digitalLatencySeconds,
      digitalEnergyJoules, latencySeconds, energyJoules, speedup, energyGain, lifetime, retraining, wallSeconds
  }

  public init(
    mode: String, thresholdPoints: Double, marginPoints: Double = 0, atSeconds: Double, analogTier: String, validationImages: String,
    testImages: String, candidates: Int, totalMACs: Int, analogMACs: Int, analog: [String], steps: [LionHeartStep],
    validation: AccuracyDrop?, test: AccuracyDrop?, metThreshold: Bool, note: String?,
    digitalLatencySeconds: Double, digitalEnergyJoules: Double, latencySeconds: Double, energyJoules: Double,
    lifetime: LifetimeSchedule?, retraining: LionHeartRetrainingSummary? = nil, wallSeconds: Double
  ) {
    self.mode = mode
    self.thresholdPoints = thresholdPoints
    self.marginPoints = marginPoints
    self.atSeconds = atSeconds
    self.analogTier = analogTier
    self.validationImages = validationImages
    self.testImages = testImages
    self.candidates = candidates
    self.totalMACs = totalMACs
    self.analogMACs = analogMACs
    self.analog = analog
    self.steps = steps
    self.validation = validation
    self.test = test
    self.metThreshold = metThreshold
    self.note = note
    self.digitalLatencySeconds = digitalLatencySeconds
    self.digitalEnergyJoules = digitalEnergyJoules
    self.latencySeconds = latencySeconds
    self.energyJoules = energyJoules
    self.lifetime = lifetime
    self.retraining = retraining
    self.wallSeconds = wallSeconds
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      mode: try c.decode(String.self, forKey: .mode), thresholdPoints: try c.decode(Double.self, forKey: .thresholdPoints),
      marginPoints: try c.decodeIfPresent(Double.self, forKey: .marginPoints) ?? 0,
      atSeconds: try c.decode(Double.self, forKey: .atSeconds), analogTier: try c.decode(String.self, forKey: .analogTier),
      validationImages: try c.decode(String.self, forKey: .validationImages),
      testImages: try c.decode(String.self, forKey: .testImages), candidates: try c.decode(Int.self, forKey: .candidates),
      totalMACs: try c.decode(Int.self, forKey: .totalMACs), analogMACs: try c.decode(Int.self, forKey: .analogMACs),
      analog: try c.decode([String].self, forKey: .analog), steps: try c.decode([LionHeartStep].self, forKey: .steps),
      validation: try c.decodeIfPresent(AccuracyDrop.self, forKey: .validation),
      test: try c.decodeIfPresent(AccuracyDrop.self, forKey: .test), metThreshold: try c.decode(Bool.self, forKey: .metThreshold),
      note: try c.decodeIfPresent(String.self, forKey: .note),
      digitalLatencySeconds: try c.decode(Double.self, forKey: .digitalLatencySeconds),
      digitalEnergyJoules: try c.decode(Double.self, forKey: .digitalEnergyJoules),
      latencySeconds: try c.decode(Double.self, forKey: .latencySeconds), energyJoules: try c.decode(Double.self, forKey: .energyJoules),
      lifetime: try c.decodeIfPresent(LifetimeSchedule.self, forKey: .lifetime),
      retraining: try c.decodeIfPresent(LionHeartRetrainingSummary.self, forKey: .retraining), wallSeconds: try c.decode(Double.self, forKey: .wallSeconds))
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(mode, forKey: .mode)
    try c.encode(thresholdPoints, forKey: .thresholdPoints)
    try c.encode(marginPoints, forKey: .marginPoints)
    try c.encode(atSeconds, forKey: .atSeconds)
    try c.encode(analogTier, forKey: .analogTier)
    try c.encode(validationImages, forKey: .validationImages)
    try c.encode(testImages, forKey: .testImages)
    try c.encode(candidates, forKey: .candidates)
    try c.encode(totalMACs, forKey: .totalMACs)
    try c.encode(analogMACs, forKey: .analogMACs)
    try c.encode(analogMACShare, forKey: .analogMACShare)
    try c.encode(analog, forKey: .analog)
    try c.encode(steps, forKey: .steps)
    try c.encodeIfPresent(validation, forKey: .validation)
    try c.encodeIfPresent(test, forKey: .test)
    try c.encode(metThreshold, forKey: .metThreshold)
    try c.encodeIfPresent(note, forKey: .note)
    try c.encode(digitalLatencySeconds, forKey: .digitalLatencySeconds)
    try c.encode(digitalEnergyJoules, forKey: .digitalEnergyJoules)
    try c.encode(latencySeconds, forKey: .latencySeconds)
    try c.encode(energyJoules, forKey: .energyJoules)
    try c.encode(speedup, forKey: .speedup)
    try c.encode(energyGain, forKey: .energyGain)
    try c.encodeIfPresent(lifetime, forKey: .lifetime)
    try c.encodeIfPresent(retraining, forKey: .retraining)
    try c.encode(wallSeconds, forKey: .wallSeconds)
  }
}

/// Where a ``LionHeartStrategy`` leaves its last outcome for the command that ran it (strategies
/// return fronts; the trace of decisions is extra). Copies of a strategy share one recorder.
public final class LionHeartRecorder: Sendable {
  private let state = Mutex<LionHeartOutcome?>(nil)
  private let weights = Mutex<(any HWARetrainable)?>(nil)
  public init() {}
  public var outcome: LionHeartOutcome? { state.withLock { $0 } }
  /// With retraining: the last accepted weights of the last search (what `--save-weights` writes).
  public var network: (any HWARetrainable)? { weights.withLock { $0 } }
  func record(_ o: LionHeartOutcome) { state.withLock { $0 = o } }
  func record(network: any HWARetrainable) { weights.withLock { $0 = network } }
}
