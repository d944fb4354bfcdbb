import Hardware
import HybrixCore
import Testing
import Workloads

@testable import Mapping

/// Static power over the whole run, power gating, weight traffic from the global buffer and
/// buffer capacity on a weight-streaming tier (issue 8 §1.2, §1.3, §1.10).
@Suite struct StaticPowerAndMemoryTests {
  /// On h3pimap, a ResNet-20 on the host with its first convolution on the photonic core: the
  /// photonic tier's lasers burn while it waits (idle = static power × (latency − busy)), and
  /// the unused crossbar tiers are off.
  @Test func poweredTiersPayWhileTheyWait() throws {
    let g = try ModelZoo.model(named: "resnet20").graph()
    let arch = try PresetRegistry.architecture(named: "h3pimap")
    let cost = CostModel(graph: g, architecture: arch, precision: .int8)
    let host = try #require(arch.tierIndex("host"))
    let lt = try #require(arch.tierIndex("lt0"))
    var mapping = MappingPlan.uniform(host, operators: g.operators.count)
    let conv = try #require(g.operators.firstIndex { $0.kind == .conv })
    mapping.placements[conv] = .on(lt)
    let r = ScheduleSimulator(cost: cost).run(mapping)
    try #require(r.isFeasible)
    let latency = r.latency.seconds
    for (id, index) in [("host", host), ("lt0", lt)] {
      let busy = try #require(r.busy[id]).seconds
      let want = cost.idleWatts(index) * (latency - busy)
      let idle = try #require(r.energyByTier[id])[.idle].joules
      #expect(abs(idle - want) <= 1e-9 * want, "\(id): idle \(idle) J, expected \(want) J")
      #expect(want > 0)
    }
    let laser = (arch.tiers[lt] as? PhotonicCoreTier)?.laserPower.watts ?? 0
    #expect(cost.idleWatts(lt) >= laser && laser > 1, "the lasers (\(laser) W) are drawn regardless")
    for id in ["reram0", "cim0"] {
      #expect(try #require(r.energyByTier[id]).total.joules == 0, "\(id) is unused and off")
    }
  }

  /// A power-gated PCM tier draws nothing while it waits, and a share pays for the tiles it uses
  /// plus one wake-up of them.
  @Test func gatedTiersPayOnlyForTheirWork() throws {
    let g = try ModelZoo.model(named: "lenet5").graph()
    let arch = try PresetRegistry.architecture(named: "lionheart")
    let cost = CostModel(graph: g, architecture: arch, precision: .int8)
    let pcm = try #require(arch.tierIndex("pcm0"))
    let cpu = try #require(arch.tierIndex("cpu"))
    #expect(arch.tiers[pcm].common.isPowerGated && !arch.tiers[cpu].common.isPowerGated)
    var mapping = MappingPlan.uniform(cpu, operators: g.operators.count)
    let conv = try #require(g.operators.firstIndex { $0.kind == .conv })
    mapping.placements[conv] = .on(pcm)
    let r = ScheduleSimulator(cost: cost).run(mapping)
    try #require(r.isFeasible)
    #expect(try #require(r.energyByTier["pcm0"])[.idle].joules == 0)
    let e = try cost.estimate(conv, placement: .on(pcm), resident: [true], placements: mapping.placements).get()
    let s = try #require(e.shares.first)
    let work = cost.work(conv, share: 0, of: .on(pcm), resident: true)
    guard case .success(let activity) = arch.tiers[pcm].evaluate(work) else {
      Issue.record("pcm0 refused a LeNet convolution")
      return
    }
    let units = try #require(activity.activeUnits)
    let perUnit = arch.tiers[pcm].common.staticPowerPerUnit.value.watts
    let wake = try #require(arch.tiers[pcm].common.powerGating?.wakeUpLatency).seconds
    let want = perUnit * units * (s.seconds + wake)
    #expect(abs(s.energy[.staticPower].joules - want) <= 1e-12 * want + 1e-30)
    #expect(units < Double(arch.tiers[pcm].common.count), "a small convolution uses few of the 64 tiles")
  }

  /// Weights that are not programmed into a tier are read from the global buffer when the model
  /// fits there: it costs its read energy and bandwidth, never nothing.
  @Test func globalBufferWeightTrafficIsPriced() throws {
    let g = try ModelZoo.model(named: "mlp").graph()
    let arch = try PresetRegistry.architecture(named: "systolic-baseline")
    let cost = CostModel(graph: g, architecture: arch, precision: .int8)
    #expect(cost.weightsInGlobalBuffer)
    let fc = try #require(g.operators.firstIndex { $0.kind == .matmul })
    let placements = MappingPlan.uniform(0, operators: g.operators.count).placements
    let s = try #require(try cost.estimate(fc, placement: .on(0), resident: [true], placements: placements).get().shares.first)
    let w = cost.works[fc].wBytes
    #expect(w > 0 && s.bufferBytes == w)
    let perByte = arch.memory.globalBufferEnergy.value.baseValue
    #expect(s.energy[.movement].joules >= w * perByte * (1 - 1e-12))
  }

  /// A layer whose inputs exceed a small systolic buffer re-reads them from memory for every
  /// column tile after the first; one whose weights exceed it streams them from DRAM while it
  /// computes, and with a slow DRAM that sets its time.
  @Test func aSmallBufferRefillsAndSlowDRAMStalls() throws {
    var spec = SystolicArrayTier.example
    spec.rows = 32
    spec.cols = 32
    spec.buffer = .bytes(64 * 1024)
    let tier = try SystolicArrayTier(spec: spec)
    // X 256×2048 int8 = 512 KiB ≫ the (64 KiB − 2 KiB tile) / 2 left for it; 8 column tiles.
    let x = 256.0 * 2048, w = 2048.0 * 256, y = 256.0 * 256
    let work = TileWork(
      kind: .matrix, m: 256, k: 2048, n: 256, staticWeights: true, inputBytes: x, weightBytes: w,
      outputBytes: y)
    guard case .success(let a) = tier.evaluate(work) else {
      Issue.record("refused")
      return
    }
    let rowTiles = 2048.0 / 32, colTiles = 256.0 / 32
    let psums = 2 * 256 * 256 * 4 * (rowTiles - 1)  // 256 rows × 32 columns × 4 B do not fit either
    #expect(a.refillBytes == x * (colTiles - 1) + psums)
    var roomy = spec
    roomy.buffer = .bytes(64 * 1_048_576)
    guard case .success(let b) = (try SystolicArrayTier(spec: roomy)).evaluate(work) else {
      Issue.record("refused")
      return
    }
    #expect(b.refillBytes == 0)

    // Weights larger than the buffer stream from a 1 GB/s DRAM: the share takes W / bandwidth.
    var memory = MemoryPresets.hbm
    memory.dramBandwidth = Sourced(.bytesPerSecond(1e9), source: "test")
    memory.globalBuffer = .bytes(1024)
    var gb = GraphBuilder(name: "one-layer")
    let input = try gb.input("x", [16, 4096])
    _ = try gb.linear("fc", input, out: 4096)
    let g = try gb.finish()
    let arch = Architecture(name: "slow", tiers: [try SystolicArrayTier(spec: SystolicArrayTier.example)], memory: memory)
    let cost = CostModel(graph: g, architecture: arch, precision: .int8)
    let fc = try #require(g.operators.firstIndex { $0.name == "fc" })
    let s = try #require(try cost.estimate(fc, placement: .on(0), resident: [true], placements: [.on(0)]).get().shares.first)
    let streamed = cost.works[fc].wBytes + cost.works[fc].xBytes + cost.works[fc].yBytes
    #expect(s.dramBytes >= cost.works[fc].wBytes && s.dramBytes <= streamed)
    #expect(s.seconds == s.dramSeconds && s.dramSeconds > s.slice.seconds, "DRAM-bound: \(s.dramSeconds) s vs \(s.slice.seconds) s")
  }
}
