import Foundation
import HybrixCore
import Testing

@testable import Hardware

/// The `mirage` preset is the paper's setting (arXiv 2311.17323v2 §IV–V), its laser power is
/// derived (not pasted), and the Table II baselines are built as stated.
@Suite struct MiragePresetTests {
  static func close(_ a: Double, _ b: Double, _ rel: Double = 1e-9) -> Bool { abs(a - b) <= rel * max(abs(a), abs(b)) }

  static func core() throws -> RNSPhotonicCoreTier {
    let a = try PresetRegistry.architecture(named: "mirage")
    return try #require(a.tiers.compactMap { $0 as? RNSPhotonicCoreTier }.first)
  }

  @Test func presetIsThePapersMicroArchitecture() throws {
    let t = try Self.core()
    let s = t.spec
    #expect(s.moduli.value == RNSNumberFormat.mirage.moduli)
    #expect(s.bfpBlock == 16 && s.mantissaBits == 5)
    #expect(s.mmvmuCount == 24 && s.mmvmuRows == 16 && s.mmvmuCols == 32 && s.moduliParallel)
    #expect(t.clock.hertz == 10e9)
    #expect(t.tuningCycles == 50)  // 5 ns at 10 GHz
    #expect(s.adcsPerReadout == 2 && s.digitalInputs && s.dataflow == .best)
    #expect(t.residueBits == [5, 5, 6])
    // Every number of the preset carries a source; the laser's is the derivation.
    for (action, e) in t.energyTable.entries { #expect(!e.source.isEmpty, "\(action)") }
    #expect(s.common.staticPowerPerUnit.source.contains("SNR > m"))
  }

  /// The photocurrent solves I / √(2qIB + 4kTB/R) = m exactly, for each modulus.
  @Test func detectorCurrentMeetsTheSNRRule() {
    let laser = MirageLaser()
    let clock = Frequency.gigahertz(10)
    var checked = 0
    for m in [7, 31, 32, 33, 63, 127] {
      let i = laser.detectorCurrentAmperes(snr: Double(m), clock: clock)
      let b = clock.hertz * laser.bandwidthPerClock.value
      let noise = (2 * MirageLaser.electronCharge * i * b
        + 4 * MirageLaser.boltzmann * laser.temperatureKelvin.value * b / laser.loadOhms.value).squareRoot()
      #expect(Self.close(i / noise, Double(m), 1e-9), "m = \(m): SNR \(i / noise)")
      checked += 1
    }
    #expect(checked == 6)
  }

  /// The preset's laser power is MirageLaser's sum over moduli and paths: 10 dB more loss costs
  /// 10× the power; twice the paths twice; and the preset uses exactly the computed figure.
  @Test func laserPowerIsDerivedFromLossesAndPaths() throws {
    var laser = MirageLaser()
    let clock = Frequency.gigahertz(10)
    let base = laser.electricalWatts(moduli: [33], group: 16, pathsPerModulus: 256, clock: clock)
    #expect(Self.close(laser.electricalWatts(moduli: [33], group: 16, pathsPerModulus: 512, clock: clock), 2 * base))
    // Hand computation for one modulus: P_det × 10^(L/10) × paths × 2 ÷ 0.2.
    let loss = 0.2 + 16 * (0.57 * 1.6 + 2 * 0.01) + 0.2
    #expect(Self.close(laser.pathLossDB(modulus: 33, group: 16), loss))
    let hand = laser.detectorWatts(modulus: 33, clock: clock) * pow(10, loss / 10) * 256 * 2 / 0.2
    #expect(Self.close(base, hand))
    laser.couplerLossDB.value += 10
    #expect(Self.close(laser.electricalWatts(moduli: [33], group: 16, pathsPerModulus: 256, clock: clock), 10 * base))
    let preset = try Self.core().staticPower.watts
    #expect(Self.close(preset, MirageLaser().electricalWatts(moduli: [31, 32, 33], group: 16, pathsPerModulus: 256, clock: clock)))
    #expect(preset > 0.1 && preset < 20, "laser \(preset) W")
  }

  /// Mirage reads each weight residue through the DAC once per tile, never the inputs, and reads
  /// every output with two ADCs (I/Q).
  @Test func convertersAreCountedAsTheMicroArchitectureUsesThem() throws {
    var spec = MiragePreset.core()
    spec.dataflow = .weightStationary
    let t = try RNSPhotonicCoreTier(spec: spec)
    let (m, k, n) = (100.0, 48.0, 64.0)
    let w = TileWork(kind: .matrix, m: m, k: k, n: n, inputBytes: m * k * 4, weightBytes: k * n * 4, outputBytes: m * n * 4, weightBits: 32, activationBits: 32)
    guard case .success(let a) = t.evaluate(w) else { Issue.record("refused"); return }
    #expect(a.actions[.dacConversion] == k * n * 3)
    #expect(a.actions[.adcConversion] == 2 * a.actions[.detection])
    #expect(a.actions[.detection] == m * n * 3 * 3)  // 3 row tiles × 3 moduli
    #expect(a.actions[.residueConversion] == m * k + k * n)
    #expect(a.actions[.bfpConversion] == (m + n) * 3)  // 3 groups of 16 along k
    #expect(a.actions[.bufferWrite] == m * n * 4 * 3)  // partial sums per row tile
    // 2 column tiles on 8 units per modulus: one round of T + m cycles.
    #expect(a.cycles == 50 + m)
  }

  /// Input-stationary is weight-stationary on the transposed product; `best` is the faster of
  /// the two, on RNS and systolic tiers alike.
  @Test func dataflowBestIsTheFasterOfTheTwo() throws {
    var ws = MiragePreset.core()
    ws.dataflow = .weightStationary
    var isSpec = ws
    isSpec.dataflow = .inputStationary
    var bestSpec = ws
    bestSpec.dataflow = .best
    var saWS = MirageBaseline.all[0].tier(arrays: 3)
    saWS.dataflow = .weightStationary
    var saBest = saWS
    saBest.dataflow = .best
    let pairs: [(any HardwareTier, any HardwareTier, any HardwareTier)] = [
      (try RNSPhotonicCoreTier(spec: ws), try RNSPhotonicCoreTier(spec: isSpec), try RNSPhotonicCoreTier(spec: bestSpec)),
      (try SystolicArrayTier(spec: saWS), try SystolicArrayTier(spec: saWS), try SystolicArrayTier(spec: saBest)),
    ]
    var checked = 0, inputStationaryWins = 0
    for (w, _, best) in pairs {
      for (m, k, n) in [(4096.0, 27.0, 64.0), (64.0, 4608.0, 512.0), (9.0, 50176.0, 256.0), (1.0, 16.0, 32.0), (300.0, 300.0, 300.0)] {
        let work = TileWork(kind: .matrix, m: m, k: k, n: n, inputBytes: m * k, weightBytes: k * n, outputBytes: m * n, weightBits: 32, activationBits: 32)
        guard case .success(let a) = w.evaluate(work), case .success(let t) = w.evaluate(Dataflow.transposed(work)),
          case .success(let b) = best.evaluate(work)
        else { Issue.record("refused \(work)"); continue }
        #expect(b.cycles == min(a.cycles, t.cycles))
        #expect(b.actions[.mac] == a.actions[.mac])
        if t.cycles < a.cycles { inputStationaryWins += 1 }
        checked += 1
      }
    }
    // The RNS tier's input-stationary setting is the transposed product.
    let rnsIS = try RNSPhotonicCoreTier(spec: isSpec), rnsWS = try RNSPhotonicCoreTier(spec: ws)
    let work = TileWork(kind: .matrix, m: 9, k: 4608, n: 256, inputBytes: 1, weightBytes: 2, outputBytes: 3, weightBits: 32, activationBits: 32)
    guard case .success(let x) = rnsIS.evaluate(work), case .success(let y) = rnsWS.evaluate(Dataflow.transposed(work)) else {
      Issue.record("refused")
      return
    }
    #expect(x == y)
    #expect(checked == 10)
    #expect(inputStationaryWins >= 2, "the cases include products where input-stationary is faster")
  }

  @Test func tableIIBaselinesAreBuiltAsStated() throws {
    #expect(MirageBaseline.names == ["fp32", "bf16", "hfp8", "int12", "int8", "fmac"])
    let int12 = try MirageBaseline.named("INT12")
    #expect(Self.close(int12.energyPerMAC.value.joules, 0.71e-12) && int12.clock.value.hertz == 1e9)
    let a = try int12.architecture(arrays: 7)
    let sa = try #require(a.tiers[1] as? SystolicArrayTier)
    #expect(sa.spec.rows == 16 && sa.spec.cols == 32 && sa.common.count == 7)
    #expect(Self.close(sa.area.baseValue, 7 * 512 * 7.7e-4 * 1e-6))
    #expect(try MirageBaseline.named("fmac").areaPerMAC == nil)
    #expect { try MirageBaseline.named("fma") } throws: { e in
      (e as? ConfigError).map { $0.path == "--against" && ($0.hint ?? "").contains("fmac") } ?? false
    }
  }
}
