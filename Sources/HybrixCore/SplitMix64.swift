import Foundation

/// A fast, seedable 64-bit random number generator (Steele, Lea & Flood, OOPSLA 2014).
///
/// Every random process in Hybrix takes one of these (or `some RandomNumberGenerator`), so the same
/// seed gives the same result bit for bit on every machine. Parallel tasks derive their own stream
/// with ``split(taskIndex:)`` instead of sharing one generator.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
  public private(set) var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// An independent generator for task `taskIndex` of a run seeded with this generator's seed.
  public func split(taskIndex: UInt64) -> SplitMix64 {
    var mixer = SplitMix64(seed: state ^ (taskIndex &* 0xD1B5_4A32_D192_ED03))
    return SplitMix64(seed: mixer.next())
  }

  /// A uniform `Double` in [0, 1) with 53 random bits.
  public mutating func nextUnitDouble() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A standard normal draw (Box–Muller; one of the pair is discarded for simplicity).
  public mutating func nextGaussian() -> Double {
    var u1 = nextUnitDouble()
    while u1 <= .leastNormalMagnitude { u1 = nextUnitDouble() }
    let u2 = nextUnitDouble()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }
}
