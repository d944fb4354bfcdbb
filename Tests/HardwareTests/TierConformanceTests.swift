import Foundation
import HybrixCore
import Testing
import Yams

@testable import Hardware

/// Laws every registered tier obeys, checked on its example spec and on every tier of every
/// preset. A new tier in `TierRegistry` or a new preset is covered here without new test code.
/// Every law counts the cases it exercised and fails below a floor, so a tier that refuses every
/// work cannot pass vacuously.
@Suite struct TierConformanceTests {
  static let kinds = TierRegistry.all.map { $0.kind }

  static func make<T: HardwareTier>(_ type: T.Type) throws -> any HardwareTier {
    try T(spec: T.example)
  }

  static func tier(_ kind: TierKind) throws -> any HardwareTier {
    let type = try #require(TierRegistry.type(for: kind))
    return try make(type)
  }

  /// "example:<kind>" for each registered type, "<preset>/<tier>" for each preset's tiers.
  static let subjects: [String] =
    kinds.map { "example:\($0.rawValue)" }
    + PresetRegistry.all.flatMap { p in
      ((try? p.architecture().tiers) ?? []).map { "\(p.name)/\($0.id)" }
    }

  static func subject(_ name: String) throws -> any HardwareTier {
    if name.hasPrefix("example:") {
      let kind = try #require(TierKind(rawValue: String(name.dropFirst("example:".count))))
      return try tier(kind)
    }
    let parts = name.split(separator: "/").map(String.init)
    let arch = try PresetRegistry.architecture(named: parts[0])
    return try #require(arch.tiers.first { $0.id == parts[1] })
  }

  /// Matrix works a tier of this kind must be able to run (static weights, at its precision).
  static let floor = 40

  /// Works of every kind over a spread of sizes (seeded), at the tier's own precision.
  static func works(for tier: any HardwareTier, count: Int = 200) -> [TileWork] {
    var rng = SplitMix64(seed: 11)
    var result: [TileWork] = []
    let wb = tier.common.weightBits
    let ab = tier.common.activationBits
    for i in 0..<count {
      let m = Double(1 + Int(rng.next() % 600))
      let k = Double(1 + Int(rng.next() % 2000))
      let n = Double(1 + Int(rng.next() % 2000))
      let batch = Double(1 + Int(rng.next() % 4))
      let staticW = i % 3 != 0
      result.append(
        TileWork(
          kind: .matrix, batch: batch, m: m, k: k, n: n, staticWeights: staticW,
          vectorOps: i % 4 == 0 ? batch * m * n : 0, inputBytes: batch * m * k * Double(ab) / 8, weightBytes: batch * k * n * Double(wb) / 8,
          outputBytes: batch * m * n * Double(ab) / 8, weightBits: wb, activationBits: ab,
          weightsResident: i % 2 == 0))
      let ops = Double(rng.next() % 1_000_000)
      result.append(
        TileWork(kind: .vector, vectorOps: ops, inputBytes: ops, outputBytes: ops, weightBits: wb, activationBits: ab))
    }
    return result
  }

  @Test(arguments: kinds)
  func exampleValidates(_ kind: TierKind) throws {
    let t = try Self.tier(kind)
    #expect(t.area.baseValue > 0, "a tier with no area cannot be compared at equal area")
    #expect(t.clock.hertz > 0)
  }

  @Test(arguments: subjects)
  func energyAndCyclesAreNonNegative(_ name: String) throws {
    let t = try Self.subject(name)
    var checked = 0
    for w in Self.works(for: t) {
      guard case .success(let a) = t.evaluate(w) else { continue }
      #expect(a.cycles >= 0 && a.cycles.isFinite)
      #expect(a.actions.values.min() >= 0)
      #expect(a.refillBytes >= 0)
      #expect(t.energyTable.totalJoules(a.actions) >= 0)
      if let u = a.utilization { #expect(u >= 0 && u <= 1.0000001, "utilization \(u) of \(w)") }
      checked += 1
    }
    #expect(checked >= Self.floor, "\(name): only \(checked) works evaluated")
  }

  /// Every action a tier counts is priced: by a non-zero energy entry, or by an explicit zero whose
  /// source names the counted action it is included in (ALPINE gives one energy per MVM,
  /// converters included). A missing entry would price the action at 0 J without a word.
  @Test(arguments: subjects)
  func everyCountedActionIsPriced(_ name: String) throws {
    let t = try Self.subject(name)
    var counted = Set<Action>()
    for w in Self.works(for: t) {
      guard case .success(let a) = t.evaluate(w) else { continue }
      for action in Action.allCases where a.actions[action] > 0 { counted.insert(action) }
    }
    #expect(counted.contains(.mac) || counted.contains(.arrayActivation) || counted.contains(.detection), "\(name) counted no compute")
    for action in counted {
      guard let entry = t.energyTable[action] else {
        Issue.record("\(name) counts \(action) but its energy table has no entry")
        continue
      }
      if entry.value.joules > 0 { continue }
      let includedIn = counted.filter { other in
        other != action && entry.source.contains("included in \(other)") && (t.energyTable[other]?.value.joules ?? 0) > 0
      }
      #expect(!includedIn.isEmpty, "\(name): \(action) is priced at 0 J (\(entry.source))")
    }
  }

  @Test(arguments: subjects)
  func noWorkNoDynamicEnergy(_ name: String) throws {
    let t = try Self.subject(name)
    var checked = 0
    for kindOfWork in [TileWork.Kind.matrix, .vector, .movement] {
      let w = TileWork(kind: kindOfWork, weightBits: t.common.weightBits, activationBits: t.common.activationBits)
      if case .success(let a) = t.evaluate(w) {
        #expect(a.actions.isZero, "\(name) counts actions for empty \(kindOfWork) work")
        #expect(a.cycles == 0)
        checked += 1
      }
    }
    #expect(checked >= 1, "\(name) refused every kind of empty work")
  }

  /// Splitting the rows of a product in two never costs less energy in total, nor less time when
  /// the halves run one after the other, than the whole on the same tier (beyond rounding).
  @Test(arguments: subjects)
  func splittingNeverHelps(_ name: String) throws {
    let t = try Self.subject(name)
    var checked = 0
    for w in Self.works(for: t, count: 100) where w.kind == .matrix && w.m >= 2 {
      var a = w
      var b = w
      a.m = (w.m / 2).rounded(.down)
      b.m = w.m - a.m
      for part in [\TileWork.inputBytes, \TileWork.outputBytes] {
        a[keyPath: part] = w[keyPath: part] * a.m / w.m
        b[keyPath: part] = w[keyPath: part] * b.m / w.m
      }
      guard case .success(let whole) = t.evaluate(w), case .success(let ea) = t.evaluate(a),
        case .success(let eb) = t.evaluate(b)
      else { continue }
      let e = t.energyTable.totalJoules(whole.actions)
      let eSplit = t.energyTable.totalJoules(ea.actions) + t.energyTable.totalJoules(eb.actions)
      #expect(eSplit >= e * (1 - 1e-9), "\(name): split energy \(eSplit) < whole \(e) for \(w)")
      #expect(ea.cycles + eb.cycles >= whole.cycles * (1 - 1e-9) - 1, "\(name): split cycles for \(w)")
      checked += 1
    }
    #expect(checked >= Self.floor / 2, "\(name): only \(checked) splits compared")
  }

  /// A spec written to YAML and read back is the same spec.
  @Test(arguments: kinds)
  func specSurvivesYAMLRoundTrip(_ kind: TierKind) throws {
    let t = try Self.tier(kind)
    try Self.roundTrip(t)
  }

  static func roundTrip(_ t: any HardwareTier) throws {
    let yaml = try ArchitectureWriter.encoder.encode(ArchitectureWriter.TierBox(spec: t.spec))
    let node = try #require(try Yams.compose(yaml: yaml))
    let back = try ArchitectureLoader.tier(node, path: "tiers[0]")
    #expect(AnyHashable(back.spec) == AnyHashable(t.spec), "YAML was:\n\(yaml)")
  }

  @Test func actionsFitTheirStorage() {
    #expect(Action.allCases.count <= 16)
    #expect(Action.names.count == Action.allCases.count)
  }
}
