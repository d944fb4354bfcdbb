import Foundation
import HybrixCore
import Testing

@testable import Workloads

/// Deployment lowering where it must not fold or fuse, on an ONNX file, and through `Codable`.
@Suite struct DeploymentLoweringEdgeTests {
  /// A 3×3 convolution of a 1×4×8×8 input to 8 channels.
  func conv(_ g: inout GraphBuilder) throws -> TensorID {
    let x = try g.input("x", [1, 4, 8, 8])
    return try g.conv2d("conv", x, out: 8, kernel: 3)
  }

  @Test func batchNormIsNotFoldedWhenTheConvOutputHasAnotherReader() throws {
    var g = GraphBuilder(name: "two-readers")
    let c = try conv(&g)
    let n = try g.batchNorm("bn", c)
    _ = try g.elementwise("add", "add", [n, c])
    let graph = try g.finish()
    let lowering = try graph.loweredForDeployment()
    #expect(lowering.foldedNormalizations == 0)
    #expect(lowering.graph.operators == graph.operators)
    #expect(lowering.graph.parameterCount == graph.parameterCount)
  }

  @Test func activationAfterAnAddIsNotFused() throws {
    var g = GraphBuilder(name: "add-relu")
    let c = try conv(&g)
    let other = try g.input("y", [1, 8, 8, 8])
    _ = try g.elementwise("relu", "relu", [try g.elementwise("add", "add", [c, other])])
    let graph = try g.finish()
    let lowering = try graph.loweredForDeployment()
    #expect(lowering.fusedActivations == 0)
    #expect(lowering.graph.operators.map(\.name) == ["conv", "add", "relu"])
  }

  @Test func batchNormAfterAnActivationIsNotFolded() throws {
    // conv → ReLU → BN: the ReLU fuses, but the BN cannot be moved across it into the weights.
    var g = GraphBuilder(name: "relu-bn")
    let c = try conv(&g)
    _ = try g.batchNorm("bn", try g.elementwise("relu", "relu", [c]))
    let lowering = try g.finish().loweredForDeployment()
    #expect(lowering.fusedActivations == 1)
    #expect(lowering.foldedNormalizations == 0)
    #expect(lowering.graph.operators.map(\.fusedLabel) == ["conv2d+relu", "batchnorm"])
  }

  @Test func clipBoundsBecomeInputsOfTheProduct() throws {
    var g = GraphBuilder(name: "clip")
    let c = try conv(&g)
    let low = try g.tensor("min", [], role: .constant)
    let high = try g.tensor("max", [], role: .constant)
    _ = try g.elementwise("clip", "clip", [c, low, high])
    let graph = try g.finish()
    let lowering = try graph.loweredForDeployment()
    let host = try #require(lowering.graph.operators.first)
    #expect(lowering.graph.operators.count == 1)
    #expect(host.inputs.suffix(2).map { lowering.graph[$0].name } == ["min", "max"])
    #expect(host.operands.weights == graph.operators[0].operands.weights + 2)
    #expect(host.vectorOps == graph.vectorOps)
  }

  /// `small_cnn.onnx`: Conv(bias) → BatchNormalization → Relu → MaxPool → Conv(bias) → Relu → …
  /// → Gemm. The biased conv1 needs no new bias; the 8 scale and 8 shift parameters go.
  @Test func onnxConvBatchNormRelu() throws {
    let g = try ONNXFixture.load("small_cnn.onnx", ["N": 1]).graph
    let lowering = try g.loweredForDeployment()
    let l = lowering.graph
    #expect(lowering.foldedNormalizations == 1)
    #expect(lowering.fusedActivations == 2)
    #expect(l.operators.map(\.name) == ["conv1", "pool1", "conv2", "gap", "flatten", "fc"])
    #expect(l.operators[0].fused.map(\.name) == ["bn", "relu1"])
    #expect(l.operators[2].fused.map(\.name) == ["relu2"])
    #expect(l.parameterCount == 1578 - 16)
    #expect(l.macs == 516_256)
    let bn = try #require(g.operators.first { $0.name == "bn" })
    #expect(l.vectorOps == g.vectorOps - bn.vectorOps)
    #expect(!l.tensors.contains { $0.name.hasPrefix("bn.") })
    // conv1's weights would need rescaling, so their values are dropped; fc's stay.
    let names = Set(l.weightValues.keys.map { l[$0].name })
    #expect(!names.contains("conv1.weight") && names.contains("fc.weight"))
    DeploymentLoweringTests.expectValidDAG(l)
    DeploymentLoweringTests.expectHostsPartition(g, lowering)
  }

  @Test func operatorDecodesWithoutTheFusedField() throws {
    let l = try ModelZoo.model(named: "resnet18").graph().loweredForDeployment().graph
    let conv = try #require(l.operators.first { !$0.fused.isEmpty })
    let data = try JSONEncoder().encode(conv)
    #expect(try JSONDecoder().decode(Operator.self, from: data) == conv)
    var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    object["fused"] = nil
    let old = try JSONDecoder().decode(
      Operator.self, from: try JSONSerialization.data(withJSONObject: object))
    #expect(old.fused.isEmpty)
    #expect(old.name == conv.name && old.vectorOps == conv.vectorOps)
  }
}
