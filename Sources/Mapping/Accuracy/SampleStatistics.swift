import Foundation

/// Mean, standard deviation and a two-sided 95 % confidence interval of the mean, from
/// independent Monte-Carlo repeats.
///
/// The interval is `mean ± t₀.₉₇₅(n−1) · s / √n` with the sample standard deviation `s`
/// (divisor n − 1) and Student's t quantile (exact table for ν ≤ 30, then the normal 1.96 with
/// Cornish–Fisher correction). With one sample the interval is the single value.
public struct SampleStatistics: Codable, Sendable, Hashable {
  public var count: Int
  public var mean: Double
  /// Sample standard deviation (n − 1 divisor); 0 for fewer than two samples.
  public var standardDeviation: Double
  public var confidenceLow: Double
  public var confidenceHigh: Double
  public var minimum: Double
  public var maximum: Double

  public init(_ samples: [Double]) {
    count = samples.count
    guard !samples.isEmpty else {
      mean = .nan
      standardDeviation = .nan
      confidenceLow = .nan
      confidenceHigh = .nan
      minimum = .nan
      maximum = .nan
      return
    }
    let n = Double(samples.count)
    mean = samples.reduce(0, +) / n
    minimum = samples.min() ?? .nan
    maximum = samples.max() ?? .nan
    if samples.count < 2 {
      standardDeviation = 0
      confidenceLow = mean
      confidenceHigh = mean
      return
    }
    let m = mean
    let variance = samples.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)
    standardDeviation = variance.squareRoot()
    let half = Self.studentT975(degreesOfFreedom: samples.count - 1) * standardDeviation / n.squareRoot()
    confidenceLow = mean - half
    confidenceHigh = mean + half
  }

  /// Half the width of the 95 % interval.
  public var confidenceHalfWidth: Double { (confidenceHigh - confidenceLow) / 2 }

  /// The 0.975 quantile of Student's t distribution with ν degrees of freedom
  /// (table: Abramowitz & Stegun, *Handbook of Mathematical Functions*, Table 26.10).
  public static func studentT975(degreesOfFreedom nu: Int) -> Double {
    let table: [Double] = [
      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
      2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
      2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ]
    if nu >= 1 && nu <= table.count { return table[nu - 1] }
    guard nu > 0 else { return .nan }
    // Cornish–Fisher expansion around z = 1.959964 (A&S 26.7.5), accurate to 1e-3 for ν > 30.
    let z = 1.959964, v = Double(nu)
    let g1 = (pow(z, 3) + z) / 4
    let g2 = (5 * pow(z, 5) + 16 * pow(z, 3) + 3 * z) / 96
    return z + g1 / v + g2 / (v * v)
  }
}
