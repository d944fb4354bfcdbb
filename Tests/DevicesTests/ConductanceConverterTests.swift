import HybrixCore
import HybrixNumerics
import Testing

@testable import Devices

@Suite struct ConductanceConverterTests {
  @Test func singlePairMapping() {
    let conv = SinglePairConductanceConverter(gMax: 25)
    let w = Tensor(shape: [4], scalars: [-2, -1, 0, 0.5])
    let m = conv.conductances(for: w)
    #expect(m.scale == 12.5)
    #expect(m.planes[0].scalars == [0, 0, 0, 6.25])
    #expect(m.planes[1].scalars == [25, 12.5, 0, 0])
  }

  /// The noise-free round trip is bit-exact by construction; the textbook read-back
  /// (G⁺ − G⁻)/scale agrees with it to Float32 rounding (≤ 2 ulp of max|w|).
  @Test(arguments: 0..<50) func roundTrip(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    let w = Tensor.randomNormal([17, 13], std: Float(1 + seed), rng: &rng)
    let conv = SinglePairConductanceConverter(gMax: 25, gMin: seed % 2 == 0 ? 0 : 1)
    let m = conv.conductances(for: w)
    #expect(conv.weights(from: m.planes, mapping: m) == w)
    let ulp = w.absMax.ulp
    for i in 0..<w.count {
      let textbook = (m.planes[0].scalars[i] - m.planes[1].scalars[i]) / m.scale
      #expect(abs(textbook - w.scalars[i]) <= 2 * ulp)
    }
  }

  @Test func globalDriftCompensationRestoresScale() {
    var rng = SplitMix64(seed: 8)
    let w = Tensor.randomNormal([16, 8], rng: &rng)
    let comp = GlobalDriftCompensation()
    let r0 = comp.measure(inputSize: 16) { naiveMatmul($0, w) }
    let drifted = w.map { $0 * 0.7 }
    let rt = comp.measure(inputSize: 16) { naiveMatmul($0, drifted) }
    #expect(abs(comp.factor(reference: r0, current: rt) - 1 / 0.7) < 1e-5)
    let x = Tensor.randomNormal([3, 16], rng: &rng)
    let y = comp.compensate(naiveMatmul(x, drifted), reference: r0, current: rt)
    let exact = naiveMatmul(x, w)
    for i in 0..<y.count { #expect(abs(y.scalars[i] - exact.scalars[i]) < 1e-4) }
  }
}
