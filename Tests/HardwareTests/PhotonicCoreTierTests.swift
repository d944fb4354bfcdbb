import Foundation
import HybrixCore
import Testing
import Yams

@testable import Hardware

/// Hand-computed oracles for the SimPhony-style DPTC (LT preset: R = 4, C = 2, H = W = 12,
/// N_λ = 12, 5 GHz, 4-bit), so width = W·C = 24, height = H·R = 48, wavelength = 12.
@Suite struct PhotonicCoreTierTests {
  static func close(_ a: Double, _ b: Double, _ rel: Double = 1e-9) -> Bool { abs(a - b) <= rel * max(abs(a), abs(b)) }

  static func tier(_ edit: (inout PhotonicCoreSpec) -> Void = { _ in }) throws -> PhotonicCoreTier {
    var spec = PhotonicCoreTier.example
    edit(&spec)
    return try PhotonicCoreTier(spec: spec)
  }

  static func gemm(m: Double, k: Double, n: Double, bits: Int = 4) -> TileWork {
    TileWork(kind: .matrix, m: m, k: k, n: n, weightBits: bits, activationBits: bits)
  }

  static func activity(_ t: PhotonicCoreTier, _ w: TileWork) throws -> TierActivity {
    guard case .success(let a) = t.evaluate(w) else { throw ConfigError(message: "infeasible: \(w)") }
    return a
  }

  @Test func laserPowerMatchesHandCalculation() throws {
    // P[dBm] = 6.22 − 25 + 10·log10(144) = 6.22 − 25 + 21.58362 = 2.80362 dBm → 10^0.280362 = 1.907052 mW
    // P[mW]  = 1.907052 / 0.2 · 2^4 / (1 − 10^−1) = 9.53526 · 16 / 0.9 = 169.5157 mW per laser
    let t = try Self.tier()
    #expect(Self.close(t.powerPerLaser.watts, 0.1695157165, 1e-8))
    // R + C = 6 lasers: 6 · 169.5157 = 1017.094 mW
    #expect(Self.close(t.laserPower.watts, 1.017094299, 1e-8))
    // SimPhony's own LT run (log/test_energy.txt) reads the distribution factor as 1 (a config key
    // mismatch): 10^((6.22 − 25)/10) / 0.2 · 16 / 0.9 = 0.0132434 / 0.2 · 16 / 0.9 = 1.1771925 mW.
    let simphony = PhotonicCoreTier.laserPower(
      insertionLossDB: 6.22, pdSensitivityDBm: -25, distribution: 1, wallPlugEfficiency: 0.2, bits: 4,
      extinctionRatioDB: 10)
    #expect(Self.close(simphony.watts * 1e3, 1.1771924757285903))
  }

  @Test func staticPowerAddsLasersToLeakage() throws {
    // MRR rerouters 4608 · 0.275 mW = 1.2672 W, lasers 1.017094 W, MEMS phase shifters 0 W.
    let t = try Self.tier()
    #expect(Self.close(t.staticPower.watts, 1.2672 + 1.017094299, 1e-8))
    let held = try Self.tier { $0.phaseShifterHoldPower.value = .watts(1e-3) }
    // + 1 mW × H·W·R·C = 1152 nodes = 1.152 W
    #expect(Self.close(held.staticPower.watts - t.staticPower.watts, 1.152))
  }

  @Test func convertersAreRescaledAsSimPhonyDoes() throws {
    let t = try Self.tier()
    // SAR ADC: 14.8 mW · (5/10) · (4/8) = 3.7 mW; 3.7 mW ÷ 5 GHz = 0.74 pJ (SimPhony log: 0.74)
    #expect(Self.close(t.adcPower.watts, 3.7e-3))
    #expect(Self.close(try #require(t.energyTable[.adcConversion]).value.picojoules, 0.74))
    // DAC: 50 mW · [2^4/5] / [2^8/9] · 5/14 = 50 · 3.2 / 28.444 · 0.35714 = 2.008929 mW → 0.4017857 pJ
    #expect(Self.close(t.dacPower.watts, 2.0089285714285716e-3))
    #expect(Self.close(try #require(t.energyTable[.dacConversion]).value.picojoules, 0.40178571428571))
    // MZM: 450 fJ/bit × 1 testing bit = 0.45 pJ per symbol
    #expect(Self.close(try #require(t.energyTable[.modulation]).value.picojoules, 0.45))
  }

  @Test func oneTileGEMM() throws {
    // m = 24, n = 48, k = 12 fills width, height and wavelengths once: i_m = i_n = i_k = 1.
    let t = try Self.tier()
    let a = try Self.activity(t, Self.gemm(m: 24, k: 12, n: 48))
    // Output-stationary: i·T + i_m·i_n·T = 1 + 1 = 2 cycles (T = ⌈80 ps · 5 GHz⌉ = 1).
    #expect(a.cycles == 2)
    // Encoders: H·R·N_λ·C = 12·4·12·2 = 1152 for W plus W·C·N_λ = 12·2·12 = 288 for X, once each.
    #expect(a.actions[.modulation] == 1440)
    #expect(a.actions[.dacConversion] == 1440)
    #expect(a.actions[.detection] == 1152)  // H·W·R·C nodes
    #expect(a.actions[.adcConversion] == 192)  // H·W·R = 576 ADCs ÷ 3 accumulation cycles
    // 24·48·12 = 13 824 MACs over 2 cycles of 13 824 slots.
    #expect(a.utilization == 0.5)
  }

  @Test(arguments: [
    // m = 72, n = 96, k = 60: i_m = 3, i_n = 2, i_k = 5, i = 30 switching cycles.
    (PhotonicCoreSpec.Dataflow.outputStationary, 36.0),  // 30 + i_m·i_n = 30 + 6
    (.weightStationary, 40),  // 30 + i_n·i_k = 30 + 10
    (.inputStationary, 45),  // 30 + i_m·i_k = 30 + 15
  ])
  func dataflowCycleFormulas(_ dataflow: PhotonicCoreSpec.Dataflow, _ cycles: Double) throws {
    let t = try Self.tier { $0.dataflow = dataflow }
    #expect(try Self.activity(t, Self.gemm(m: 72, k: 60, n: 96)).cycles == cycles)
    // A 1 ns response is T = 5 cycles, which multiplies every term.
    let slow = try Self.tier {
      $0.dataflow = dataflow
      $0.tuningLatency.value = .nanoseconds(1)
    }
    #expect(slow.tuningCycles == 5)
    #expect(try Self.activity(slow, Self.gemm(m: 72, k: 60, n: 96)).cycles == 5 * cycles)
  }

  @Test func weightStationaryReusesWeightEncoders() throws {
    let t = try Self.tier { $0.dataflow = .weightStationary }
    let a = try Self.activity(t, Self.gemm(m: 72, k: 60, n: 96))
    // 30 switching cycles · (1152 / i_m + 288) = 30 · (384 + 288) = 20 160
    #expect(a.actions[.modulation] == 20_160)
    #expect(a.actions[.detection] == 30 * 1152)
  }

  @Test func signedOperandsWithoutDifferentialEncodingTakeTwoPasses() throws {
    let one = try Self.activity(try Self.tier(), Self.gemm(m: 72, k: 60, n: 96))
    let two = try Self.activity(try Self.tier { $0.signedOperands = .twoPass }, Self.gemm(m: 72, k: 60, n: 96))
    #expect(two.cycles == 2 * one.cycles)
    #expect(two.actions.values == one.actions.values * 2)
  }

  @Test func countSpreadsOuterTiles() throws {
    // OS outer tiles i_m·i_n = 6 over 2 units: 3 rounds of (i_k + 1) = 6 cycles = 18.
    let t = try Self.tier { $0.common.count = 2 }
    #expect(try Self.activity(t, Self.gemm(m: 72, k: 60, n: 96)).cycles == 18)
  }

  @Test func pointwiseWorkAndMovementAreInfeasible() throws {
    let t = try Self.tier()
    for kind in [TileWork.Kind.vector, .movement] {
      guard case .failure(let why) = t.evaluate(TileWork(kind: kind, vectorOps: 100, weightBits: 4, activationBits: 4))
      else {
        Issue.record("\(kind) work ran on the photonic core")
        continue
      }
      #expect(why.statement.contains("needs a digital tier"))
      #expect(why.tier == "lt0")
    }
  }

  @Test func widerOperandsThanTheCoreAreInfeasible() throws {
    let t = try Self.tier()
    guard case .failure(let why) = t.evaluate(Self.gemm(m: 8, k: 8, n: 8, bits: 8)) else {
      Issue.record("8-bit work ran on a 4-bit core")
      return
    }
    #expect(why.demand == 8 && why.bound == 4 && why.unit == "bits")
    #expect(t.weightCapacityBytes(weightBits: 4) == nil)
  }

  @Test func invalidLinkBudgetAndConvertersAreCollected() throws {
    var spec = PhotonicCoreTier.example
    spec.extinctionRatioDB.value = 0
    spec.laserWallPlugEfficiency.value = 1.5
    spec.dac.bits = 2
    let error = #expect(throws: ConfigErrors.self) { try PhotonicCoreTier(spec: spec) }
    let paths = error?.errors.compactMap(\.path) ?? []
    #expect(paths.contains("extinction_ratio_db") && paths.contains("laser_wall_plug_efficiency"), "\(paths)")
    #expect(paths.contains("dac.bits"), "\(paths)")
  }

  @Test func derivedEnergiesAreNotWrittenAndRejectedWhenGiven() throws {
    let t = try Self.tier()
    let yaml = try ArchitectureWriter.encoder.encode(ArchitectureWriter.TierBox(spec: t.spec))
    #expect(!yaml.contains("adc_conversion") && !yaml.contains("modulation:"))
    let edited = yaml.replacingOccurrences(of: "energy:\n", with: "energy:\n  adc_conversion: {value: 1 pJ, source: test}\n")
    let node = try #require(try Yams.compose(yaml: edited))
    let rejected = #expect(throws: ConfigErrors.self) { _ = try ArchitectureLoader.tier(node, path: "tiers[0]") }
    #expect(rejected?.errors.contains { $0.path == "tiers[0] (lt0).energy.adc_conversion" } == true, "\(String(describing: rejected))")
    let badFlow = try #require(try Yams.compose(yaml: yaml.replacingOccurrences(of: "output-stationary", with: "row-stationary")))
    let unknown = #expect(throws: ConfigErrors.self) { _ = try ArchitectureLoader.tier(badFlow, path: "tiers[0]") }
    #expect(
      unknown?.errors.contains { $0.description.contains("tiers[0] (lt0).dataflow: unknown dataflow \"row-stationary\"") } == true,
      "\(String(describing: unknown))")
  }
}
