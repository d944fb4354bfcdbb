import HybrixCore
import Testing

@testable import Workloads

/// The zoo against published figures, and the structural laws every zoo graph obeys.
@Suite struct ZooTests {
  static let names = ModelZoo.all.map(\.name)
  static let visionNames = ModelZoo.all.filter { $0.family == .vision }.map(\.name)

  /// Relative distance of `computed` from `published`.
  static func deviation(_ computed: Int, _ published: Double) -> Double {
    abs(Double(computed) / published - 1)
  }

  /// Parameters and MACs at the default size, batch 1, int8, within 2 % of the published figures.
  @Test(arguments: names)
  func matchesPublishedFigures(name: String) throws {
    let model = try ModelZoo.model(named: name)
    let totals = try model.graph().totals(at: .int8)
    let p = model.published
    #expect(
      Self.deviation(totals.parameters, p.parameters) <= 0.02,
      "\(name): \(totals.parameters) parameters vs published \(p.parameters) (\(p.source))")
    if let macs = p.macs {
      #expect(
        Self.deviation(totals.macs, macs) <= 0.02,
        "\(name): \(totals.macs) MACs vs published \(macs) (\(p.source))")
    }
    #expect(!p.source.isEmpty)
  }

  /// Hand-computed figures are exact.
  @Test func exactCountsOfSmallModels() throws {
    let expected: [String: (parameters: Int, macs: Int)] = [
      "lenet5": (61_706, 416_520), "small-cnn": (421_738, 4_241_152), "mlp": (235_146, 234_752),
      "alexnet": (61_100_840, 714_188_480), "vgg16": (138_357_544, 15_470_264_320),
      "mobilenetv2": (3_504_872, 300_774_272), "vit-b16": (86_567_656, 17_563_828_224),
      "mobilebert": (24_581_888, 2_692_743_168),
    ]
    for (name, figures) in expected {
      let g = try ModelZoo.model(named: name).graph()
      #expect(g.parameterCount == figures.parameters, "\(name) parameters")
      #expect(g.macs == figures.macs, "\(name) MACs")
    }
  }

  /// Every product of a vision model folds the batch into its rows: batch 4 is exactly 4× the MACs.
  @Test(arguments: visionNames)
  func batchScalesVisionMACs(name: String) throws {
    let model = try ModelZoo.model(named: name)
    let one = try model.graph(ZooOptions(batch: 1)).macs
    let four = try model.graph(ZooOptions(batch: 4)).macs
    #expect(four == 4 * one)
  }

  /// A training step has three products per forward product (forward, input gradient, weight
  /// gradient), less the input gradients of products whose input does not depend on any trained
  /// weight (the data, or a view of it such as a flattened image).
  @Test(arguments: names)
  func trainingTriplesProducts(name: String) throws {
    let model = try ModelZoo.model(named: name)
    let forward = try model.graph(ZooOptions(phase: .inference))
    let products = forward.operators.filter(\.kind.isMatrixProduct)
    var fromWeights = forward.tensors.map { $0.role == .weight }
    for op in forward.operators where op.inputs.contains(where: { fromWeights[$0.index] }) {
      for t in op.outputs { fromWeights[t.index] = true }
    }
    let readsInput = products.filter { !fromWeights[$0.inputs[0].index] }
    let expected = 3 * products.reduce(0) { $0 + $1.macs } - readsInput.reduce(0) { $0 + $1.macs }
    let train = try model.graph(ZooOptions(phase: .train))
    #expect(train.workload.phase == .train)
    let trainMACs = train.operators.filter(\.kind.isMatrixProduct).reduce(0) { $0 + $1.macs }
    #expect(trainMACs == expected)
    #expect(train.operators.contains { $0.pass == .update })
  }

  /// The zoo uses only operators Hybrix models.
  @Test(arguments: names)
  func inferenceHasNoUnmodelledOperators(name: String) throws {
    let g = try ModelZoo.model(named: name).graph()
    #expect(g.operators.allSatisfy { $0.kind != .other }, "\(g.unsupportedOperatorTypes)")
  }

  /// Adaptive pooling and the interpolated position table keep the parameters of AlexNet, VGG
  /// and ViT at other image sizes, while the work grows with the image.
  @Test(arguments: ["alexnet", "vgg16", "vit-b16"])
  func otherImageSizesKeepParameters(name: String) throws {
    let model = try ModelZoo.model(named: name)
    let base = try model.graph()
    for size in [160, 256, 384] {
      let g = try model.graph(ZooOptions(imageSize: size))
      #expect(g.parameterCount == base.parameterCount, "\(name) at \(size)")
      #expect((g.macs > base.macs) == (size > 224), "\(name) at \(size)")
    }
  }

  /// MobileBERT: query and key read the shared 128-wide bottleneck, value the 512-wide input.
  @Test func mobileBERTAttentionInputs() throws {
    let g = try ModelZoo.model(named: "mobilebert").graph(ZooOptions(sequenceLength: 64))
    func op(_ name: String) throws -> Operator { try #require(g.operators.first { $0.name == name }) }
    let p = "encoder.layer.0.attention.self"
    #expect(try op("\(p).query").matmul == MatMulShape(m: 64, k: 128, n: 128))
    #expect(try op("\(p).key").inputs[0] == op("\(p).query").inputs[0])
    #expect(try op("\(p).value").matmul == MatMulShape(m: 64, k: 512, n: 128))
    #expect(try op("\(p).qk").matmul == MatMulShape(batch: 4, m: 64, k: 32, n: 64))
    #expect(g.operators.filter { $0.kind == .attentionScores }.count == 24)
    #expect(throws: ConfigError.self) {
      _ = try ModelZoo.model(named: "mobilebert").graph(ZooOptions(sequenceLength: 513))
    }
  }
}
