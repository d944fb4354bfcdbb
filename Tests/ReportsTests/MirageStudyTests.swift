import Hardware
import HybrixCore
import Mapping
import Testing
import Workloads

@testable import Reports

/// `hybrix compare`'s library: the paper's scaling rules, both conventions, OPT2, bad input.
@Suite struct MirageStudyTests {
  static func close(_ a: Double, _ b: Double, _ rel: Double = 1e-9) -> Bool { abs(a - b) <= rel * max(abs(a), abs(b)) }
  static let small = WorkloadRequest(model: "resnet18", batch: 4, imageSize: 64, phase: .train)

  /// Iso-energy vs FMAC, the paper's way: 4096 × 0.21 / 0.11 MAC units → 15 arrays of 512, MAC
  /// energy only; the ratios are the quotients of the sides.
  @Test func paperConventionScalesByTableII() throws {
    let c = try MirageStudy.compare(Self.small, against: "fmac", iso: .energy)
    let paper = try #require(c.conventions.first { $0.name == "paper" })
    #expect(paper.baseline.arrays == Int((4096 * 0.21 / 0.11 / 512).rounded()))
    #expect(Self.close(paper.baseline.energyJoules, c.macs * 0.11e-12))
    #expect(paper.mirage.macUnits == 4096)
    for v in c.conventions {
      #expect(Self.close(v.ratios.runtime, v.baseline.runtimeSeconds / v.mirage.runtimeSeconds))
      #expect(Self.close(v.ratios.edp, v.baseline.edpJouleSeconds / v.mirage.edpJouleSeconds))
      #expect(Self.close(v.ratios.power, v.baseline.powerWatts / v.mirage.powerWatts))
      #expect(v.mirage.runtimeSeconds > 0 && v.baseline.runtimeSeconds > 0)
    }
    // Three GEMMs per trained product except the first layer's input gradient.
    let g = try Self.small.load().graph
    #expect(c.gemms == g.operators.filter { $0.matmul != nil }.count)
    #expect(c.paper?.baseline == "fmac" && c.paper.map { Self.close($0.ratios.runtime, 23.8) } == true)
  }

  /// Iso-area vs INT12: Table II's areas (paper), the photonic core's area (whole-system).
  @Test func isoAreaScalesByArea() throws {
    let c = try MirageStudy.compare(Self.small, against: "int12", iso: .area)
    let paper = try #require(c.conventions.first { $0.name == "paper" })
    let whole = try #require(c.conventions.first { $0.name == "whole-system" })
    #expect(paper.baseline.arrays == Int((4096 * 0.12 / 7.7e-4 / 512).rounded()))
    #expect(whole.baseline.arrays == Int((234 / 7.7e-4 / 512).rounded()))
    // The whole system charges everything the paper's convention does, and more.
    #expect(whole.mirage.energyJoules > paper.mirage.energyJoules)
    #expect(whole.mirage.runtimeSeconds >= paper.mirage.runtimeSeconds)
  }

  /// OPT2: choosing the stationary operand per GEMM is never slower than weight-stationary
  /// everywhere, and faster on ResNet-18 (some products pick input-stationary).
  @Test func perGEMMDataflowChoiceHelps() throws {
    var arch = try PresetRegistry.architecture(named: "mirage")
    let best = try MirageStudy.compare(Self.small, architecture: arch, against: "int8", iso: .energy)
    var spec = MiragePreset.core()
    spec.dataflow = .weightStationary
    let rns = try #require(arch.tiers.firstIndex { $0 is RNSPhotonicCoreTier })
    arch.tiers[rns] = try RNSPhotonicCoreTier(spec: spec)
    let ws = try MirageStudy.compare(Self.small, architecture: arch, against: "int8", iso: .energy)
    let tBest = try #require(best.conventions.first?.mirage.runtimeSeconds)
    let tWS = try #require(ws.conventions.first?.mirage.runtimeSeconds)
    #expect(best.inputStationaryGEMMs > 0 && ws.inputStationaryGEMMs == 0)
    #expect(tBest < tWS, "OPT2 \(tBest) s vs WS \(tWS) s")
  }

  @Test func badInputIsOneClearError() throws {
    func error(_ body: () throws -> Void) -> ConfigError? {
      do { try body() } catch let e as ConfigErrors { return e.errors.first } catch let e as ConfigError { return e } catch { return nil }
      return nil
    }
    let unknown = error { _ = try MirageStudy.compare(Self.small, against: "int9", iso: .energy) }
    #expect(unknown?.path == "--against" && (unknown?.hint ?? "").contains("int8"))
    let mode = error { _ = try IsoMode.parse("power") }
    #expect(mode?.path == "--iso" && mode?.expected == "energy or area")
    let noArea = error { _ = try MirageStudy.compare(Self.small, against: "fmac", iso: .area) }
    #expect(noArea?.path == "--against")
    let noRNS = error {
      _ = try MirageStudy.compare(Self.small, architecture: try PresetRegistry.architecture(named: "systolic-baseline"), against: "int8", iso: .energy)
    }
    #expect(noRNS?.path == "--arch" && (noRNS?.message ?? "").contains("no RNS photonic tier"))
  }

  /// The data `reproduce mirage` prints: both headlines per model, geometric means between the
  /// models' extremes.
  @Test func reproductionHoldsBothHeadlinesPerModel() throws {
    let r = try MirageStudy.reproduce(models: ["resnet18", "alexnet"], batch: 2)
    #expect(r.comparisons.count == 4)
    #expect(r.means.count == 4)
    for m in r.means {
      let ratios = r.comparisons.filter { $0.baseline == m.baseline && $0.iso == m.iso }
        .compactMap { $0.conventions.first { $0.name == m.convention }?.ratios.runtime }
      #expect(ratios.count == 2)
      #expect(m.ratios.runtime >= (ratios.min() ?? 0) * (1 - 1e-12) && m.ratios.runtime <= (ratios.max() ?? 0) * (1 + 1e-12))
    }
    #expect(r.text.contains("geomean") && r.text.contains("paper"))
  }
}
