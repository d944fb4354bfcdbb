import HybrixCore
import HybrixNumerics
import Testing

/// The odometer against its definition: after i steps the index is i in mixed radix `shape` (last
/// axis fastest) and the offset is start + Σ index[a]·strides[a]; it wraps after ∏ shape steps.
@Suite struct StridedOdometerTests {
  @Test func offsetsFollowTheDefinition() {
    var rng = SplitMix64(seed: 11)
    var steps = 0
    for _ in 0..<200 {
      let rank = Int(rng.next() % 5)
      let shape = (0..<rank).map { _ in 1 + Int(rng.next() % 4) }
      let strides = (0..<rank).map { _ in Int(rng.next() % 9) - 2 }  // negative and zero strides too
      let start = Int(rng.next() % 7)
      var walk = StridedOdometer(shape: shape, strides: strides, offset: start)
      let count = shape.reduce(1, *)
      for i in 0..<count {
        var rest = i
        var index = [Int](repeating: 0, count: rank)
        for a in stride(from: rank - 1, through: 0, by: -1) {
          index[a] = rest % shape[a]
          rest /= shape[a]
        }
        #expect(walk.index == index)
        #expect(walk.offset == start + zip(index, strides).map(*).reduce(0, +))
        let more = walk.advance()
        #expect(more == (i < count - 1), "step \(i) of \(count) for \(shape)")
        steps += 1
      }
      #expect(walk.index.allSatisfy { $0 == 0 } && walk.offset == start)
    }
    #expect(steps > 1000, "\(steps) steps checked")
  }
}
