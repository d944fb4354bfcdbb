import HybrixCore
import HybrixNumerics
import Testing

@testable import Execution

/// The ONNX executor's fast paths against the general kernels' own rule, bit for bit: Transpose by
/// a strided copy against gathering by the index table, and Add/Sub/Mul/Div of a repeating operand
/// against the elementwise loop over broadcast index tables.
@Suite struct ONNXFastPathTests {
  /// Random shapes of rank 0–5 (sizes 1–4, some 1s to drop) with random permutations, and strided
  /// views with zero strides (a repeated axis): the copy equals the index-table gather.
  @Test func stridedGatherEqualsTheIndexTable() {
    var rng = SplitMix64(seed: 7)
    var (checked, merged, runs) = (0, 0, 0)
    for trial in 0..<400 {
      let rank = Int(rng.next() % 6)
      let shape = (0..<rank).map { _ in 1 + Int(rng.next() % 4) }
      let count = shape.reduce(1, *)
      let source = (0..<count).map { Float($0) + 0.5 }
      let inStrides = rowMajorStrides(shape)
      var perm = Array(0..<rank)
      for i in stride(from: rank - 1, to: 0, by: -1) { perm.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
      let outShape = perm.map { shape[$0] }
      var strides = perm.map { inStrides[$0] }
      if trial % 5 == 0, rank > 0 { strides[Int(rng.next() % UInt64(rank))] = 0 }  // a broadcast axis
      let expected = stridedIndices(shape: outShape, strides: strides).map { source[$0] }
      let actual = stridedGather(source, shape: outShape, strides: strides)
      #expect(actual == expected, "shape \(shape) perm \(perm) strides \(strides)")
      // Integers go through the same copy.
      let ints = source.map { Int64($0 * 2) }
      #expect(stridedGather(ints, shape: outShape, strides: strides) == expected.map { Int64($0 * 2) })
      checked += 1
      if perm == Array(0..<rank) { merged += 1 }
      if strides.last == 1 { runs += 1 }
    }
    // The cases cover identity permutations (fully merged), contiguous inner runs and strided ones.
    #expect(checked == 400 && merged > 20 && runs > 100 && runs < 380, "\(merged) identities, \(runs) runs")
    #expect(stridedGather([Float](), shape: [0, 3], strides: [3, 1]).isEmpty)
  }

  /// The general rule: out[i] = f(a[ia[i]], b[ib[i]]) over broadcast index tables.
  static func reference(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor? {
    guard let shape = broadcastShape(a.shape, b.shape) else { return nil }
    let ia = broadcastIndices(from: a.shape, to: shape)
    let ib = broadcastIndices(from: b.shape, to: shape)
    return Tensor(shape: shape, scalars: (0..<ia.count).map { f(a.scalars[ia[$0]], b.scalars[ib[$0]]) })
  }

  static let operations: [(String, @Sendable (Float, Float) -> Float)] = [
    ("Add", { $0 + $1 }), ("Sub", { $0 - $1 }), ("Mul", { $0 * $1 }), ("Div", { $0 / $1 }),
  ]

  /// Values that tell operand order and IEEE corner cases apart: signed zeros, infinities, NaN,
  /// subnormals, and a zero divisor.
  static func values(_ count: Int, _ rng: inout SplitMix64) -> [Float] {
    let special: [Float] = [0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, 1e30, -3]
    return (0..<count).map { _ in
      rng.next() % 7 == 0 ? special[Int(rng.next() % UInt64(special.count))] : Float(rng.nextGaussian() * 3)
    }
  }

  @Test func repeatingOperandsMatchTheBroadcastLoopBitForBit() throws {
    let pairs: [([Int], [Int])] = [
      ([2, 3, 4], [2, 3, 4]), ([2, 3, 4], []), ([2, 3, 4], [1]), ([2, 3, 4], [4]), ([2, 3, 4], [3, 4]),
      ([2, 3, 4], [1, 3, 4]), ([2, 3, 4], [1, 1, 4]), ([5, 16], [16]), ([4], [2, 3, 4]), ([], [2, 2]),
      ([3, 4], [1, 1, 4]), ([0, 4], [4]),
    ]
    var rng = SplitMix64(seed: 3)
    var checked = 0
    for (sa, sb) in pairs {
      for (op, f) in Self.operations {
        for swapped in [false, true] {
          let (shapeA, shapeB) = swapped ? (sb, sa) : (sa, sb)
          let a = Tensor(shape: shapeA, scalars: Self.values(shapeA.reduce(1, *), &rng))
          let b = Tensor(shape: shapeB, scalars: Self.values(shapeB.reduce(1, *), &rng))
          let expected = try #require(Self.reference(a, b, f))
          // [3, 4] with [1, 1, 4] broadcasts to [1, 3, 4], the shape of neither operand.
          guard expected.shape == a.shape || expected.shape == b.shape else {
            #expect(ONNXKernels.arithmetic(op, a, b) == nil)
            continue
          }
          let actual = try #require(ONNXKernels.arithmetic(op, a, b), "\(op) \(shapeA) \(shapeB)")
          #expect(actual.shape == expected.shape)
          #expect(actual.scalars.map(\.bitPattern) == expected.scalars.map(\.bitPattern), "\(op) \(shapeA) \(shapeB)")
          checked += 1
        }
      }
    }
    #expect(checked == 4 * 2 * 11, "\(checked) cases compared")
  }

  @Test func otherBroadcastsAndOperatorsTakeTheGeneralKernel() {
    let column = Tensor(shape: [3, 1], scalars: [1, 2, 3])
    let row = Tensor(shape: [1, 4], scalars: [1, 2, 3, 4])
    #expect(ONNXKernels.arithmetic("Add", column, row) == nil)  // [3, 4]: neither repeats whole
    #expect(ONNXKernels.arithmetic("Add", column, Tensor(shape: [3], scalars: [1, 2, 3])) == nil)
    #expect(ONNXKernels.arithmetic("Pow", row, row) == nil)
    #expect(ONNXKernels.arithmetic("Add", row, Tensor(shape: [5], scalars: [0, 0, 0, 0, 0])) == nil)
  }
}
