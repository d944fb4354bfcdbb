import Execution
import HybrixCore
import HybrixNumerics
import Testing
import Workloads

@testable import Search

/// The Taylor sensitivity's ingredients against brute force on a tiny network: the gradient
/// against central differences of the loss, and each output row's Σ_j H_jj (Hutchinson) against
/// second differences of the loss, element by element.
@Suite struct RowSensitivityTests {
  /// 4×4 images → 12 → ReLU → 5 classes (137 parameters): brute force stays cheap.
  static func fixture() throws -> (Network, Graph, HybrixNumerics.Tensor, [Int]) {
    var b = GraphBuilder(name: "tiny")
    let image = try b.input("image", [1, 1, 4, 4])
    var x = try b.reshape("flatten", image, to: [1, 16], function: "flatten")
    x = try b.elementwise("fc1.relu", "relu", [try b.linear("fc1", x, out: 12)])
    _ = try b.linear("fc2", x, out: 5)
    let graph = try b.finish()
    let net = try Network(graph: graph, seed: 3)
    var rng = SplitMix64(seed: 4)
    let images = HybrixNumerics.Tensor.randomNormal([8, 1, 4, 4], rng: &rng)
    let labels = (0..<8).map { _ in Int(rng.next() % 5) }
    return (net, graph, images, labels)
  }

  static func loss(_ net: Network, _ params: [HybrixNumerics.Tensor], _ x: HybrixNumerics.Tensor, _ labels: [Int]) -> Double {
    var n = net
    n.parameters = params
    let logits = n.forward(x, training: true)
    return Double(SoftmaxCrossEntropy.lossAndGradient(logits: logits, labels: labels).loss)
  }

  @Test func gradientAndRowCurvatureMatchBruteForce() throws {
    var (net, _, x, labels) = try Self.fixture()
    let base = net.parameters
    let last = try #require(base.indices.last { base[$0].rank >= 2 })  // fc2 [5, 12]
    let (g, h) = RowSensitivity.gradientAndRowCurvature(network: &net, images: x, labels: labels, probes: 4000, seed: 1)
    // Gradient: 8 elements against central differences (h = 1e-2).
    var rng = SplitMix64(seed: 5)
    for _ in 0..<8 {
      let j = Int(rng.next() % UInt64(base[last].count))
      var plus = base, minus = base
      plus[last].scalars[j] += 1e-2
      minus[last].scalars[j] -= 1e-2
      let fd = (Self.loss(net, plus, x, labels) - Self.loss(net, minus, x, labels)) / 2e-2
      let got = Double(g[last].scalars[j])
      #expect(abs(got - fd) <= 0.02 * abs(fd) + 2e-4, "element \(j): backprop \(got), differences \(fd)")
    }
    // (Hutchinson with 4000 probes: the cross terms leave a few per cent; an estimator off by a
    // factor, of the wrong sign or zero fails.)
    // Row curvature of every row of fc2: Σ_j ∂²L/∂w_j² by second differences (h = 0.05; the loss
    // is smooth in the last layer's weights).
    let per = base[last].count / base[last].shape[0]
    let l0 = Self.loss(net, base, x, labels)
    for row in 0..<5 {
      var exact = 0.0
      for j in (row * per)..<((row + 1) * per) {
        var plus = base, minus = base
        plus[last].scalars[j] += 0.05
        minus[last].scalars[j] -= 0.05
        exact += (Self.loss(net, plus, x, labels) - 2 * l0 + Self.loss(net, minus, x, labels)) / 0.0025
      }
      #expect(abs(h[last][row] - exact) <= 0.08 * abs(exact), "row \(row): Hutchinson \(h[last][row]), brute force \(exact)")
    }
  }

  @Test func taylorGivesOneScorePerRowAndTheProxyTiesRowsWithinAnOperator() throws {
    let (net, graph, x, labels) = try Self.fixture()
    let s = try RowSensitivity.taylor(network: net, graph: graph, images: x, labels: labels, probes: 4, seed: 1)
    #expect(s.method == .taylor)
    var counted = 0
    for (op, rows) in zip(graph.operators, s.rows) {
      if let m = op.matmul {
        let r = try #require(rows)
        #expect(r.count == m.n && r.allSatisfy { $0.isFinite })
        counted += 1
      } else {
        #expect(rows == nil)
      }
    }
    #expect(counted == 2)
    let p = RowSensitivity.proxy(graph: graph)
    for (op, rows) in zip(graph.operators, p.rows) { if let m = op.matmul { #expect(rows == [Double](repeating: Double(m.k), count: m.n)) } }
  }

  @Test func weightsOfAnotherModelAreAConfigError() throws {
    let (net, _, x, labels) = try Self.fixture()
    let other = try ModelZoo.model(named: "mlp").graph(ZooOptions(batch: 1))  // fc1 256 rows, fc2 128
    #expect(throws: ConfigError.self) { try RowSensitivity.taylor(network: net, graph: other, images: x, labels: labels, probes: 1, seed: 1) }
  }
}
