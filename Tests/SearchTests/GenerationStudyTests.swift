import HybrixCore
import Search
import Testing
import Workloads

/// CMSwitch's output-length study: prefill + one decode step per generated token, decode
/// latencies linear between compiled contexts, checked at run time.
@Suite struct GenerationStudyTests {
  /// Decode latency linear in the context: the interpolated sums are exact, the check finds no
  /// error, and each row is the prefill plus the closed-form sum over its steps.
  @Test func linearDecodeIsSummedExactly() throws {
    let study = GenerationStudy(prompt: 100, generated: [1, 7, 50, 300])
    var compiled: [(Phase, Int)] = []
    let o = try study.run { (phase: Phase, tokens: Int) throws(ConfigError) -> (dual: Double, baseline: Double) in
      compiled.append((phase, tokens))
      if phase == .prefill { return (2.0, 3.0) }
      return (0.5 + 0.001 * Double(tokens), 1.0 + 0.002 * Double(tokens))
    }
    #expect(compiled.first?.0 == .prefill && compiled.first?.1 == 100)
    // 9 grid contexts from 100 to 399, plus one check.
    #expect(o.decodeSamples.count == 9 && o.decodeSamples.first?.contextTokens == 100 && o.decodeSamples.last?.contextTokens == 399)
    #expect(compiled.count == 1 + 9 + 1)
    #expect(o.checkContextTokens != nil && o.interpolationError < 1e-12)
    for r in o.rows {
      let g = Double(r.generatedTokens)
      let contexts = 100.0 * g + g * (g - 1) / 2  // Σ_{t<g} (100 + t)
      #expect(abs(r.latencySeconds - (2 + 0.5 * g + 0.001 * contexts)) < 1e-9)
      #expect(abs(r.baselineLatencySeconds - (3 + 1.0 * g + 0.002 * contexts)) < 1e-9)
      #expect(abs(r.speedup - r.baselineLatencySeconds / r.latencySeconds) < 1e-12)
    }
  }

  /// A curved decode latency: the check compile measures the interpolation's real error.
  @Test func curvedDecodeReportsItsError() throws {
    let study = GenerationStudy(prompt: 10, generated: [1000], gridPoints: 3)
    func f(_ c: Int) -> Double { 1e-6 * Double(c) * Double(c) + 1 }
    let o = try study.run { (phase: Phase, tokens: Int) throws(ConfigError) -> (dual: Double, baseline: Double) in
      phase == .prefill ? (1, 1) : (f(tokens), 2 * f(tokens))
    }
    let check = try #require(o.checkContextTokens)
    let (lo, hi) = (o.decodeSamples[0], o.decodeSamples[1])
    let w = Double(check - lo.contextTokens) / Double(hi.contextTokens - lo.contextTokens)
    let interpolated = lo.latencySeconds + w * (hi.latencySeconds - lo.latencySeconds)
    #expect(abs(o.interpolationError - abs(interpolated - f(check)) / f(check)) < 1e-12)
    #expect(o.interpolationError > 1e-3)
  }

  @Test(arguments: [(0, [4]), (16, [0]), (16, [])])
  func badCountsAreOneError(prompt: Int, generated: [Int]) {
    #expect(throws: ConfigError.self) {
      _ = try GenerationStudy(prompt: prompt, generated: generated).run { (_: Phase, _: Int) throws(ConfigError) -> (dual: Double, baseline: Double) in (1, 1) }
    }
  }
}
