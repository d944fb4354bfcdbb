import Hardware
import HybrixCore
import HybrixNumerics
import Testing
import Workloads

@testable import Mapping

/// A split along `n` with a ``Placement/rowOrder`` (Row Remap's) means the same rows on the cost
/// side and the accuracy side: the accuracy side runs exactly `rowOrder[extents[i]]` on share i's
/// tier, and the cost model prices share i with exactly that many rows.
@Suite struct RowOrderAgreementTests {
  /// Fills its product with its tag, so the output says which part computed each column.
  struct Tag: ProductArithmetic {
    var tag: Float
    var name: String { "tag \(tag)" }
    mutating func multiply(_ a: Tensor, _ b: Tensor, role: ProductRole) -> Tensor {
      Tensor(repeating: tag, shape: [a.shape[0], b.shape[1]])
    }
    mutating func realize(weights: Tensor) -> Tensor { Tensor(repeating: tag, shape: weights.shape) }
  }

  @Test func accuracySideRunsTheRowsTheCostSidePrices() throws {
    let graph = try ModelZoo.model(named: "mlp").graph(ZooOptions(batch: 1))
    let arch = try PresetRegistry.architecture(named: "h3pimap")
    let model = CostModel(graph: graph, architecture: arch, precision: .int8)
    let ops = graph.operators.indices.filter { graph.operators[$0].matmul != nil }
    var rng = SplitMix64(seed: 42)
    var checked = 0
    for trial in 0..<60 {
      let op = ops[trial % ops.count]
      let n = try #require(graph.operators[op].matmul?.n)
      // Random counts per share (some possibly 0) and a random permutation of the rows.
      let cut = Int(rng.next() % UInt64(n + 1))
      let counts = [cut, n - cut]
      let order = (0..<n).shuffled(using: &rng)
      let placement = Placement(
        shares: counts.enumerated().map { TierShare(tier: $0.offset, fraction: Double($0.element) / Double(n)) }.filter { $0.fraction > 0 },
        axis: .n, rowOrder: order)
      guard placement.shares.count == 2 else { continue }
      // Cost side: the rows each share is priced with.
      #expect(model.extents(op, placement) == counts, "trial \(trial)")
      // Accuracy side: which columns each tier computed (forward product and realized weights).
      var split = SplitArithmetic(
        parts: [Tag(tag: 1), Tag(tag: 2)], fractions: placement.shares.map(\.fraction), axis: .n, rowOrder: placement.rowOrder)
      let k = 3
      let y = split.multiply(Tensor(repeating: 1, shape: [2, k]), Tensor(repeating: 0, shape: [k, n]), role: .forward)
      let w = split.realize(weights: Tensor(repeating: 0, shape: [k, n]))
      let extents = placement.extents(of: n)
      for (i, r) in extents.enumerated() {
        let expected = Set(order[r])
        let ran = Set((0..<n).filter { y.scalars[$0] == Float(i + 1) })
        let held = Set((0..<n).filter { w.scalars[$0] == Float(i + 1) })
        #expect(ran == expected && held == expected, "trial \(trial) share \(i)")
        #expect(ran.count == counts[i])
      }
      checked += 1
    }
    #expect(checked >= 40)
  }

  @Test func operatorAssignmentsCarryTheRowOrder() throws {
    let graph = try ModelZoo.model(named: "mlp").graph(ZooOptions(batch: 1))
    var plan = MappingPlan.uniform(0, operators: graph.operators.count)
    let op = try #require(graph.operators.firstIndex { $0.matmul != nil })
    let n = try #require(graph.operators[op].matmul?.n)
    plan.placements[op] = Placement(shares: [TierShare(tier: 0, fraction: 0.5), TierShare(tier: 1, fraction: 0.5)], rowOrder: Array((0..<n).reversed()))
    let a = OperatorAssignment.from(mapping: plan, graph: graph)
    #expect(a[op].rowOrder == Array((0..<n).reversed()))
  }
}
