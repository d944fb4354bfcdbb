import Foundation
import HybrixCore
import Testing

@testable import Workloads

/// Deployment lowering on the zoo: what is folded and fused, the totals it keeps, and the map from
/// the graph as built to the lowered one.
@Suite struct DeploymentLoweringTests {
  /// A zoo model with the number of batch norms and activations the pass must remove, counted
  /// by hand from the model's definition.
  struct Case: CustomTestStringConvertible, Sendable {
    var model: String
    var options = ZooOptions()
    var folded: Int
    var fused: Int
    var testDescription: String { model }
  }

  static let cases: [Case] = [
    // stem BN + 2 per basic block × 8 + 3 downsample BNs; stem ReLU + 1 inner ReLU per block.
    Case(model: "resnet18", folded: 1 + 16 + 3, fused: 1 + 8),
    // stem + 3 per bottleneck × 16 + 4 downsample; stem ReLU + 2 inner ReLUs per block.
    Case(model: "resnet50", folded: 1 + 48 + 4, fused: 1 + 32),
    // stem, block 1 (depthwise, project), 16 blocks × (expand, depthwise, project), last conv.
    Case(model: "mobilenetv2", folded: 1 + 2 + 48 + 1, fused: 1 + 1 + 32 + 1),
    // No batch norm; 13 conv ReLUs and 2 classifier ReLUs.
    Case(model: "vgg16", folded: 0, fused: 15),
    // One GELU per layer into fc1, and the pooler's tanh.
    Case(model: "bert-base", options: ZooOptions(sequenceLength: 32), folded: 0, fused: 12 + 1),
    // SwiGLU: silu(gate) fuses into gate_proj; the binary gate_mul stays.
    Case(
      model: "llama2-7b", options: ZooOptions(sequenceLength: 16, phase: .prefill), folded: 0,
      fused: 32),
  ]

  static func graph(_ c: Case) throws -> Graph {
    try ModelZoo.model(named: c.model).graph(c.options)
  }

  @Test(arguments: cases) func totals(_ c: Case) throws {
    let g = try Self.graph(c)
    let lowering = try g.loweredForDeployment()
    let l = lowering.graph
    #expect(lowering.foldedNormalizations == c.folded)
    #expect(lowering.fusedActivations == c.fused)
    #expect(l.operators.count == g.operators.count - c.folded - c.fused)
    #expect(l.macs == g.macs)
    // Expected from the graph as built: each batch norm vanishes with its scale and shift, and
    // its producer gains a bias (one add per output element, C_out parameters) if it had none.
    let producers = g.producers()
    var vectorOps = g.vectorOps
    var parameters = g.parameterCount
    for op in g.operators where op.attributes.function == "batchnorm" {
      let conv = try #require(producers[op.inputs[0].index].map { g.operators[$0] })
      let out = g[op.outputs[0]].shape
      vectorOps -= op.vectorOps
      parameters -= op.inputs.dropFirst().filter { g[$0].role == .weight }
        .reduce(0) { $0 + g[$1].shape.elementCount }
      if conv.inputs.count == 2 {
        vectorOps += out.elementCount
        parameters += out.dims[1]
      }
    }
    #expect(l.vectorOps == vectorOps)
    #expect(l.parameterCount == parameters)
    #expect(!l.operators.contains { $0.attributes.function == "batchnorm" })
    Self.expectValidDAG(l)
    Self.expectHostsPartition(g, lowering)
  }

  /// Every operator input is a graph input, a weight or constant, or the output of an earlier
  /// operator; no tensor is written twice; every graph output is written.
  static func expectValidDAG(_ g: Graph) {
    var written = Set(g.inputs.map(\.index))
    for op in g.operators {
      for t in op.inputs {
        let role = g[t].role
        #expect(
          written.contains(t.index) || role == .weight || role == .constant || role == .kvCache,
          "\(op.name) reads \(g[t].name) before it is written")
      }
      for t in op.outputs {
        #expect(written.insert(t.index).inserted, "\(g[t].name) written twice")
      }
    }
    for t in g.outputs { #expect(written.contains(t.index)) }
  }

  /// The lowered operators and their `fused` lists name every original operator exactly once,
  /// and `hostIndex` and `hostNames` agree with them.
  static func expectHostsPartition(_ g: Graph, _ lowering: DeploymentLowering) {
    let l = lowering.graph
    let listed = l.operators.flatMap { [$0.name] + $0.fused.map(\.name) }
    #expect(listed.sorted() == g.operators.map(\.name).sorted())
    #expect(lowering.hostIndex.count == g.operators.count)
    let names = lowering.hostNames
    #expect(names.count == Set(g.operators.map(\.name)).count)
    for (i, op) in g.operators.enumerated() {
      let host = l.operators[lowering.hostIndex[i]]
      #expect(host.name == op.name || host.fused.map(\.name).contains(op.name))
      #expect(names[op.name] == host.name)
    }
  }

  @Test func resnetBlockRecordsWhatItAbsorbed() throws {
    let g = try ModelZoo.model(named: "resnet50").graph()
    let l = try g.loweredForDeployment().graph
    let byName = Dictionary(uniqueKeysWithValues: l.operators.map { ($0.name, $0) })
    let conv1 = try #require(byName["layer1.0.conv1"])
    #expect(conv1.fused.map(\.name) == ["layer1.0.conv1.bn", "layer1.0.conv1.relu"])
    #expect(conv1.fusedLabel == "conv2d+bn+relu")
    #expect(
      byName["layer1.0.conv2"]?.fused.map(\.name) == ["layer1.0.conv2.bn", "layer1.0.conv2.relu"])
    #expect(byName["layer1.0.conv3"]?.fused.map(\.name) == ["layer1.0.bn3"])
    #expect(byName["layer1.0.downsample.0"]?.fused.map(\.name) == ["layer1.0.downsample.1"])
    // The residual Add and the ReLU after it stay separate operators.
    #expect(byName["layer1.0.add"]?.fused == [])
    #expect(byName["layer1.0.relu"]?.fused == [])
    // conv1 (1×1, 64 → 64 at 56×56) gained a bias: 64 parameters, one add per output element,
    // plus one ReLU op per element.
    let original = try #require(g.operators.first { $0.name == "layer1.0.conv1" })
    #expect(conv1.parameterCount == original.parameterCount + 64)
    #expect(conv1.vectorOps == 64 * 56 * 56 * 2)
    #expect(conv1.inputs.count == 3 && l[conv1.inputs[2]].role == .weight)
    #expect(l[conv1.outputs[0]].name == "layer1.0.conv1.relu")
  }

  @Test func llamaKeepsTheGateMultiply() throws {
    let g = try ModelZoo.model(named: "llama2-7b").graph(
      ZooOptions(sequenceLength: 8, phase: .prefill))
    let l = try g.loweredForDeployment().graph
    let gate = try #require(l.operators.first { $0.name == "layers.0.mlp.gate_proj" })
    #expect(gate.fused == [FusedOperator(name: "layers.0.mlp.act", function: "silu")])
    #expect(l.operators.contains { $0.name == "layers.0.mlp.gate_mul" })
    // The rotary embedding after q_proj is not an activation.
    #expect(l.operators.contains { $0.name == "layers.0.attn.q_rope" })
  }

  @Test func trainingGraphIsUntouched() throws {
    let g = try ModelZoo.model(named: "resnet18").graph(ZooOptions(imageSize: 32, phase: .train))
    let lowering = try g.loweredForDeployment()
    #expect(!lowering.changed)
    #expect(lowering.graph.operators == g.operators)
    #expect(lowering.hostIndex == Array(g.operators.indices))
  }
}
