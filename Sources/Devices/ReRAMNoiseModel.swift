import Foundation
import HybrixCore
import HybrixNumerics

/// Weights stored in multi-level ReRAM cells: bit slicing over cells of limited resolution, a
/// conductance window, lognormal device-to-device variation and stuck-at faults.
///
/// Mapping (ISAAC-style bit slicing, Shafiee et al., ISCA 2016): each column of W [k, n] is scaled
/// by its max |w| to a signed integer q = round(w/max|w|·(2^B − 1)) of B = `weightBits` bits; |q|
/// goes to a positive or a negative array (differential pair), split over S = ⌈B/b⌉ cells of
/// b = `cellBits` bits, digit dₛ = (|q| >> b·s) & (2^b − 1). A digit d is programmed to
/// G_T = G_min + d·(G_max − G_min)/(2^b − 1).
///
/// Programming, once per cell, from the caller's seeded generator: with probability p₀ the cell is
/// stuck at G_min (SA0, high-resistance state), else with probability p₁ stuck at G_max (SA1,
/// low-resistance state), else G = G_T·exp(σ·ξ), ξ ~ N(0, 1) (lognormal with median G_T, σ in log
/// space). Read-back inverts the mapping with shift-and-add: d' = (G − G_min)/ΔG, q' = Σₛ 2^(b·s)·
/// (d'₊ₛ − d'₋ₛ), w' = q'·max|w|/(2^B − 1). With σ = p₀ = p₁ = 0 the read-back is exactly the
/// B-bit quantized weight.
///
/// Defaults and sources:
/// - G_max = 1/6 kΩ ≈ 166.7 µS, G_min = G_max/17 ≈ 9.8 µS: DNN+NeuroSim V1.4 Param.cpp
///   (`resistanceOn = 6e3`, `resistanceOff = 6e3*17`);
/// - 2-bit cells: ISAAC (Shafiee et al., ISCA 2016) and PUMA (2-bit ReRAM, papers.md §4.3);
///   8-bit weights: DNN+NeuroSim's default weight precision (`--wl_weight 8`);
/// - σ = 0.1: the conductance-variation example of DNN+NeuroSim's inference script (`--vari`,
///   "e.g. 0.1 standard deviation") [INFERENCE: applied here in log space];
/// - stuck-at rates off by default; measured rates SA0 1.75 %, SA1 9.04 % (Chen et al., "RRAM
///   defect modeling and failure analysis based on march test and a novel squeeze-search scheme",
///   IEEE Trans. Computers 2015) are ``chen2015StuckAtZero``/``chen2015StuckAtOne``.
public struct ReRAMNoiseModel: Sendable, Hashable {
  public var gMin: Double
  public var gMax: Double
  public var variation: Double
  public var stuckAtZeroRate: Double
  public var stuckAtOneRate: Double
  public var weightBits: Int
  public var cellBits: Int

  public static let chen2015StuckAtZero = 0.0175
  public static let chen2015StuckAtOne = 0.0904

  /// - Parameters:
  ///   - gMin, gMax: Conductance window in µS, 0 ≤ gMin < gMax.
  ///   - variation: σ of ln G (dimensionless), ≥ 0.
  ///   - stuckAtZeroRate, stuckAtOneRate: Fault probabilities per cell, sum ≤ 1.
  ///   - weightBits: B, 1...16; cellBits: b, 1...16 (b > B uses one cell).
  public init(
    gMin: Double = 1e6 / (6e3 * 17), gMax: Double = 1e6 / 6e3, variation: Double = 0.1,
    stuckAtZeroRate: Double = 0, stuckAtOneRate: Double = 0, weightBits: Int = 8, cellBits: Int = 2
  ) throws(ConfigError) {
    try Check.nonNegative(gMin, "g_min", unit: " µS")
    guard gMax.isFinite, gMax > gMin else {
      throw ConfigError(path: "g_max", message: "G_max \(gMax) µS is not above G_min \(gMin) µS",
        expected: "G_min < G_max", hint: "NeuroSim's ReRAM: G_min 9.8 µS, G_max 166.7 µS")
    }
    try Check.nonNegative(variation, "variation")
    try Check.probability(stuckAtZeroRate, "stuck_at_zero_rate")
    try Check.probability(stuckAtOneRate, "stuck_at_one_rate")
    guard stuckAtZeroRate + stuckAtOneRate <= 1 else {
      throw ConfigError(path: "stuck_at_one_rate", message: "SA0 + SA1 rates exceed 1",
        expected: "a total fault rate ≤ 1")
    }
    try Check.bits(weightBits, "weight_bits")
    try Check.bits(cellBits, "cell_bits")
    (self.gMin, self.gMax, self.variation) = (gMin, gMax, variation)
    (self.stuckAtZeroRate, self.stuckAtOneRate) = (stuckAtZeroRate, stuckAtOneRate)
    (self.weightBits, self.cellBits) = (weightBits, cellBits)
  }

  /// Cells per weight magnitude, S = ⌈B/b⌉.
  public var slices: Int { (weightBits + cellBits - 1) / cellBits }
  /// Largest digit of one cell, 2^b − 1 (b capped at B).
  public var cellMaxLevel: Int { (1 << min(cellBits, weightBits)) - 1 }
  /// Largest weight magnitude integer, 2^B − 1.
  public var weightMaxLevel: Int { (1 << weightBits) - 1 }

  /// Target conductance of digit `d`, in µS.
  public func targetConductance(level d: Int) -> Double {
    gMin + Double(d) * (gMax - gMin) / Double(cellMaxLevel)
  }

  /// One programmed cell (µS) for target digit `d`: stuck-at draw first, then the lognormal.
  public func programCell(level d: Int, rng: inout SplitMix64) -> Double {
    let u = rng.nextUnitDouble()
    if u < stuckAtZeroRate { return gMin }
    if u < stuckAtZeroRate + stuckAtOneRate { return gMax }
    let g = targetConductance(level: d)
    return variation > 0 ? g * exp(variation * rng.nextGaussian()) : g
  }

  /// The digit value (continuous) that conductance `g` (µS) reads as.
  func digit(_ g: Double) -> Double { (g - gMin) / (gMax - gMin) * Double(cellMaxLevel) }

  /// Weights `w` [k, n] programmed into cells and read back, in the caller's units.
  public func apply(to w: Tensor, rng: inout SplitMix64) -> Tensor {
    precondition(w.rank == 2, "ReRAM weights must be [k, n], got \(w.shape)")
    let (k, n) = (w.shape[0], w.shape[1])
    let scales = w.columnAbsMax()
    let top = Double(weightMaxLevel)
    let mask = cellMaxLevel
    var out = w
    for i in 0..<k {
      for j in 0..<n {
        let s = Double(scales[j])
        guard s > 0 else { out.scalars[i * n + j] = 0; continue }
        let q = Int((Double(w.scalars[i * n + j]) / s * top).rounded(.toNearestOrEven))
        let magnitude = min(abs(q), weightMaxLevel)
        var read = 0.0
        for sign in [1, -1] {
          let held = (q >= 0) == (sign == 1) ? magnitude : 0
          for slice in 0..<slices {
            let d = (held >> (cellBits * slice)) & mask
            let g = programCell(level: d, rng: &rng)
            read += Double(sign) * digit(g) * Double(1 << (cellBits * slice))
          }
        }
        out.scalars[i * n + j] = Float(read * s / top)
      }
    }
    return out
  }
}
