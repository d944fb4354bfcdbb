import HybrixCore
import Testing

@testable import Workloads

@Suite struct TrainingGraphTests {
  func mlp() throws -> Graph {
    var g = GraphBuilder(name: "mlp")
    let x = try g.input("x", [8, 32])
    let h = try g.elementwise("relu", "relu", [try g.linear("fc1", x, out: 64)])
    _ = try g.linear("fc2", h, out: 10)
    return try g.finish()
  }

  /// Two linear layers: fc1 needs no input gradient (its input is data), so the step has
  /// 3 × fc2 + 2 × fc1 product MACs.
  @Test func productsPerLayer() throws {
    let forward = try mlp()
    let train = try forward.trainingGraph()
    let fc1 = 8 * 32 * 64
    let fc2 = 8 * 64 * 10
    #expect(forward.macs == fc1 + fc2)
    #expect(train.macs == 3 * fc2 + 2 * fc1)
    #expect(train.workload.phase == .train)
    let byPass = Dictionary(grouping: train.operators, by: \.pass)
    #expect(byPass[.inputGradient]?.filter { $0.matmul != nil }.map(\.name) == ["fc2.grad_input"])
    #expect(byPass[.weightGradient]?.map(\.name).sorted() == ["fc1.grad_weight", "fc2.grad_weight"])
    // Four trained tensors (two weights, two biases), one update each.
    #expect(byPass[.update]?.count == 4)
    #expect(train.outputs.count == 4)
  }

  @Test func gradientShapesTransposeTheProduct() throws {
    let train = try mlp().trainingGraph()
    let gi = try #require(train.operators.first { $0.name == "fc2.grad_input" })
    #expect(gi.matmul == MatMulShape(batch: 1, m: 8, k: 10, n: 64))
    #expect(gi.secondOperand == .staticWeight)
    let gw = try #require(train.operators.first { $0.name == "fc2.grad_weight" })
    #expect(gw.matmul == MatMulShape(batch: 1, m: 64, k: 8, n: 10))
    #expect(gw.secondOperand == .dynamic)
  }

  /// The backward graph is still topologically ordered: every input exists before it is read.
  @Test func backwardIsTopological() throws {
    let model = try ModelZoo.model(named: "bert-base")
    let train = try model.graph(ZooOptions(sequenceLength: 32, phase: .train))
    var available = Set(train.tensors.indices.filter { train.tensors[$0].role != .activation && train.tensors[$0].role != .gradient })
    // Loss gradients are seeds.
    for t in train.tensors.indices where train.tensors[t].role == .gradient && train.tensors[t].name.hasPrefix("grad(pooler_tanh)") {
      available.insert(t)
    }
    var early: [String] = []
    for op in train.operators {
      for t in op.inputs where !available.contains(t.index) {
        early.append("\(op.name) reads \(train.tensors[t.index].name)")
      }
      for t in op.outputs { available.insert(t.index) }
    }
    #expect(early.isEmpty, "read before written: \(early.prefix(5))")
  }

  /// A flattened image is still data: the first layer gets no input gradient through the view.
  @Test func noGradientIntoViewsOfData() throws {
    var g = GraphBuilder(name: "flat")
    let x = try g.input("image", [4, 1, 28, 28])
    let flat = try g.reshape("flatten", x, to: [4, 784])
    _ = try g.linear("fc", flat, out: 10)
    let train = try g.finish().trainingGraph()
    #expect(!train.operators.contains { $0.name == "fc.grad_input" || $0.name == "flatten.grad" })
    #expect(train.macs == 2 * 4 * 784 * 10)
  }

  /// A tensor read by two operators (a residual) gets its gradients summed once.
  @Test func fanOutAccumulates() throws {
    var g = GraphBuilder(name: "res")
    let x = try g.input("x", [4, 16])
    let h = try g.linear("fc", x, out: 16)
    let r = try g.elementwise("relu", "relu", [h])
    _ = try g.elementwise("add", "add", [h, r])
    let train = try g.finish().trainingGraph()
    let acc = train.operators.filter { $0.name.hasSuffix("grad_accumulate") }
    #expect(acc.map(\.name) == ["fc.grad_accumulate"])
  }
}
