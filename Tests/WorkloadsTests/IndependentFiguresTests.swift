import HybrixCore
import Testing

@testable import Workloads

/// MACs and parameters checked against figures that do not come from the zoo's own code:
/// closed-form transformer formulas derived by hand in this file, and published counts typed in
/// with their source (not read from `ZooModel.published`). Issue 8 §3.
@Suite struct IndependentFiguresTests {
  /// Sums of the graph's product MACs: weight products (`matmul`), QKᵀ and A·V.
  static func macs(_ name: String, _ options: ZooOptions) throws -> (weights: Int, qk: Int, av: Int) {
    let g = try ModelZoo.model(named: name).graph(options)
    func sum(_ kind: OperatorKind) -> Int {
      g.operators.filter { $0.kind == kind }.reduce(0) { $0 + $1.macs }
    }
    return (sum(.matmul), sum(.attentionScores), sum(.attentionValues))
  }

  /// Per token and layer, the weight products of a transformer block: Q and O are d×d, K and V
  /// d×d_kv (d_kv = d·kvHeads/heads, = d without grouped-query attention); the MLP is 2·d·ff, or
  /// 3·d·ff for SwiGLU (gate, up, down).
  static func blockMACsPerToken(d: Int, dkv: Int, ff: Int, gated: Bool) -> Int {
    2 * d * d + 2 * d * dkv + (gated ? 3 : 2) * d * ff
  }

  /// Encoders over s tokens: L·s·block + the pooler's d² on the [CLS] token; QKᵀ and A·V each
  /// L·s²·d (every head: s×s scores of width d/heads). BERT-base: L 12, d 768, ff 3072
  /// (Devlin et al. 2019); BERT-large: L 24, d 1024, ff 4096.
  @Test(arguments: [("bert-base", 12, 768, 3072), ("bert-large", 24, 1024, 4096)], [64, 128, 384])
  func encoderMACsFollowTheClosedForm(_ model: (String, Int, Int, Int), _ s: Int) throws {
    let (name, layers, d, ff) = model
    let m = try Self.macs(name, ZooOptions(sequenceLength: s))
    let block = Self.blockMACsPerToken(d: d, dkv: d, ff: ff, gated: false)
    #expect(m.weights == layers * s * block + d * d, "\(name) s=\(s)")
    #expect(m.qk == layers * s * s * d && m.av == m.qk, "\(name) s=\(s)")
  }

  /// Decoders. Inference: logits for every token (LM head s·d·V); prefill: logits for the last
  /// token only (d·V); decode with s tokens of context: one token, attention over s positions
  /// (QKᵀ = A·V = L·s·d). Attention is counted in full (s², not the causal half).
  /// GPT-2: L 12, d 768, ff 3072, V 50257 (Radford et al. 2019); Llama-2-7B: L 32, d 4096,
  /// SwiGLU ff 11008, V 32000 (Touvron et al. 2023); Llama-3-8B: d_kv 1024 (8 of 32 heads),
  /// ff 14336, V 128256 (Meta 2024).
  @Test(arguments: [
    ("gpt2", 12, 768, 768, 3072, 50257, false), ("llama2-7b", 32, 4096, 4096, 11008, 32000, true),
    ("llama3-8b", 32, 4096, 1024, 14336, 128_256, true),
  ], [Phase.inference, .prefill, .decode])
  func decoderMACsFollowTheClosedForm(
    _ model: (String, Int, Int, Int, Int, Int, Bool), _ phase: Phase
  ) throws {
    let (name, layers, d, dkv, ff, vocab, gated) = model
    let s = 128
    let m = try Self.macs(name, ZooOptions(sequenceLength: s, phase: phase))
    let block = Self.blockMACsPerToken(d: d, dkv: dkv, ff: ff, gated: gated)
    let tokens = phase == .decode ? 1 : s
    let logits = phase == .inference ? s : 1
    #expect(m.weights == layers * tokens * block + logits * d * vocab, "\(name) \(phase)")
    #expect(m.qk == layers * tokens * s * d && m.av == m.qk, "\(name) \(phase)")
  }

  /// The formula itself, against the hand count for a Llama-2-7B block:
  /// 4·4096² + 3·4096·11008 = 67 108 864 + 135 266 304 = 202 375 168 MACs per token and layer.
  @Test func llamaBlockIsTheHandCount() {
    #expect(Self.blockMACsPerToken(d: 4096, dkv: 4096, ff: 11008, gated: true) == 202_375_168)
  }

  /// Published totals at batch 1 (224×224 for vision), each with its source and tolerance.
  /// macs `nil`: the source gives no MAC count the zoo's definition can be compared with.
  @Test(arguments: [
    // He et al., CVPR 2016 / torchvision resnet50: 25,557,032 params, 4.09 GMACs ("GFLOPS").
    ("resnet50", 25.557032e6, 0.001, 4.09e9, 0.01),
    // Simonyan & Zisserman 2015 / torchvision vgg16: 138,357,544 params, 15.47 GMACs.
    ("vgg16", 138.357544e6, 0.001, 15.47e9, 0.01),
    // Sandler et al., CVPR 2018, Table 4: 300 M multiply-adds; torchvision: 3,504,872 params.
    ("mobilenetv2", 3.504872e6, 0.001, 300e6, 0.01),
    // torchvision alexnet: 61,100,840 params, 0.71 GMACs.
    ("alexnet", 61.10084e6, 0.001, 0.71e9, 0.01),
    // torchvision vit_b_16: 86,567,656 params, 17.56 GMACs.
    ("vit-b16", 86.567656e6, 0.001, 17.56e9, 0.01),
    // Devlin et al., NAACL 2019: "BERT-base … 110M parameters" (rounded; HF count 109,482,240).
    ("bert-base", 110e6, 0.01, nil, 0),
    // Radford et al. 2019 / HF gpt2: 124,439,808 parameters.
    ("gpt2", 124.439808e6, 0.0001, nil, 0),
    // Touvron et al. 2023 / HF Llama-2-7b: 6,738,415,616 parameters.
    ("llama2-7b", 6.738415616e9, 0.0001, nil, 0),
  ] as [(String, Double, Double, Double?, Double)])
  func matchesPublishedTotals(
    _ name: String, _ parameters: Double, _ pTolerance: Double, _ macs: Double?, _ mTolerance: Double
  ) throws {
    let g = try ModelZoo.model(named: name).graph()
    let p = Double(g.parameterCount)
    #expect(abs(p / parameters - 1) <= pTolerance, "\(name): \(g.parameterCount) parameters vs \(parameters)")
    if let macs {
      #expect(abs(Double(g.macs) / macs - 1) <= mTolerance, "\(name): \(g.macs) MACs vs \(macs)")
    }
  }
}
