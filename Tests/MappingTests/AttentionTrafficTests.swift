import Hardware
import HybrixCore
import Testing
import Workloads

@testable import Mapping

/// One attention product of Llama-2-7B decoding with 2048 tokens of context, priced by operand
/// role and checked against traffic computed by hand (issue 8 §1.1).
///
/// QKᵀ of one layer is 32 KV heads × `[1×128]·[128×2048]` at int8: `X` (the query) is
/// 32·128 = 4 096 B, `W` (the cached keys) 32·128·2048 = 8 388 608 B, `Y` 32·2048 = 65 536 B.
/// Before the fix the keys were priced as input traffic and re-read once per column tile
/// (≈ 134 MB of buffer reads on a 128×128 array).
@Suite struct AttentionTrafficTests {
  static let x = 4_096.0, w = 8_388_608.0, y = 65_536.0

  static func setup() throws -> (CostModel, Int) {
    let g = try ModelZoo.model(named: "llama2-7b").graph(ZooOptions(sequenceLength: 2048, phase: .decode))
    let arch = try PresetRegistry.architecture(named: "h3pimap-isaac")  // its LT core: 24 × 48, 12 wavelengths
    let cost = CostModel(graph: g, architecture: arch, precision: .int8)
    let qk = try #require(g.operators.firstIndex { $0.name == "layers.0.attn.qk" })
    return (cost, qk)
  }

  static func reads(_ cost: CostModel, _ op: Int, _ tier: String) throws -> ActionCounts {
    let t = try #require(cost.architecture.tierIndex(tier))
    let work = cost.work(op, share: 0, of: .on(t), resident: true)
    #expect(work.inputBytes == x && work.weightBytes == w && work.outputBytes == y)
    guard case .success(let a) = cost.architecture.tiers[t].evaluate(work) else {
      Issue.record("\(tier) refused QKᵀ")
      return ActionCounts()
    }
    return a.actions
  }

  @Test func systolicReadsQueriesPerColumnTileAndKeysOnce() throws {
    let (cost, qk) = try Self.setup()
    let a = try Self.reads(cost, qk, "host")  // 128×128 weight-stationary: ⌈2048/128⌉ = 16 column tiles
    #expect(a[.bufferRead] == Self.x * 16 + Self.w)
    #expect(a[.bufferWrite] == Self.y)  // one row tile: ⌈128/128⌉
  }

  @Test func sramCIMWritesKeysOnceAndReadsQueriesPerColumnTile() throws {
    let (cost, qk) = try Self.setup()
    // 1-bit cells: 8 columns per weight → ⌈2048·8/128⌉ = 128 column tiles; no replication.
    let a = try Self.reads(cost, qk, "cim0")
    #expect(a[.bufferRead] == Self.x * 128 + Self.w)
    #expect(a[.cellWrite] == 32 * 128 * 2048 * 8)
  }

  @Test func photonicReadsEachOperandPerOuterTile() throws {
    let (cost, qk) = try Self.setup()
    // Output-stationary LT core, width 24 (m), height 48 (n), 12 wavelengths (k):
    // X once per n tile (⌈2048/48⌉ = 43), W once per m tile (⌈1/24⌉ = 1), Y once.
    let a = try Self.reads(cost, qk, "lt0")
    #expect(a[.bufferRead] == Self.x * 43 + Self.w)
    #expect(a[.bufferWrite] == Self.y)
  }

  @Test func rnsReadsQueriesPerColumnTile() throws {
    let g = try ModelZoo.model(named: "llama2-7b").graph(ZooOptions(sequenceLength: 2048, phase: .decode))
    let arch = try PresetRegistry.architecture(named: "mirage")
    let cost = CostModel(graph: g, architecture: arch, precision: .int8)
    let qk = try #require(g.operators.firstIndex { $0.name == "layers.0.attn.qk" })
    // Mirage picks the stationary operand per product (OPT2): QKᵀ runs input-stationary — the
    // query is set into the shifters, the keys stream through once: W + X.
    let a = try Self.reads(cost, qk, "mirage0")
    #expect(a[.bufferRead] == Self.w + Self.x)
    // Weight-stationary on 16×32 MMVMUs: the query is re-read for ⌈2048/32⌉ = 64 column tiles.
    var spec = MiragePreset.core()
    spec.dataflow = .weightStationary
    var wsArch = arch
    let t = try #require(arch.tierIndex("mirage0"))
    wsArch.tiers[t] = try RNSPhotonicCoreTier(spec: spec)
    let ws = try Self.reads(CostModel(graph: g, architecture: wsArch, precision: .int8), qk, "mirage0")
    #expect(ws[.bufferRead] == Self.x * 64 + Self.w)
  }

  @Test func crossbarsThatHoldOnlyWeightsRefuseKeys() throws {
    let (cost, qk) = try Self.setup()
    let t = try #require(cost.architecture.tierIndex("reram0"))
    guard case .failure(let why) = cost.slice(qk, tier: t) else {
      Issue.record("ReRAM accepted a run-time operand")
      return
    }
    #expect(why.statement.contains("static weights only"))
  }

  /// The cache comes from DRAM once per run; an `n` split reads half of it on each side, an `m`
  /// split all of it on each side (every part needs all of `W`).
  @Test func theCacheIsReadFromDRAMByRole() throws {
    let (cost, qk) = try Self.setup()
    let host = try #require(cost.architecture.tierIndex("host"))
    let cim = try #require(cost.architecture.tierIndex("cim0"))
    let placements = [Placement](repeating: .on(host), count: cost.graph.operators.count)
    func dram(_ p: Placement) throws -> [Double] {
      let e = try cost.estimate(qk, placement: p, resident: p.shares.map { _ in true }, placements: placements).get()
      return e.shares.map(\.dramBytes)
    }
    #expect(try dram(.on(host)) == [Self.w])
    let half = [TierShare(tier: host, fraction: 0.5), TierShare(tier: cim, fraction: 0.5)]
    #expect(try dram(Placement(shares: half, axis: .n)) == [Self.w / 2, Self.w / 2])
    let av = try #require(cost.graph.operators.firstIndex { $0.name == "layers.0.attn.av" })
    // A·V: 32 × [1×2048]·[2048×128]; split its m (1 row) and every part still needs all of V.
    let e = try cost.estimate(
      av, placement: Placement(shares: half, axis: .m), resident: [true, true], placements: placements
    ).get()
    #expect(e.shares.map(\.dramBytes) == [Self.w, 0], "the empty m part reads nothing")
  }
}
