import Foundation
import HybrixCore
import HybrixNumerics
import Testing
import Workloads

@testable import Execution

/// A small chain graph on `[N, 1, 8, 8]` images for fast tests: conv 3×3 → 4 channels → batch
/// norm → ReLU → 2×2 max pool → flatten → linear 64 → `hidden` → ReLU → linear → `classes`.
/// `hidden == 64` makes a square linear weight, whose layout only the ONNX `transB` decides.
func tinyChainGraph(hidden: Int = 16, classes: Int = 4, convBias: Bool = false) throws -> Graph {
  var g = GraphBuilder(name: "tiny")
  var x = try g.input("image", [1, 1, 8, 8])
  x = try g.conv2d("conv", x, out: 4, kernel: 3, pad: 1, bias: convBias)
  x = try g.batchNorm("conv.bn", x)
  x = try g.elementwise("conv.relu", "relu", [x])
  x = try g.pool("conv.pool", "maxpool", x, kernel: [2, 2], strides: [2, 2])
  x = try g.reshape("flatten", x, to: [1, 64], function: "flatten")
  x = try g.linear("fc1", x, out: hidden)
  x = try g.elementwise("fc1.relu", "relu", [x])
  _ = try g.linear("fc2", x, out: classes)
  return try g.finish()
}

@Suite struct NetworkTests {
  /// Parameter counts are the zoo's published ones (batch-norm statistics are not parameters,
  /// and small-cnn's convolutions have no bias), and every operator keeps its name.
  @Test(arguments: [("mlp", 235_146), ("lenet5", 61_706), ("small-cnn", 421_738)])
  func zooModelsBuildWithTheirOperatorNames(name: String, parameters: Int) throws {
    let network = try Network.zoo(name)
    #expect(network.parameterCount == parameters)
    #expect(network.sampleShape == [1, 28, 28] && network.classes == 10)
    let graph = try ModelZoo.model(named: name).graph()
    #expect(network.stages.map(\.name) == graph.operators.map(\.name))
    let products = graph.operators.filter { $0.kind == .conv || $0.kind == .matmul }.map(\.name)
    #expect(network.productOperatorNames == products)
  }

  @Test func smallCNNStagesAreTheDocumentedChain() throws {
    let network = try Network.zoo("small-cnn")
    #expect(
      network.stages.map(\.kind) == [
        .conv, .batchnorm, .relu, .maxpool, .conv, .batchnorm, .relu, .maxpool, .flatten, .linear,
        .relu, .linear,
      ])
    #expect(
      network.stages[3].outputShape == [32, 14, 14] && network.stages[8].outputShape == [3136])
    #expect(network.body.layers[0] is UnbiasedConv2d)
    var copy = network
    #expect(copy.infer(randomBatch(3, [1, 28, 28], seed: 1)).shape == [3, 10])
  }

  @Test func sameSeedSameWeightsOtherSeedOtherWeights() throws {
    let a = try Network.zoo("lenet5", seed: 11).parameters
    let b = try Network.zoo("lenet5", seed: 11).parameters
    let c = try Network.zoo("lenet5", seed: 12).parameters
    #expect(a == b)
    #expect(a[0] != c[0])
  }

  /// Backpropagation through the whole chain (conv, batch norm in training mode, ReLU, max pool,
  /// flatten, linear) agrees with central differences of the loss.
  @Test func gradientsMatchFiniteDifferences() throws {
    var network = try Network(graph: try tinyChainGraph(convBias: true), seed: 3)
    let x = randomBatch(6, [1, 8, 8], seed: 4)
    let labels = [0, 1, 2, 3, 1, 2]
    func loss(_ n: inout Network) -> Double {
      let logits = n.forward(x, training: true)
      return Double(SoftmaxCrossEntropy.lossAndGradient(logits: logits, labels: labels).loss)
    }
    let logits = network.forward(x, training: true)
    network.backward(SoftmaxCrossEntropy.lossAndGradient(logits: logits, labels: labels).gradient)
    let gradients = network.gradients
    var rng = SplitMix64(seed: 5)
    var checked = 0
    for t in network.parameters.indices {
      for _ in 0..<4 {
        let i = Int(rng.next() % UInt64(network.parameters[t].count))
        // Small steps: larger ones cross the kinks of ReLU and max pool.
        let h: Float = 1e-3
        var plus = network
        var minus = network
        plus.parameters[t].scalars[i] += h
        minus.parameters[t].scalars[i] -= h
        let numeric = (loss(&plus) - loss(&minus)) / Double(2 * h)
        let analytic = Double(gradients[t].scalars[i])
        #expect(
          abs(numeric - analytic) <= 1e-3 + 0.02 * abs(analytic),
          "parameter tensor \(t) index \(i): numeric \(numeric), analytic \(analytic)")
        checked += 1
      }
    }
    #expect(checked == 4 * 8)  // conv w, b; bn γ, β; fc1 w, b; fc2 w, b
  }

  /// Products of the operator an arithmetic is set on go through it: forward in inference, all
  /// three roles in a training step; the other operators stay on the exact path.
  @Test func arithmeticTakesOverTheProductsOfOneOperator() throws {
    var network = try Network(graph: try tinyChainGraph(), seed: 1)
    try network.setArithmetic(CountingArithmetic(), for: "fc1")
    _ = network.infer(randomBatch(2, [1, 8, 8], seed: 2))
    var counts = (network.arithmetic(for: "fc1") as? CountingArithmetic)?.calls
    #expect(counts == [.forward: 1])
    #expect(network.arithmetic(for: "conv") == nil && network.arithmetic(for: "fc2") == nil)
    var sgd = SGD(learningRate: 0.01)
    network.trainStep(randomBatch(2, [1, 8, 8], seed: 3), labels: [0, 1], optimizer: &sgd)
    counts = (network.arithmetic(for: "fc1") as? CountingArithmetic)?.calls
    #expect(counts == [.forward: 2, .inputGradient: 1, .weightGradient: 1])
  }

  @Test func realizeWeightsReplacesTheWeightsOfArithmeticOperatorsOnly() throws {
    var network = try Network(graph: try tinyChainGraph(), seed: 1)
    let before = network.parameters
    var doubling = CountingArithmetic()
    doubling.realizeScale = 2
    try network.setArithmetic(doubling, for: "conv")
    network.realizeWeights()
    let after = network.parameters
    #expect(after[0].scalars == before[0].scalars.map { $0 * 2 })  // conv weight
    #expect(Array(after.dropFirst()) == Array(before.dropFirst()))
  }

  @Test func unknownOperatorNameIsAConfigErrorListingTheProducts() throws {
    var network = try Network.zoo("small-cnn")
    let error = #expect(throws: ConfigError.self) { try network.setArithmetic(nil, for: "fc3") }
    #expect(error?.expected == "one of conv1, conv2, fc1, fc2")
    #expect(throws: ConfigError.self) { try network.setArithmetic(nil, for: "conv1.bn") }
  }

  @Test func aGraphThatIsNotAChainIsRejectedNamingTheOperator() throws {
    let resnet = try ModelZoo.model(named: "resnet18").graph()
    let error = #expect(throws: ConfigError.self) { try Network(graph: resnet) }
    #expect(error?.path?.hasPrefix("operator ") == true)
    #expect(error?.message.contains("not a trainable chain") == true)
    #expect(
      error?.expected?.contains("batchnorm") == true && error?.expected?.contains("maxpool") == true
    )
  }

  @Test func anUnsupportedOperatorIsNamed() throws {
    var g = GraphBuilder(name: "sigmoid-net")
    var x = try g.input("image", [1, 4])
    x = try g.elementwise("squash", "sigmoid", [x])
    _ = try g.linear("fc", x, out: 2)
    let error = #expect(throws: ConfigError.self) { try Network(graph: try g.finish()) }
    #expect(error?.path == "operator squash")
    #expect(error?.message.contains("sigmoid") == true)
  }

  /// Weights carried by the graph must fit their operator; the error names the file, the
  /// operator and both shapes.
  @Test func aWeightOfTheWrongSizeNamesFileOperatorAndShapes() throws {
    var graph = try tinyChainGraph()
    for (i, t) in graph.tensors.enumerated() where [.weight, .constant].contains(t.role) {
      graph.weightValues[TensorID(i)] = [Float](repeating: 0.5, count: t.shape.elementCount)
    }
    #expect(throws: Never.self) { try Network(graph: graph, file: "ok.onnx") }
    let fc1 = try #require(graph.tensors.firstIndex { $0.name == "fc1.weight" })
    graph.weightValues[TensorID(fc1)] = [Float](repeating: 0.5, count: 10)
    let error = #expect(throws: ConfigError.self) { try Network(graph: graph, file: "bad.onnx") }
    #expect(error?.file == "bad.onnx" && error?.path == "operator fc1")
    #expect(error?.message.contains("10 values") == true && error?.expected == "[64, 16]")
  }

  @Test func aCheckpointWithoutSomeValuesIsRejected() throws {
    var graph = try tinyChainGraph()
    let conv = try #require(graph.tensors.firstIndex { $0.name == "conv.weight" })
    graph.weightValues[TensorID(conv)] = [Float](repeating: 0.1, count: 36)
    let error = #expect(throws: ConfigError.self) {
      try Network(graph: graph, file: "partial.onnx")
    }
    #expect(error?.file == "partial.onnx" && error?.message.contains("has no values") == true)
  }
}
