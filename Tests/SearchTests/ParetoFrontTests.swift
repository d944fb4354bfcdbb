import HybrixCore
import PropertyBased
import Testing

@testable import Mapping
@testable import Search

@Suite struct ParetoFrontTests {
  static func point(_ l: Double, _ e: Double, _ a: Double = 1) -> FrontPoint {
    FrontPoint(
      plan: MappingPlan(placements: []), result: .failed([]),
      cost: CostVector(latency: .seconds(l), energy: .joules(e), area: Area(baseValue: a)))
  }

  /// The front equals the brute-force set of non-dominated vectors (duplicates once), in any
  /// insertion order.
  @Test func frontEqualsBruteForce() async {
    await propertyCheck(input: Gen.int(in: 0...10_000), Gen.int(in: 1...40)) { seed, n in
      var g = SplitMix64(seed: UInt64(seed))
      // Small integer grid so ties and duplicates happen.
      let vectors = (0..<n).map { _ in (Double(g.next() % 8), Double(g.next() % 8), Double(g.next() % 3)) }
      for objectives in [[Metric.latency, .energy], [.latency, .energy, .area], [.energy]] {
        var front = ParetoFront(objectives: objectives)
        for v in vectors { front.insert(Self.point(v.0, v.1, v.2)) }
        let costs = vectors.map { Self.point($0.0, $0.1, $0.2).cost }
        var expected: [[Double]] = []
        for c in costs where !costs.contains(where: { ParetoFront.dominates($0, c, on: objectives) }) {
          let key = objectives.map { c.value($0) }
          if !expected.contains(key) { expected.append(key) }
        }
        let got = front.points.map { p in objectives.map { p.cost.value($0) } }
        #expect(Set(got.map { $0.description }) == Set(expected.map { $0.description }))
        #expect(got.count == expected.count)
        #expect(got == got.sorted { $0.lexicographicallyPrecedes($1) })
      }
    }
  }

  @Test func dominanceNeedsOneStrictImprovement() {
    let a = Self.point(1, 2).cost, b = Self.point(1, 3).cost
    #expect(ParetoFront.dominates(a, b, on: [.latency, .energy]))
    #expect(!ParetoFront.dominates(b, a, on: [.latency, .energy]))
    #expect(!ParetoFront.dominates(a, a, on: [.latency, .energy]))
    #expect(!ParetoFront.dominates(a, b, on: [.latency]))
  }
}
