import Foundation
import HybrixCore
import HybrixNumerics
import Testing
import Workloads

@testable import Execution

/// A residual block without ReLU kinks (GELU instead), for finite differences:
/// conv → BN → GELU → conv → add(input) → global average pool → flatten → linear.
func residualGraph() throws -> Graph {
  var g = GraphBuilder(name: "residual")
  let x = try g.input("image", [1, 2, 6, 6])
  var y = try g.conv2d("conv1", x, out: 2, kernel: 3, pad: 1)
  y = try g.elementwise("gelu", "gelu", [try g.batchNorm("bn1", y)])
  y = try g.conv2d("conv2", y, out: 2, kernel: 3, pad: 1, bias: true)
  y = try g.elementwise("add", "add", [y, x])
  y = try g.globalPool("pool", "avgpool", y)
  y = try g.reshape("flatten", y, to: [1, 2], function: "flatten")
  _ = try g.linear("fc", y, out: 3)
  return try g.finish()
}

/// Two convolution branches joined along the channels: conv a, conv b → concat → GELU →
/// flatten → linear.
func concatGraph() throws -> Graph {
  var g = GraphBuilder(name: "concat")
  let x = try g.input("image", [1, 1, 4, 4])
  let a = try g.conv2d("a", x, out: 2, kernel: 3, pad: 1, bias: true)
  let b = try g.conv2d("b", x, out: 1, kernel: 1, pad: 0, bias: true)
  var y = try g.concat("cat", [a, b], axis: 1)
  y = try g.elementwise("gelu", "gelu", [y])
  y = try g.reshape("flatten", y, to: [1, 48], function: "flatten")
  _ = try g.linear("fc", y, out: 3)
  return try g.finish()
}

/// The zoo's tiny transformer at 8×8 (8 tokens of 8 pixels): layer norm, attention products,
/// softmax, GELU, residual adds, a learned position embedding.
func smallTransformerGraph() throws -> Graph {
  try ModelZoo.model(named: "tiny-transformer-fm").graph(ZooOptions(batch: 1, imageSize: 8))
}

/// Compares ∂(Σ r ⊙ logits)/∂(input, parameters) of `network` in training mode with central
/// finite differences (Float64 sums, step `eps`) at `samples` entries of the input and of each
/// parameter tensor; returns (entries checked, entries outside `tolerance` relative error).
func graphGradientCheck(
  _ network: GraphNetwork, input x: Tensor, seed: UInt64, eps: Float = 1e-2, tolerance: Float = 2e-2,
  samples: Int = 6
) -> (checked: Int, failed: [String]) {
  var rng = SplitMix64(seed: seed)
  var probe = network
  let y = probe.forward(x, training: true)
  let r = Tensor.randomNormal(y.shape, rng: &rng)
  let dx = probe.backward(r)
  let grads = probe.gradients
  func loss(_ n: GraphNetwork, _ input: Tensor) -> Double {
    var copy = n
    return zip(copy.forward(input, training: true).scalars, r.scalars).reduce(0.0) {
      $0 + Double($1.0) * Double($1.1)
    }
  }
  var checked = 0
  var failed: [String] = []
  func check(_ analytic: Float, _ plus: Double, _ minus: Double, _ what: String) {
    let numeric = Float((plus - minus) / (2 * Double(eps)))
    checked += 1
    if abs(analytic - numeric) / max(1, abs(analytic), abs(numeric)) > tolerance {
      failed.append("\(what): analytic \(analytic), numeric \(numeric)")
    }
  }
  for _ in 0..<samples {
    let i = Int(rng.next() % UInt64(x.count))
    var xp = x, xm = x
    xp.scalars[i] += eps
    xm.scalars[i] -= eps
    check(dx.scalars[i], loss(network, xp), loss(network, xm), "input[\(i)]")
  }
  let params = network.parameters
  for (t, p) in params.enumerated() {
    for _ in 0..<min(samples, p.count) {
      let i = Int(rng.next() % UInt64(p.count))
      var lp = network, lm = network
      var pp = params, pm = params
      pp[t].scalars[i] += eps
      pm[t].scalars[i] -= eps
      lp.parameters = pp
      lm.parameters = pm
      check(grads[t].scalars[i], loss(lp, x), loss(lm, x), "parameter \(t)[\(i)]")
    }
  }
  return (checked, failed)
}

@Suite struct GraphNetworkTests {
  /// The backward pass over three graphs — a residual block (fan-out of the input summed), a
  /// concatenation of two branches, and a two-layer transformer (attention products, softmax,
  /// layer norm, GELU, position embedding) — matches finite differences: 6 entries of the
  /// input and of every parameter tensor, relative error ≤ 2e-2 at step 1e-2 (Float32 forward,
  /// Float64 sums; batch norm in training mode on a batch of 3).
  @Test(arguments: ["residual", "concat", "transformer"])
  func backwardMatchesFiniteDifferences(name: String) throws {
    let graph: Graph
    switch name {
    case "residual": graph = try residualGraph()
    case "concat": graph = try concatGraph()
    default: graph = try smallTransformerGraph()
    }
    let network = try GraphNetwork(graph: graph, seed: 3)
    let x = randomBatch(3, network.sampleShape, seed: 9)
    let (checked, failed) = graphGradientCheck(network, input: x, seed: 11)
    let expected = 6 + network.parameters.reduce(0) { $0 + min(6, $1.count) }
    #expect(checked == expected && checked >= 20)
    #expect(failed.isEmpty, "\(name): \(failed.count) of \(checked) off: \(failed.prefix(5))")
  }

  /// On a chain, the graph network builds the same layers from the same random stream as the
  /// chain ``Network`` and trains to bit-identical weights and losses (same layer code, same
  /// order of every floating-point operation).
  @Test func equalsTheChainTrainerBitForBit() throws {
    let data = syntheticDataset(count: 64, seed: 1)
    var chain = try Network(graph: try tinyChainGraph(), seed: 7)
    var graph = try GraphNetwork(graph: try tinyChainGraph(), seed: 7)
    #expect(graph.nodes.map(\.name) == chain.stages.map(\.name))
    #expect(graph.parameters == chain.parameters)
    let trainer = try Trainer(TrainerTests.configuration(epochs: 2, seed: 7))
    let a = try trainer.train(&chain, on: data, test: data, datasetName: "synthetic")
    let b = try trainer.train(&graph, on: data, test: data, datasetName: "synthetic")
    #expect(graph.parameters == chain.parameters)
    #expect(a.epochs.map(\.trainLoss) == b.epochs.map(\.trainLoss))
    #expect(a.epochs.map(\.testAccuracy) == b.epochs.map(\.testAccuracy))
  }

  /// The same seed trains the transformer to bit-identical weights; another seed does not.
  @Test func sameSeedGivesBitIdenticalWeights() throws {
    let data = syntheticDataset(count: 32, seed: 2)
    func run(_ seed: UInt64) throws -> GraphNetwork {
      var n = try GraphNetwork(graph: try smallTransformerGraph(), seed: seed)
      _ = try Trainer(TrainerTests.configuration(epochs: 1, optimizer: .adam, seed: seed)).train(
        &n, on: data, test: nil, datasetName: "synthetic")
      return n
    }
    let a = try run(5)
    let b = try run(5)
    let c = try run(6)
    #expect(a.parameters == b.parameters)
    #expect(a.parameters != c.parameters)
  }

  /// Every product of the transformer — conv/linear and the activation products of attention —
  /// runs through the arithmetic in all three roles during a training step.
  @Test func everyProductGoesThroughTheArithmetic() throws {
    var n = try GraphNetwork(graph: try smallTransformerGraph(), seed: 1)
    #expect(n.trainingProductNames.count == 2 * 8 + 2)
    #expect(n.trainingProductNames.filter { $0.hasSuffix(".qk") || $0.hasSuffix(".av") }.count == 4)
    for name in n.trainingProductNames { try n.setArithmetic(CountingArithmetic(), for: name) }
    var sgd = SGD(learningRate: 0.01)
    n.trainStep(randomBatch(2, n.sampleShape, seed: 3), labels: [0, 1], optimizer: &sgd)
    var complete = 0
    for name in n.trainingProductNames {
      let calls = (n.arithmetic(for: name) as? CountingArithmetic)?.calls ?? [:]
      if ProductRole.allCases.allSatisfy({ (calls[$0] ?? 0) > 0 }) { complete += 1 }
    }
    #expect(complete == n.trainingProductNames.count)
  }

  /// A checkpoint written by the graph network runs in the ONNX executor with the same logits
  /// (within 1e-4 of the largest logit: the executor's own conv, layer-norm and GELU kernels
  /// round differently), and loads back into a graph network bit for bit.
  @Test(arguments: ["resnet20-fm", "vgg-fm", "tiny-transformer-fm"])
  func onnxRoundTripGivesTheSameLogits(model: String) throws {
    let graph = try ModelZoo.model(named: model).graph(ZooOptions(batch: 1, imageSize: 8))
    var network = try GraphNetwork(graph: graph, seed: 4)
    let data = syntheticDataset(count: 16, seed: 5)
    _ = try Trainer(TrainerTests.configuration(epochs: 1, optimizer: .adam, seed: 4)).train(
      &network, on: data, test: nil, datasetName: "synthetic")
    let path = temporaryPath("\(model).onnx")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try network.writeONNX(to: path)
    let x = randomBatch(5, network.sampleShape, seed: 6)
    let expected = network.infer(x)
    var executor = try ONNXExecutor.load(path: path)
    let logits = try executor.infer(x)
    #expect(logits.shape == expected.shape)
    let scale = max(1, expected.absMax)
    let worst = zip(logits.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? .infinity
    #expect(worst <= 1e-4 * scale, "\(model): worst difference \(worst)")
    #expect(Set(executor.productOperatorNames) == Set(network.productOperatorNames))
    var reloaded = try GraphNetwork.load(onnx: path)
    #expect(reloaded.infer(x) == expected)
  }

  /// Graphs the trainer cannot run are refused with the operator named.
  @Test func unsupportedOperatorsAreNamed() throws {
    var g = GraphBuilder(name: "odd")
    let x = try g.input("image", [1, 1, 4, 4])
    let y = try g.elementwise("swish", "silu", [x])
    let z = try g.reshape("flatten", y, to: [1, 16], function: "flatten")
    _ = try g.linear("fc", z, out: 2)
    #expect {
      _ = try GraphNetwork(graph: try g.finish())
    } throws: { error in
      let e = error as? ConfigError
      return e?.path == "operator swish" && (e?.message.contains("cannot be trained") ?? false)
    }
  }
}
