import HybrixCore
import Testing

@testable import HybrixNumerics

@Suite struct TensorTests {
  @Test func rowMajorIndexing() {
    var t = Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])
    #expect(t[1, 2] == 5)
    #expect(t[0, 1] == 1)
    t[1, 0] = 9
    #expect(t.scalars[3] == 9)
    #expect(t.absMax == 9)
  }

  @Test func seededRandomIsReproducible() {
    var a = SplitMix64(seed: 3)
    var b = SplitMix64(seed: 3)
    #expect(Tensor.randomNormal([4, 4], rng: &a) == Tensor.randomNormal([4, 4], rng: &b))
  }

  @Test func columnAndRowSlices() {
    let t = Tensor(shape: [3, 4], scalars: (0..<12).map(Float.init))
    #expect(t.columns(1..<3) == Tensor(shape: [3, 2], scalars: [1, 2, 5, 6, 9, 10]))
    #expect(t.columns(0..<4) == t && t.columns(2..<2).shape == [3, 0])
    #expect(t.rows(1..<3) == Tensor(shape: [2, 4], scalars: (4..<12).map(Float.init)))
  }
}
