import HybrixCore
import Testing

@testable import Hardware

/// CMSwitch's dual mode in the CIM tier [issue 11]: a product on `c` compute arrays whose
/// buffer traffic goes through its share of the port plus its memory-mode arrays (Eq. 10's
/// shape), hand-computed on the Dynaplasia-like spec; refusals are reasons, not crashes.
@Suite struct CIMCrossbarDualModeTests {
  /// 64 × 320 · 320 × 40: one 320-column tile (40 weights × 8 one-bit cells), one row group.
  static func work(_ modes: ArrayModes?) -> TileWork {
    var w = CIMCrossbarTierTests.product(m: 64, k: 320, n: 40)
    w.arrayModes = modes
    return w
  }

  @Test func trafficIsServedByThePortShareAndMemoryArrays() throws {
    let t = try CIMCrossbarTier(spec: .dynaplasiaLike)
    // Compute: 64 rows × 8 input bits × 1 row group × ⌈63 ns × 250 MHz⌉ = 16 cycles → 8 192.
    // Traffic: 64·320 input bytes read once + 64·40 output bytes written once = 23 040 bytes.
    let alone = try t.evaluate(Self.work(ArrayModes(computeArrays: 1))).get()
    #expect(alone.cycles == 8192)  // 23 040 / 32 B per cycle = 720: compute-bound
    let starved = try t.evaluate(Self.work(ArrayModes(computeArrays: 1, portShare: 1.0 / 16))).get()
    #expect(starved.cycles == 11_520)  // 23 040 / 2 B per cycle
    let buffered = try t.evaluate(Self.work(ArrayModes(computeArrays: 1, inputBuffers: 1, outputBuffers: 1, portShare: 1.0 / 16))).get()
    #expect(buffered.cycles == 8192)  // 2 + 2 · 4 B per cycle: 2 304, compute-bound again
    #expect(buffered.activeUnits == 3)
  }

  @Test func moreArraysNeverTakeLonger() throws {
    let t = try CIMCrossbarTier(spec: .dynaplasiaLike)
    var w = CIMCrossbarTierTests.product(m: 256, k: 1280, n: 400, resident: false)
    var checked = 0
    for share in [1.0, 0.25, 1.0 / 8] {
      var previous = Double.infinity
      for c in [1.0, 2, 5, 13, 40, 96] {
        w.arrayModes = ArrayModes(computeArrays: c, portShare: share)
        let cycles = try t.evaluate(w).get().cycles
        #expect(cycles <= previous)
        previous = cycles
        checked += 1
      }
      previous = .infinity
      for m in [0.0, 1, 3, 8, 20] {
        w.arrayModes = ArrayModes(computeArrays: 4, inputBuffers: m, outputBuffers: min(m, 8), portShare: share)
        let cycles = try t.evaluate(w).get().cycles
        #expect(cycles <= previous)
        previous = cycles
        checked += 1
      }
    }
    #expect(checked == 33)
  }

  @Test func impossibleArrayModesAreRefusedWithReasons() throws {
    let dual = try CIMCrossbarTier(spec: .dynaplasiaLike)
    let single = try CIMCrossbarTier(spec: .sramExample)
    let refused: [(CIMCrossbarTier, ArrayModes, String)] = [
      (single, ArrayModes(computeArrays: 1, inputBuffers: 1), "memory mode"),
      (dual, ArrayModes(computeArrays: 0), "compute array"),
      (dual, ArrayModes(computeArrays: 97), "exceed"),
      (dual, ArrayModes(computeArrays: 1, inputBuffers: 3), "input buffers"),  // 20 480 B fill 2 of 12 800 B
      (dual, ArrayModes(computeArrays: 1, outputBuffers: 2), "output buffers"),  // 2 560 B fill 1
      (dual, ArrayModes(computeArrays: 1, portShare: 0), "port"),
    ]
    for (tier, modes, word) in refused {
      guard case .failure(let why) = tier.evaluate(Self.work(modes)) else {
        Issue.record("\(modes) accepted")
        continue
      }
      #expect(why.statement.contains(word), "\(why.statement)")
    }
    // Compute-only allocations work on any CIM tier.
    #expect((try? single.evaluate(Self.work(ArrayModes(computeArrays: 2))).get()) != nil)
  }
}
