import Foundation
import HybrixCore
import Testing

@testable import Hardware

/// Hand-computed oracles for the Mirage-like RNS core (example: moduli {31, 32, 33}, BFP blocks of
/// 16 with 5-bit mantissas, 24 MMVMUs of 16 × 16 in groups of three, T = 1 cycle).
@Suite struct RNSPhotonicCoreTierTests {
  static func close(_ a: Double, _ b: Double, _ rel: Double = 1e-9) -> Bool { abs(a - b) <= rel * max(abs(a), abs(b)) }

  static func tier(_ edit: (inout RNSPhotonicCoreSpec) -> Void = { _ in }) throws -> RNSPhotonicCoreTier {
    var spec = RNSPhotonicCoreTier.example
    edit(&spec)
    return try RNSPhotonicCoreTier(spec: spec)
  }

  static func errors(_ edit: (inout RNSPhotonicCoreSpec) -> Void) -> [ConfigError] {
    do {
      _ = try tier(edit)
      return []
    } catch {
      return (error as? ConfigErrors)?.errors ?? []
    }
  }

  static func activity(_ t: RNSPhotonicCoreTier, m: Double, k: Double, n: Double) throws -> TierActivity {
    let w = TileWork(kind: .matrix, m: m, k: k, n: n, weightBits: 16, activationBits: 16)
    guard case .success(let a) = t.evaluate(w) else { throw ConfigError(message: "infeasible: \(w)") }
    return a
  }

  @Test func nonCoprimeModuliAreRejectedByName() {
    let e = Self.errors { $0.moduli.value = [6, 9] }
    #expect(e.contains { $0.path == "moduli" && $0.message.contains("6 and 9") && $0.message.contains("factor 3") }, "\(e)")
  }

  @Test func redundantModuliMustBeCoprimeAndLarger() {
    let e = Self.errors { $0.redundantModuli = [35, 29] }
    // 35 = 5·7 and 29 are coprime with 31, 32 and 33 = 3·11, but 29 is not above 33.
    #expect(e.contains { $0.path == "redundant_moduli[1]" && $0.message.contains("29") }, "\(e)")
    let shared = Self.errors { $0.redundantModuli = [64] }  // 64 and 32 share 32
    #expect(shared.contains { $0.path == "redundant_moduli" && $0.message.contains("32 and 64") }, "\(shared)")
  }

  @Test func overflowConditionNamesTheBlockLength() throws {
    // M = 31·32·33 = 32 736. 5-bit mantissas: each product needs 2^(2·5 − 1) = 512 of range.
    // g = 16: 16·512 = 8 192 ≤ 32 736 fits; g = 64: 64·512 = 32 768 > 32 736 overflows
    // (log₂ M = 14.998 < 9 + 6 = 15); the largest block that fits is ⌊32 736 / 512⌋ = 63.
    _ = try Self.tier()
    let e = Self.errors { $0.bfpBlock = 64 }
    let overflow = try #require(e.first { $0.path == "moduli" }, "\(e)")
    #expect(overflow.message.contains("64-element blocks") && overflow.message.contains("32736"), "\(overflow)")
    #expect(overflow.hint?.contains("up to 63") == true, "\(overflow)")
    // One more mantissa bit overflows already at g = 16: 16·2^11 = 32 768 > 32 736.
    #expect(Self.errors { $0.mantissaBits = 6 }.contains { $0.path == "moduli" })
  }

  @Test func rowsMustDivideTheBlock() {
    let e = Self.errors { $0.mmvmuRows = 12 }
    #expect(e.contains { $0.path == "mmvmu_rows" && $0.message.contains("does not divide bfp_block 16") }, "\(e)")
  }

  @Test func converterEnergiesFollowTheResidueBits() throws {
    let t = try Self.tier()
    #expect(t.residueBits == [5, 5, 6])  // ⌈log₂ 31⌉, ⌈log₂ 32⌉, ⌈log₂ 33⌉
    // ADC: 14.8 mW / 10 GS/s = 1.48 pJ at 8 b; × 5/8 = 0.925, × 6/8 = 1.11; mean (2·0.925 + 1.11)/3 = 0.986667
    #expect(Self.close(t.adcEnergy.picojoules, 0.98666666666667))
    // DAC: 50 mW / 14 GS/s = 3.571429 pJ at 8 b (2^8/9 = 28.444); 5 b: 2^5/6 = 5.3333 → 0.669643;
    // 6 b: 2^6/7 = 9.142857 → 1.147959; mean (2·0.669643 + 1.147959)/3 = 0.829082
    #expect(Self.close(t.dacEnergy.picojoules, 0.82908163265306))
    #expect(t.energyTable[.adcConversion]?.value == t.adcEnergy)
  }

  @Test func oneTileProduct() throws {
    // m = 10, k = 16, n = 16: one weight tile per modulus, on 8 groups of three MMVMUs.
    let a = try Self.activity(try Self.tier(), m: 10, k: 16, n: 16)
    #expect(a.cycles == 11)  // T + m = 1 + 10
    #expect(a.actions[.phaseTuning] == 768)  // k·n·3 = 256·3
    #expect(a.actions[.modulation] == 7680)  // m·k·n·3 = 2560·3
    #expect(a.actions[.dacConversion] == 480)  // m·k·⌈n/16⌉·3 = 160·3
    #expect(a.actions[.detection] == 480)  // m·n·⌈k/16⌉·3
    #expect(a.actions[.adcConversion] == 480)
    #expect(a.actions[.crtReconstruction] == 160)  // m·n outputs, one block
    #expect(a.actions[.vectorOp] == 576)  // (m·k + k·n) + m·n·1 + 0 = 160 + 256 + 160
    // 2560 MACs · 3 channels over 11 cycles of 24·256 = 6144 slots.
    #expect(Self.close(try #require(a.utilization), 7680 / (11 * 6144)))
  }

  @Test func blocksLongerThanTheRowsJoinResiduesDigitally() throws {
    // k = 40, rows = 8: 5 row tiles, ⌈40/16⌉ = 3 blocks; m = n = 4 → 16 outputs.
    let a = try Self.activity(try Self.tier { $0.mmvmuRows = 8 }, m: 4, k: 40, n: 4)
    #expect(a.actions[.crtReconstruction] == 48)  // 16 outputs · 3 blocks
    #expect(a.actions[.detection] == 240)  // 16 · 5 row tiles · 3 channels
    // (4·40 + 40·4) + 16·3 + 16·(5 − 3)·3 = 320 + 48 + 96
    #expect(a.actions[.vectorOp] == 464)
  }

  @Test func moduliInParallelOrInTurn() throws {
    // 4 MMVMUs, k = 16, n = 64: 4 weight tiles per modulus, m = 10.
    // Parallel: ⌊4/3⌋ = 1 group → 4 rounds · 11 = 44. In turn: ⌈4·3/4⌉ = 3 rounds · 11 = 33.
    let parallel = try Self.tier { $0.mmvmuCount = 4 }
    let turn = try Self.tier {
      $0.mmvmuCount = 4
      $0.moduliParallel = false
    }
    #expect(try Self.activity(parallel, m: 10, k: 16, n: 64).cycles == 44)
    #expect(try Self.activity(turn, m: 10, k: 16, n: 64).cycles == 33)
    #expect(Self.errors { $0.mmvmuCount = 2 }.contains { $0.path == "mmvmu_count" })
  }

  @Test func pointwiseWorkAndMovementAreInfeasible() throws {
    let t = try Self.tier()
    for kind in [TileWork.Kind.vector, .movement] {
      guard case .failure(let why) = t.evaluate(TileWork(kind: kind, vectorOps: 10, weightBits: 16, activationBits: 16))
      else {
        Issue.record("\(kind) work ran on the RNS core")
        continue
      }
      #expect(why.statement.contains("needs a digital tier"))
    }
    #expect(t.weightCapacityBytes(weightBits: 16) == nil)
  }
}
