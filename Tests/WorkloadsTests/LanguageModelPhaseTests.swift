import HybrixCore
import Testing

@testable import Workloads

@Suite struct LanguageModelPhaseTests {
  /// Llama-2-7B decoding one token with 2048 tokens of context at batch 1 and 8-bit weights:
  /// about 2 operations (1 MAC) per byte, as CMSwitch reports (≈ 2).
  @Test func llamaDecodeIntensityIsAboutTwo() throws {
    let g = try ModelZoo.model(named: "llama2-7b").graph(ZooOptions(sequenceLength: 2048, phase: .decode))
    let t = g.totals(at: .int8)
    let intensity = try #require(t.arithmeticIntensity)
    #expect(intensity > 1.9 && intensity < 2.1)
    // KV cache read per token: keys and values, 32 layers, 2048 positions, 4096 wide, 1 byte.
    #expect(t.bytes.kvCache == 2 * 32 * 2048 * 4096)
    #expect(g.workload.contextLength == 2048)
  }

  /// Grouped-query attention reads a quarter of the cache: 8 KV heads of 32.
  @Test func llama3ReadsFewerKeys() throws {
    let g = try ModelZoo.model(named: "llama3-8b").graph(ZooOptions(sequenceLength: 2048, phase: .decode))
    #expect(g.totals(at: .int8).bytes.kvCache == 2 * 32 * 2048 * 1024)
  }

  @Test func prefillIntensityRisesWithSequenceLength() throws {
    let model = try ModelZoo.model(named: "llama2-7b")
    var previous = 0.0
    for seq in [16, 128, 1024] {
      let t = try model.graph(ZooOptions(sequenceLength: seq, phase: .prefill)).totals(at: .int8)
      let intensity = try #require(t.arithmeticIntensity)
      #expect(intensity > previous, "intensity at \(seq) tokens")
      previous = intensity
    }
  }

  /// Decode MACs: every weight once per token plus attention over the context.
  @Test func decodeMACsMatchFormula() throws {
    let g = try ModelZoo.model(named: "llama2-7b").graph(ZooOptions(batch: 2, sequenceLength: 100, phase: .decode))
    let perLayer = 4 * 4096 * 4096 + 3 * 4096 * 11008 + 2 * 100 * 4096
    #expect(g.macs == 2 * (32 * perLayer + 4096 * 32000))
  }

  @Test func attentionOperandsAreDynamic() throws {
    let g = try ModelZoo.model(named: "bert-base").graph()
    let attention = g.operators.filter { $0.kind == .attentionScores || $0.kind == .attentionValues }
    #expect(attention.count == 24)
    #expect(attention.allSatisfy { $0.secondOperand == .dynamic && $0.parameterCount == 0 })
    let qk = try #require(attention.first)
    #expect(qk.matmul == MatMulShape(batch: 12, m: 128, k: 64, n: 128))
  }

  @Test func phasesThatDoNotApplyAreErrors() throws {
    #expect(throws: ConfigError.self) {
      _ = try ModelZoo.model(named: "resnet50").graph(ZooOptions(phase: .decode))
    }
    #expect(throws: ConfigError.self) {
      _ = try ModelZoo.model(named: "bert-base").graph(ZooOptions(phase: .prefill))
    }
    #expect(throws: ConfigError.self) {
      _ = try ModelZoo.model(named: "gpt2").graph(ZooOptions(sequenceLength: 4096))
    }
  }
}
