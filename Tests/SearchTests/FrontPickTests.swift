import HybrixCore
import Testing

@testable import Search

@Suite struct FrontPickTests {
  static func cost(_ s: Double, _ j: Double) -> CostVector { CostVector(latency: .seconds(s), energy: .joules(j), area: .zero) }

  @Test func rulesPickWhatTheySay() throws {
    var rng = SplitMix64(seed: 8)
    var cases = 0
    for _ in 0..<50 {
      let costs = (0..<Int.random(in: 1...12, using: &rng)).map { _ in
        Self.cost(Double.random(in: 1...10, using: &rng), Double.random(in: 1...10, using: &rng))
      }
      let o: [Metric] = [.latency, .energy]
      let lat = try #require(FrontPick.minLatency.pick(costs, objectives: o))
      let en = try #require(FrontPick.minEnergy.pick(costs, objectives: o))
      let edp = try #require(FrontPick.minEDP.pick(costs, objectives: o))
      #expect(costs.allSatisfy { $0.latency >= costs[lat].latency })
      #expect(costs.allSatisfy { $0.energy >= costs[en].energy })
      #expect(costs.allSatisfy { $0.value(.edp) >= costs[edp].value(.edp) })
      #expect(FrontPick.knee.pick(costs, objectives: o) != nil)
      cases += 1
    }
    #expect(cases == 50)
    // A symmetric convex front: the knee is its middle.
    let front = [Self.cost(1, 9), Self.cost(2, 4), Self.cost(3, 3), Self.cost(4, 2), Self.cost(9, 1)]
    #expect(FrontPick.knee.pick(front, objectives: [.latency, .energy]) == 2)
    #expect(FrontPick.knee.pick([], objectives: [.latency]) == nil)
    #expect(throws: ConfigError.self) { try FrontPick.parse("kne") }
    #expect(try FrontPick.parse("MIN-EDP") == .minEDP)
  }
}
