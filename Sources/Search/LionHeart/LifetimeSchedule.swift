import Foundation
import HybrixCore
import Mapping

/// One checkpoint of a lifetime: the drop with the analog set as programmed once, and with the
/// re-programming schedule (age = time since the last re-programming).
public struct LifetimePoint: Codable, Sendable, Hashable {
  public var seconds: Double
  public var without: AccuracyDrop
  public var ageSeconds: Double
  public var with: AccuracyDrop
}

/// Beyond the paper (issue 14 §4): when to re-program the analog layers (or move some back to
/// digital) so the drop stays within the threshold at every checkpoint of a lifetime, and what
/// the re-programming costs (the tier's write energy and time from the cost model).
public struct LifetimeSchedule: Codable, Sendable {
  public var lifetimeSeconds: Double
  /// Re-program every analog layer every `periodSeconds`; `nil` when one programming lasts.
  public var periodSeconds: Double?
  public var reprogrammings: Int
  /// Layers moved back to digital because even the first checkpoint failed with them.
  public var movedToDigital: [String]
  /// Analog layers at the end of the schedule.
  public var analog: [String]
  public var energyPerReprogrammingJoules: Double
  public var secondsPerReprogramming: Double
  public var totalEnergyJoules: Double
  public var totalSeconds: Double
  /// Re-programming energy per day of the lifetime.
  public var joulesPerDay: Double
  public var checkpoints: [LifetimePoint]
  public var note: String
}

/// Plans a ``LifetimeSchedule`` on the search's probe (its validation images, sequential stopping).
struct LifetimePlanner {
  let search: LionHeartSearch

  /// Two checkpoints per decade from 100 s up to the lifetime, and the lifetime itself.
  static func checkpoints(_ lifetime: Double) -> [Double] {
    var out: [Double] = []
    var k = 4
    while pow(10, Double(k) / 2) < lifetime * (1 - 1e-9) {
      out.append(pow(10, Double(k) / 2))
      k += 1
    }
    return out + [lifetime]
  }

  /// The longest checkpoint P such that every checkpoint up to P is within the threshold.
  func period(_ drops: [(Double, AccuracyDrop)]) -> Double? {
    var p: Double?
    for (t, d) in drops {
      guard d.points <= search.threshold else { break }
      p = t
    }
    return p
  }

  func plan(_ accepted: [Int], lifetime: Time) async throws(ConfigError) -> LifetimeSchedule {
    let times = Self.checkpoints(lifetime.seconds)
    var set = accepted
    var moved: [String] = []
    var original: [(Double, AccuracyDrop)] = []
    var drops: [(Double, AccuracyDrop)] = []
    var p: Double?
    while true {
      drops = []
      for t in times { drops.append((t, try await search.searchDrop(set, at: .seconds(t)))) }
      if original.isEmpty { original = drops }
      p = period(drops)
      if p != nil || set.count <= 1 { break }
      moved.append(search.problem.graph.operators[set.removeLast()].name)
    }
    let life = lifetime.seconds
    var checkpoints: [LifetimePoint] = []
    for (i, (t, without)) in original.enumerated() {
      let age = p.map { $0 < life ? t - $0 * (t / $0).rounded(.down) : t } ?? t
      let with = age == t ? drops[i].1 : try await search.searchDrop(set, at: .seconds(age))
      checkpoints.append(LifetimePoint(seconds: t, without: without, ageSeconds: age, with: with))
    }
    let count = p.map { $0 >= life ? 0 : Int((life / $0).rounded(.up)) - 1 } ?? 0
    let (joules, seconds) = reprogrammingCost(set)
    let names = set.map { search.problem.graph.operators[$0].name }
    let note: String
    if p == nil {
      note = "no re-programming period keeps the drop within the threshold even at the first checkpoint (100 s)"
    } else if count == 0 {
      note = "one programming stays within the threshold for the whole lifetime"
    } else {
      note = "re-program every analog layer every \(Time.seconds(p ?? life)) (\(count) times)"
    }
    return LifetimeSchedule(
      lifetimeSeconds: life, periodSeconds: count == 0 ? nil : p, reprogrammings: count, movedToDigital: moved,
      analog: names, energyPerReprogrammingJoules: joules, secondsPerReprogramming: seconds,
      totalEnergyJoules: joules * Double(count), totalSeconds: seconds * Double(count),
      joulesPerDay: joules * Double(count) / (life / 86_400), checkpoints: checkpoints, note: note)
  }

  /// Energy and time of writing the weights of `set` once: each operator's cost with its
  /// weights not resident minus resident, as the cost model prices programming.
  func reprogrammingCost(_ set: [Int]) -> (joules: Double, seconds: Double) {
    let placements = search.plan(set).placements
    var joules = 0.0
    var seconds = 0.0
    for op in set {
      let before = Array(placements.prefix(op))
      guard let cold = search.problem.estimate(op, placements[op], [false], before),
        let warm = search.problem.estimate(op, placements[op], [true], before)
      else { continue }
      joules += max(0, cold.joules - warm.joules)
      seconds += max(0, cold.criticalSeconds - warm.criticalSeconds)
    }
    return (joules, seconds)
  }
}
