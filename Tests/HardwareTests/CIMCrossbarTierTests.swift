import HybrixCore
import Testing

@testable import Hardware

/// Hand-computed oracles for ``CIMCrossbarTier``: bit slicing, bit-serial inputs, ADC sharing,
/// writes, rounds, replication, ReRAM refusals and spec validation.
@Suite struct CIMCrossbarTierTests {
  /// The SRAM example with `edit` applied.
  static func tier(_ edit: (inout CIMCrossbarSpec) -> Void = { _ in }) throws -> CIMCrossbarTier {
    var spec = CIMCrossbarSpec.sramExample
    edit(&spec)
    return try CIMCrossbarTier(spec: spec)
  }

  /// A product with 8-bit operands and byte counts that follow from its shape.
  static func product(
    m: Double = 1, k: Double, n: Double, batch: Double = 1, staticWeights: Bool = true, resident: Bool = true,
    weightBits: Int = 8, activationBits: Int = 8
  ) -> TileWork {
    TileWork(
      kind: .matrix, batch: batch, m: m, k: k, n: n, staticWeights: staticWeights,
      inputBytes: batch * m * k, weightBytes: batch * k * n, outputBytes: batch * m * n,
      weightBits: weightBits, activationBits: activationBits, weightsResident: resident)
  }

  static func activity(_ t: CIMCrossbarTier, _ w: TileWork) throws -> TierActivity {
    try t.evaluate(w).get()
  }

  @Test(arguments: [CIMCrossbarSpec.sramExample, .reramExample, .dynaplasiaLike])
  func presetsValidateAndRoundTrip(_ spec: CIMCrossbarSpec) throws {
    let t = try CIMCrossbarTier(spec: spec)
    #expect(t.area.baseValue > 0)
    #expect(spec.mvmLatency.source.isEmpty == false && spec.endurance.source.isEmpty == false)
    try TierConformanceTests.roundTrip(t)
  }

  @Test func exampleIsTheSRAMPreset() {
    #expect(CIMCrossbarTier.example == CIMCrossbarSpec.sramExample)
    #expect(CIMCrossbarTier.example.technology == .sram)
  }

  @Test func adcBitsZeroIsAnErrorAtItsPath() {
    #expect {
      _ = try Self.tier { $0.adcBits = 0 }
    } throws: { error in
      guard let e = error as? ConfigErrors else { return false }
      return e.errors.contains { $0.path == "adc_bits" && $0.expected == "1…16" && $0.message == "0" }
    }
  }

  @Test func errorsAreCollectedTogether() {
    #expect {
      _ = try Self.tier {
        $0.rowsActive = 129  // above array_rows = 128
        $0.dualMode = true
        $0.memoryBytesPerCycle = 0
        $0.switchCycles = -1
      }
    } throws: { error in
      guard let e = error as? ConfigErrors else { return false }
      let paths = Set(e.errors.compactMap(\.path))
      // dual mode also needs a mode_switch energy, which the SRAM example lacks
      return paths == ["rows_active", "memory_bytes_per_cycle", "switch_cycles", "energy.mode_switch"]
    }
  }

  @Test func dualModeIsCarried() throws {
    let s = CIMCrossbarSpec.dynaplasiaLike
    #expect(s.dualMode && s.switchCycles == 1 && s.memoryBytesPerCycle == 4)
    #expect(s.common.count == 96 && s.arrayRows == 320 && s.arrayCols == 320)
  }

  /// ISAAC-like crossbar: 32 weights × ⌈8/2⌉ = 4 columns fill the 128 columns, 128 rows fill the
  /// rows: one crossbar, 8 one-bit input steps, each max(⌈100 ns · 1.28 GHz⌉, 128/1) = 128 cycles.
  @Test func isaacCrossbarOracle() throws {
    let t = try CIMCrossbarTier(spec: .reramExample)
    let a = try Self.activity(t, Self.product(k: 128, n: 32))
    #expect(a.cycles == 8 * 128)  // = 800 ns at 1.28 GHz
    #expect(a.actions[.arrayActivation] == 8)  // 8 steps × 1 row group × 1 column tile
    #expect(a.actions[.adcConversion] == 8 * 32 * 4)  // steps × n × slices
    #expect(a.actions[.dacConversion] == 8 * 128)  // steps × k × column tiles
    #expect(a.actions[.cellWrite] == 0)
  }

  /// 8-bit weights on 2-bit cells use 4 columns each: 32 weights fit one 128-column array, 33 need two.
  @Test func bitSlicingUsesFourColumnsPerWeight() throws {
    let t = try CIMCrossbarTier(spec: .reramExample)
    let fits = try Self.activity(t, Self.product(k: 128, n: 32))
    let spills = try Self.activity(t, Self.product(k: 128, n: 33))
    #expect(fits.actions[.arrayActivation] == 8)  // ⌈32·4/128⌉ = 1 array × 8 steps
    #expect(spills.actions[.arrayActivation] == 16)  // ⌈33·4/128⌉ = 2 arrays × 8 steps
    #expect(spills.actions[.adcConversion] == 8 * 33 * 4)
    // 96 crossbars × 128 × 128 cells × 2 bits / 8 = 393 216 bytes of 8-bit weights
    #expect(t.weightCapacityBytes(weightBits: 8) == Double(96 * 128 * 128 * 2 / 8))
    // 4-bit weights take 2 cells each: 96 · 128 · 128 / 2 weights × 0.5 byte, the same bytes
    #expect(t.weightCapacityBytes(weightBits: 4) == Double(96 * 128 * 128 / 2) * 0.5)
  }

  /// With a 1-cycle activation, 8 columns per ADC make each activation 8 cycles instead of 1.
  @Test func sharingAnADCOverEightColumnsMultipliesConversionTimeByEight() throws {
    func cycles(adcs: Int) throws -> Double {
      let t = try Self.tier {
        $0.adcsPerArray = adcs
        $0.cellBits = 8  // one column per weight, so n = 128 fills the array
      }
      return try Self.activity(t, Self.product(k: 128, n: 128)).cycles
    }
    // 8 input steps × max(1 cycle settle, 128/128 = 1) = 8; buffer: (128 + 128) B / 64 B = 4 cycles
    #expect(try cycles(adcs: 128) == 8)
    // 8 input steps × max(1, 128/16 = 8) = 64
    #expect(try cycles(adcs: 16) == 64)
  }

  /// Two input bits per DAC halve the steps: 8-bit inputs take 4 instead of 8.
  @Test func widerDACsShortenBitSerialInputs() throws {
    let one = try Self.activity(try Self.tier { $0.dacBits = 1 }, Self.product(k: 128, n: 16))
    let two = try Self.activity(try Self.tier { $0.dacBits = 2 }, Self.product(k: 128, n: 16))
    #expect(one.actions[.arrayActivation] == 8 && two.actions[.arrayActivation] == 4)
    #expect(two.cycles * 2 == one.cycles)
  }

  /// 64 active rows of 128 need two activations per step for a 128-row weight tile.
  @Test func fewerActiveRowsMeanMoreActivations() throws {
    let all = try Self.activity(try Self.tier(), Self.product(k: 128, n: 16))
    let half = try Self.activity(try Self.tier { $0.rowsActive = 64 }, Self.product(k: 128, n: 16))
    #expect(half.actions[.arrayActivation] == 2 * all.actions[.arrayActivation])
    #expect(half.cycles == 2 * all.cycles)
  }

  /// Non-resident weights add exactly one cell write per cell (k · n · s) and one buffer read per
  /// weight byte, and `write_latency` per row of the array.
  @Test func nonResidentWeightsAddExactlyTheirCellWrites() throws {
    let t = try CIMCrossbarTier(spec: .sramExample)
    let resident = try Self.activity(t, Self.product(k: 128, n: 16))
    let written = try Self.activity(t, Self.product(k: 128, n: 16, resident: false))
    let cells = 128.0 * 16 * 8  // k × n × ⌈8 bits / 1-bit cells⌉
    #expect(written.actions[.cellWrite] == cells)
    let e = t.energyTable
    let extra = e.totalJoules(written.actions) - e.totalJoules(resident.actions)
    let expected = cells * 0.015e-12 + 128 * 16 * 1.25e-12  // cell writes + weight bytes read from the buffer
    #expect(abs(extra - expected) <= 1e-9 * expected)
    // 128 rows × 1 ns × 1 GHz = 128 write cycles before the product
    #expect(written.cycles - resident.cycles == 128)
  }

  /// Dynamic operands are written on SRAM like non-resident weights.
  @Test func sramWritesDynamicOperands() throws {
    let t = try CIMCrossbarTier(spec: .sramExample)
    let a = try Self.activity(t, Self.product(k: 64, n: 64, staticWeights: false))
    #expect(a.actions[.cellWrite] == 64 * 64 * 8)
  }

  @Test func reramRefusesDynamicOperands() throws {
    let t = try CIMCrossbarTier(spec: .reramExample)
    let r = t.evaluate(Self.product(k: 64, n: 64, staticWeights: false))
    guard case .failure(let why) = r else {
      Issue.record("expected an infeasibility, got \(r)")
      return
    }
    #expect(why.tier == "reram0")
    #expect(why.demand == Double(64 * 64 * 4))  // k × n × ⌈8/2⌉ cells rewritten per product
    #expect(why.description.contains("reram0") && why.description.contains("levers"))
    #expect(why.levers.contains { $0.contains("SRAM") } && why.levers.contains { $0.contains("photonic") })
  }

  /// Weights needing twice the arrays run in two rounds: every cell written once, each round
  /// writing 128 rows and running the 8 steps.
  @Test func oversizedWeightsRunInRounds() throws {
    let t = try Self.tier { $0.common.count = 2 }
    // 1-bit cells: 16 weights × 8 columns = 128 columns per array; k = 256 rows → 2 row tiles,
    // n = 32 → 2 column tiles: 4 arrays on 2 → 2 rounds
    let a = try Self.activity(t, Self.product(k: 256, n: 32))
    #expect(a.actions[.cellWrite] == 256 * 32 * 8)
    // per round: 128 rows × 1 cycle written + 8 steps × 1 row group × max(1, 128/16 = 8) cycles
    #expect(a.cycles == 2 * (128 + 8 * 8))
  }

  /// Inputs go to the buffer once per column tile, or with `input_broadcast` once per round of
  /// rewrites (never more often than per column tile); nothing else changes.
  @Test func broadcastReadsInputsOncePerRound() throws {
    // 1-bit cells: 64 weights × 8 columns = 512 columns → 4 column tiles, 1 row tile; m = 8.
    let work = Self.product(m: 8, k: 128, n: 64)
    let inputBytes = 8.0 * 128
    func reads(count: Int, broadcast: Bool) throws -> (reads: Double, activity: TierActivity) {
      let t = try Self.tier {
        $0.common.count = count
        $0.inputBroadcast = broadcast
      }
      let a = try Self.activity(t, work)
      return (a.actions[.bufferRead], a)
    }
    // 64 arrays: one round. Resident weights are not read.
    #expect(try reads(count: 64, broadcast: false).reads == 4 * inputBytes)
    #expect(try reads(count: 64, broadcast: true).reads == inputBytes)
    // 2 arrays: 2 rounds, each rewriting 2 column tiles' weights (read once) and re-reading X.
    let weightBytes = 128.0 * 64
    #expect(try reads(count: 2, broadcast: false).reads == 4 * inputBytes + weightBytes)
    #expect(try reads(count: 2, broadcast: true).reads == 2 * inputBytes + weightBytes)
    // 1 array: 4 rounds of one column tile each: broadcasting saves nothing.
    #expect(try reads(count: 1, broadcast: true).reads == reads(count: 1, broadcast: false).reads)
    // Compute, conversions and writes are the same either way.
    let (a, b) = (try reads(count: 64, broadcast: false).activity, try reads(count: 64, broadcast: true).activity)
    for action in [Action.arrayActivation, .dacConversion, .adcConversion, .cellWrite, .bufferWrite] {
      #expect(a.actions[action] == b.actions[action], "\(action)")
    }
  }

  /// ReRAM re-programming beyond endurance / 10⁶ writes per inference is refused.
  @Test func reramRoundsAreBoundedByEndurance() throws {
    var spec = CIMCrossbarSpec.reramExample
    spec.common.count = 1
    spec.endurance = Sourced(.writes(1.5e6), source: "test")  // 1.5 writes per cell per inference
    let t = try CIMCrossbarTier(spec: spec)
    // one crossbar's worth, not resident: 1 write per inference is within 1.5
    #expect((try? t.evaluate(Self.product(k: 128, n: 32, resident: false)).get()) != nil)
    // two crossbars' worth on one: 2 rounds = 2 writes per inference > 1.5
    guard case .failure(let why) = t.evaluate(Self.product(k: 256, n: 32)) else {
      Issue.record("expected an endurance infeasibility")
      return
    }
    #expect(why.demand == 2 && why.bound == 1.5)
    #expect(!why.levers.isEmpty)
  }

  /// One array's weights on four spare arrays with replication 4 split 8 rows of X into 2 each.
  @Test func replicationDividesTheRows() throws {
    func cycles(_ replication: Int) throws -> Double {
      let t = try Self.tier {
        $0.common.count = 4
        $0.replication = replication
      }
      return try Self.activity(t, Self.product(m: 8, k: 128, n: 16)).cycles
    }
    // 8 rows × 8 steps × 8 cycles (ADC sharing) = 512; with 4 copies ⌈8/4⌉ = 2 rows: 128
    #expect(try cycles(1) == 512)
    #expect(try cycles(4) == 128)
  }

  @Test func vectorWorkRunsOnTheDigitalUnit() throws {
    let t = try CIMCrossbarTier(spec: .sramExample)
    let a = try t.evaluate(TileWork(kind: .vector, vectorOps: 1600)).get()
    #expect(a.cycles == 100)  // 1600 ops / 16 lanes
    #expect(a.actions[.vectorOp] == 1600)
    let move = try t.evaluate(TileWork(kind: .movement, inputBytes: 640, outputBytes: 640)).get()
    #expect(move.cycles == 20)  // 1280 B / 64 B per cycle
    #expect(move.actions[.bufferRead] == 640 && move.actions[.mac] == 0)
  }
}
