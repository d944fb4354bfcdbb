import Testing

@testable import Mapping

@Suite struct AccuracyStatisticsTests {
  @Test func meanSDAndIntervalOfKnownSamples() {
    // Samples 1…5: mean 3, s = √2.5, t₀.₉₇₅(4) = 2.776 → half-width 2.776·√2.5/√5 = 1.9629.
    let s = SampleStatistics([1, 2, 3, 4, 5])
    #expect(s.count == 5 && s.mean == 3 && s.minimum == 1 && s.maximum == 5)
    #expect(abs(s.standardDeviation - 2.5.squareRoot()) < 1e-12)
    #expect(abs(s.confidenceHalfWidth - 2.776 * (2.5 / 5).squareRoot()) < 1e-9)
    let one = SampleStatistics([0.9])
    #expect(one.standardDeviation == 0 && one.confidenceLow == 0.9 && one.confidenceHigh == 0.9)
    #expect(SampleStatistics([]).mean.isNaN)
  }

  @Test func studentQuantilesMatchTheTableAndTendToTheNormal() {
    #expect(SampleStatistics.studentT975(degreesOfFreedom: 1) == 12.706)
    #expect(SampleStatistics.studentT975(degreesOfFreedom: 30) == 2.042)
    // A&S Table 26.10: ν = 40 → 2.021, 60 → 2.000, 120 → 1.980.
    for (nu, t) in [(40, 2.021), (60, 2.000), (120, 1.980)] {
      #expect(abs(SampleStatistics.studentT975(degreesOfFreedom: nu) - t) < 2e-3, "ν = \(nu)")
    }
    #expect(SampleStatistics.studentT975(degreesOfFreedom: 0).isNaN)
  }

  @Test func splitRangesCoverEveryIndexOnce() {
    for count in [0, 1, 7, 64, 1000] {
      for fractions in [[1.0], [0.5, 0.5], [0.2, 0.3, 0.5], [0.999, 0.001]] {
        let ranges = ShareExtents.ranges(count: count, fractions: fractions)
        #expect(ranges.count == fractions.count)
        #expect(ranges.flatMap { Array($0) } == Array(0..<count), "\(count) \(fractions)")
      }
    }
  }

  @Test func derivedSeedsDiffer() {
    var seen = Set<UInt64>()
    for i in 0..<20 { for j in 0..<20 { seen.insert(MappingAccuracy.deriveSeed(7, i, j)) } }
    #expect(seen.count == 400)
    #expect(MappingAccuracy.deriveSeed(7, 3, 4) == MappingAccuracy.deriveSeed(7, 3, 4))
    #expect(MappingAccuracy.deriveSeed(7, 3, 4) != MappingAccuracy.deriveSeed(8, 3, 4))
  }
}
