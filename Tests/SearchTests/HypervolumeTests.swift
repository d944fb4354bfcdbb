import HybrixCore
import Testing

@testable import Search

/// The hypervolume against an independent oracle: inclusion–exclusion over the boxes the points
/// span with the reference (exact for any dimension, exponential, so small sets only).
@Suite struct HypervolumeTests {
  static func inclusionExclusion(_ points: [[Double]], reference: [Double]) -> Double {
    let boxes = points.filter { zip($0, reference).allSatisfy { $0 < $1 } }
    var total = 0.0
    for mask in 1..<(1 << boxes.count) {
      var corner = [Double](repeating: -.infinity, count: reference.count)
      var n = 0
      for (i, b) in boxes.enumerated() where mask & (1 << i) != 0 {
        n += 1
        corner = zip(corner, b).map { max($0, $1) }
      }
      let v = zip(reference, corner).reduce(1.0) { $0 * max(0, $1.0 - $1.1) }
      total += n % 2 == 1 ? v : -v
    }
    return total
  }

  @Test func handComputedTwoObjectives() {
    // (1,3), (2,2), (3,1) against (4,4): 3·1 + 2·1 + 1·1 = 6.
    #expect(Hypervolume.of([[1, 3], [2, 2], [3, 1]], reference: [4, 4]) == 6)
    // A dominated point and one outside the box add nothing.
    #expect(Hypervolume.of([[1, 3], [2, 2], [3, 1], [3, 3], [5, 0]], reference: [4, 4]) == 6)
    #expect(Hypervolume.of([], reference: [1, 1]) == 0)
    #expect(Hypervolume.normalised([[0, 0]], ideal: [0, 0], reference: [2, 3]) == 1)
  }

  @Test func agreesWithInclusionExclusion() {
    var rng = SplitMix64(seed: 11)
    var cases = 0
    for d in 2...4 {
      for _ in 0..<40 {
        let n = Int.random(in: 1...8, using: &rng)
        let pts = (0..<n).map { _ in (0..<d).map { _ in Double(Int.random(in: 0...9, using: &rng)) / 2 } }
        let ref = [Double](repeating: 5, count: d)
        let exact = Self.inclusionExclusion(pts, reference: ref)
        let got = Hypervolume.of(pts, reference: ref)
        #expect(abs(got - exact) <= 1e-9 * max(1, exact), "d=\(d) \(pts): \(got) vs \(exact)")
        cases += 1
      }
    }
    #expect(cases == 120)
  }
}
