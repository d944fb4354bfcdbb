import Hardware
import HybrixCore
import Mapping
import Workloads

/// CMSwitch's output-length study (§5, LLaMA-2-7B: prompt 128, 32…2 048 generated tokens): a
/// generation run is one prefill of the prompt and then one decode step per generated token,
/// step `t` (from 0) attending to `prompt + t` tokens. Each program — dual mode and compute only
/// — is compiled and simulated for the prefill and for decode steps at a grid of context lengths;
/// a run's decode time is the sum over its steps of the decode latency, linear between grid
/// points. The interpolation is checked at run time against one more compile halfway between
/// the two grid points farthest apart, and the error is reported.
public struct GenerationStudy: Sendable {
  public struct Row: Codable, Sendable, Hashable {
    public var generatedTokens: Int
    public var latencySeconds: Double
    public var baselineLatencySeconds: Double
    public var speedup: Double
  }

  public struct Sample: Codable, Sendable, Hashable {
    public var contextTokens: Int
    public var latencySeconds: Double
    public var baselineLatencySeconds: Double
  }

  public struct Outcome: Codable, Sendable, Hashable {
    public var promptTokens: Int
    public var prefillSeconds: Double
    public var baselinePrefillSeconds: Double
    /// The decode steps compiled and simulated, by context length.
    public var decodeSamples: [Sample]
    /// Context of the check compile and the largest relative error of the interpolated decode
    /// latency there (both programs).
    public var checkContextTokens: Int?
    public var interpolationError: Double
    public var rows: [Row]
  }

  public var prompt: Int
  public var generated: [Int]
  /// Decode contexts compiled (at most; fewer when the run is short).
  public var gridPoints: Int

  public init(prompt: Int, generated: [Int], gridPoints: Int = 9) {
    self.prompt = prompt
    self.generated = generated
    self.gridPoints = gridPoints
  }

  /// Runs the study; `compile(phase, tokens)` returns the simulated latency of the dual-mode
  /// program and of the compute-only baseline for that phase (prefill of `tokens`, or one decode
  /// step with `tokens` of context).
  public func run(
    compile: (Phase, Int) throws(ConfigError) -> (dual: Double, baseline: Double)
  ) throws(ConfigError) -> Outcome {
    guard prompt >= 1 else { throw ConfigError(path: "--prompt", message: "\(prompt)", expected: "an integer ≥ 1") }
    guard let longest = generated.max(), generated.allSatisfy({ $0 >= 1 && $0 <= 1_000_000 }) else {
      throw ConfigError(path: "--generate", message: "\(generated)", expected: "generated token counts from 1 to 1 000 000")
    }
    let prefill = try compile(.prefill, prompt)
    let last = prompt + longest - 1
    let n = max(2, min(gridPoints, longest))
    var contexts = (0..<n).map { prompt + Int((Double($0) * Double(last - prompt) / Double(n - 1)).rounded()) }
    contexts = Array(Set(contexts)).sorted()
    var samples: [Sample] = []
    for c in contexts {
      let (dual, base) = try compile(.decode, c)
      samples.append(Sample(contextTokens: c, latencySeconds: dual, baselineLatencySeconds: base))
    }
    // The check: halfway across the widest gap, when there is a context between two points.
    var check: Int?
    var error = 0.0
    if let k = samples.indices.dropLast().max(by: { gap(samples, $0) < gap(samples, $1) }), gap(samples, k) >= 2 {
      let c = (samples[k].contextTokens + samples[k + 1].contextTokens) / 2
      let (dual, base) = try compile(.decode, c)
      let (d, b) = Self.interpolate(samples, c)
      error = max(abs(d - dual) / dual, abs(b - base) / base)
      check = c
    }
    let rows = generated.map { g -> Row in
      var dual = prefill.dual
      var base = prefill.baseline
      for c in prompt..<(prompt + g) {
        let (d, b) = Self.interpolate(samples, c)
        dual += d
        base += b
      }
      return Row(generatedTokens: g, latencySeconds: dual, baselineLatencySeconds: base, speedup: dual > 0 ? base / dual : 0)
    }
    return Outcome(
      promptTokens: prompt, prefillSeconds: prefill.dual, baselinePrefillSeconds: prefill.baseline, decodeSamples: samples,
      checkContextTokens: check, interpolationError: error, rows: rows)
  }

  func gap(_ s: [Sample], _ k: Int) -> Int { s[k + 1].contextTokens - s[k].contextTokens }

  /// Both programs' decode latency at context `c`, linear between the samples around it.
  static func interpolate(_ s: [Sample], _ c: Int) -> (Double, Double) {
    guard let hi = s.firstIndex(where: { $0.contextTokens >= c }) else {
      return (s.last?.latencySeconds ?? 0, s.last?.baselineLatencySeconds ?? 0)
    }
    if s[hi].contextTokens == c || hi == 0 { return (s[hi].latencySeconds, s[hi].baselineLatencySeconds) }
    let a = s[hi - 1]
    let b = s[hi]
    let w = Double(c - a.contextTokens) / Double(b.contextTokens - a.contextTokens)
    return (a.latencySeconds + w * (b.latencySeconds - a.latencySeconds), a.baselineLatencySeconds + w * (b.baselineLatencySeconds - a.baselineLatencySeconds))
  }
}
