import HybrixCore
import Testing

@testable import Workloads

/// Pythia's GPT-NeoX layout by hand: per layer QKV and output projections with biases (4d² + 4d),
/// a 4d MLP with biases (8d² + 5d), two LayerNorms (4d); a final LayerNorm (2d); separate input
/// embedding and output head (2·V·d). The EleutherAI README's totals are the published check.
@Suite struct PythiaTests {
  static func handCount(layers: Int, d: Int, vocab: Int) -> Int {
    layers * (12 * d * d + 13 * d) + 2 * d + 2 * vocab * d
  }

  @Test(arguments: [("pythia-70m", 6, 512, 70_426_624), ("pythia-2.8b", 32, 2560, 2_775_208_960)])
  func parametersAreTheHandCountAndThePublishedOne(name: String, layers: Int, d: Int, published: Int) throws {
    let g = try ModelZoo.model(named: name).graph(ZooOptions(sequenceLength: 16))
    #expect(Self.handCount(layers: layers, d: d, vocab: 50_304) == published)
    #expect(g.parameterCount == published)
    // Parallel residual: one add per layer joins the input, attention and MLP.
    let joins = g.operators.filter { $0.name.hasSuffix(".residual") }
    #expect(joins.count == layers)
    #expect(joins.allSatisfy { $0.inputs.count == 3 })
  }
}
