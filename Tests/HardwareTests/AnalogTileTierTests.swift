import HybrixCore
import Testing

@testable import Hardware

/// Hand-computed oracles for ``AnalogTileTier`` (ALPINE-like PCM tiles: 256×256, 130 ns per MVM,
/// 4 GB/s per tile, 1 GHz host, so one MVM is 130 cycles and a tile moves 4 B per cycle).
@Suite struct AnalogTileTierTests {
  static func tier(_ edit: (inout AnalogTileSpec) -> Void = { _ in }) throws -> AnalogTileTier {
    var spec = AnalogTileSpec.alpineLike
    edit(&spec)
    return try AnalogTileTier(spec: spec)
  }

  static func product(
    m: Double = 1, k: Double, n: Double, staticWeights: Bool = true, resident: Bool = true
  ) -> TileWork {
    TileWork(
      kind: .matrix, m: m, k: k, n: n, staticWeights: staticWeights, inputBytes: m * k, weightBytes: k * n,
      outputBytes: m * n, weightBits: 8, activationBits: 8, weightsResident: resident)
  }

  /// 5.12 ms of programming at 1 GHz.
  static let programCycles = 5.12e-3 * 1e9

  @Test func exampleValidatesAndRoundTrips() throws {
    let t = try AnalogTileTier(spec: AnalogTileTier.example)
    #expect(t.area.baseValue > 0)
    try TierConformanceTests.roundTrip(t)
    // ALPINE: 2 · 256 · 256 ops ÷ 12.8 TOp/s/W = 10.24 nJ per MVM
    #expect(abs(try #require(t.energyTable[.arrayActivation]).value.joules - 10.24e-9) < 1e-15)
  }

  @Test func adcBitsZeroIsAnErrorAtItsPath() {
    #expect {
      _ = try Self.tier { $0.adcBits = 0 }
    } throws: { error in
      guard let e = error as? ConfigErrors else { return false }
      return e.errors.contains { $0.path == "adc_bits" && $0.expected == "1…16" }
    }
  }

  @Test func capacityIsOneWeightPerCrossPoint() throws {
    let t = try Self.tier()
    #expect(t.weightCapacityBytes(weightBits: 8) == Double(8 * 256 * 256))  // 8 tiles × 65 536 one-byte weights
  }

  /// A 256×256 product at m = 1 on one tile is exactly one MVM: 130 ns = 130 cycles. I/O is
  /// (256 + 256) B / 4 B per cycle = 128 cycles, below it.
  @Test func oneTileOneVectorIsOneMVMLatency() throws {
    let t = try Self.tier { $0.common.count = 1 }
    let a = try t.evaluate(Self.product(k: 256, n: 256)).get()
    #expect(a.cycles == 130)
    #expect(a.actions[.arrayActivation] == 1)
    #expect(a.actions[.vectorOp] == 0)  // one row tile: nothing to add on the host
    #expect(a.utilization == 1)
  }

  /// 512×256 on two tiles: both MVMs at once, 130 cycles (I/O (512 + 2·256) B / (2 · 4 B) = 128,
  /// host adds 256 partial sums / 8 per cycle = 32).
  @Test func twoTilesRunInParallel() throws {
    let t = try Self.tier { $0.common.count = 2 }
    let a = try t.evaluate(Self.product(k: 512, n: 256)).get()
    #expect(a.cycles == 130)
    #expect(a.actions[.arrayActivation] == 2)
    #expect(a.actions[.vectorOp] == 256)  // m · n · (2 row tiles − 1)
  }

  /// The same product on one tile runs in two rounds, each programming the tile and running one
  /// MVM, and writes all 512 · 256 weights on every run.
  @Test func oneTileReprogramsPerRound() throws {
    let t = try Self.tier { $0.common.count = 1 }
    let a = try t.evaluate(Self.product(k: 512, n: 256)).get()
    #expect(a.cycles == 2 * (130 + Self.programCycles))
    #expect(a.actions[.cellWrite] == 512 * 256)
    #expect(a.actions[.arrayActivation] == 2)
  }

  /// Non-resident weights that fit add exactly 65 536 cell writes, the weight bytes over the I/O
  /// and one programming time.
  @Test func nonResidentWeightsAreProgrammedOnce() throws {
    let t = try Self.tier()
    let resident = try t.evaluate(Self.product(k: 256, n: 256)).get()
    let programmed = try t.evaluate(Self.product(k: 256, n: 256, resident: false)).get()
    #expect(programmed.actions[.cellWrite] == 256 * 256)
    #expect(programmed.cycles == resident.cycles + Self.programCycles)
    let e = t.energyTable
    let extra = e.totalJoules(programmed.actions) - e.totalJoules(resident.actions)
    let expected = 65_536 * 200e-12 + 65_536 * 1.25e-12  // cell writes + weight bytes read
    #expect(abs(extra - expected) <= 1e-9 * expected)
  }

  /// At 1 GB/s a tile moves 1 B per cycle: 256 + 256 B per row of X take 512 cycles > 130.
  @Test func ioBoundsTheMVMRate() throws {
    let t = try Self.tier {
      $0.common.count = 1
      $0.ioBandwidth = Sourced(Bandwidth(baseValue: 1e9), source: "test")
    }
    let a = try t.evaluate(Self.product(m: 10, k: 256, n: 256)).get()
    #expect(a.cycles == 10 * 512)
  }

  @Test func dynamicOperandsAreInfeasible() throws {
    let t = try Self.tier()
    guard case .failure(let why) = t.evaluate(Self.product(k: 64, n: 64, staticWeights: false)) else {
      Issue.record("expected an infeasibility")
      return
    }
    #expect(why.tier == "aimc0" && why.demand == Double(64 * 64))
    #expect(why.description.contains("aimc0") && why.levers.contains { $0.contains("photonic") })
  }

  @Test func vectorWorkRunsOnTheHost() throws {
    let t = try Self.tier()
    let a = try t.evaluate(TileWork(kind: .vector, vectorOps: 800)).get()
    #expect(a.cycles == 100)  // 800 ops / 8 NEON lanes
    #expect(a.actions[.vectorOp] == 800 && a.actions[.arrayActivation] == 0)
  }
}
