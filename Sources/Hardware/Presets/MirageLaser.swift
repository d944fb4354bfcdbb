import Foundation
import HybrixCore

/// The laser power of a Mirage core, derived as the paper does: the light reaching each
/// photodetector must give a signal-to-noise ratio above the modulus m (shot and thermal noise),
/// after every loss on the path, with twice the power for the I/Q read-out, divided by the
/// laser's wall-plug efficiency [Demirkiran et al., ISCA 2024, arXiv 2311.17323v2 §IV-C, §V-B;
/// papers.md §7.1]. Nothing here is a pasted result: every figure is computed from the
/// parameters, each sourced or marked assumed.
public struct MirageLaser: Sendable, Hashable {
  public static let paper = "Demirkiran et al., Mirage, ISCA 2024 (arXiv 2311.17323v2)"

  /// Photodetector responsivity (A/W).
  public var responsivityAmperesPerWatt = SourcedValue(1.1, source: "\(paper) §V-B: photodetector 1.1 A/W")
  /// Laser wall-plug efficiency (electrical → optical).
  public var wallPlugEfficiency = SourcedValue(0.2, source: "\(paper) §V-B: laser wall-plug efficiency 20 %")
  /// Phase-shifter propagation loss (dB/mm).
  public var shifterLossDBPerMillimetre = SourcedValue(1.6, source: "\(paper) §IV-C: NOEMS phase shifter, 1.6 dB/mm")
  /// Total shifter length of one MMU for the largest modulus (mm) and that modulus.
  public var shifterLengthMillimetres = SourcedValue(0.57, source: "\(paper) §IV-C: total shifter length 0.57 mm for m = 33")
  public var shifterLengthModulus = 33
  /// Bends per MMU and loss per bend (dB).
  public var bendsPerMMU = SourcedValue(
    2, source: "assumed: light enters and leaves each MMU's segment row by one bend each", assumed: true)
  public var bendLossDB = SourcedValue(0.01, source: "\(paper) §V-B: bend 0.01 dB")
  /// Coupler loss (dB), once per path (laser into the chip).
  public var couplerLossDB = SourcedValue(0.2, source: "\(paper) §V-B: coupler 0.2 dB")
  /// MRR drop-port passes per path and their loss (dB).
  public var mrrPassesPerPath = SourcedValue(
    1,
    source: "assumed: one MRR drop per path (the read-out switch); the bit-routing MRRs are counted at their through-port loss, taken as 0. Counting two 0.2 dB drops per bit of every MMU (6 bits × 16 MMUs) would add 38 dB, a kW-class laser, against the paper's laser share of 14.4 % of 19.95 W",
    assumed: true)
  public var mrrLossDB = SourcedValue(0.2, source: "\(paper) §IV-C: MRR radius 10 µm, 0.2 dB")
  /// Load (TIA feedback) resistance setting the thermal noise (Ω).
  public var loadOhms = SourcedValue(
    1000.0, source: "assumed: 1 kΩ TIA feedback resistance, usual for 10 GHz-class receivers (thermal noise 4 pA/√Hz)",
    assumed: true)
  public var temperatureKelvin = SourcedValue(300.0, source: "assumed: room temperature", assumed: true)
  /// Noise bandwidth as a fraction of the clock (Nyquist: ½).
  public var bandwidthPerClock = SourcedValue(0.5, source: "assumed: Nyquist bandwidth f/2 of the 10 GHz read-out", assumed: true)
  /// Read-outs per dot-product unit: the paper's I/Q read-out needs twice the laser power.
  public var readoutFactor = SourcedValue(2.0, source: "\(paper) §IV: I/Q phase read-out with 2 photodetectors, twice the laser power")

  public init() {}

  static let electronCharge = 1.602_176_634e-19  // C
  static let boltzmann = 1.380_649e-23  // J/K

  /// ⌈log₂ m⌉: bits of a residue of modulus m.
  static func bits(_ m: Int) -> Int { m < 2 ? 1 : (m - 1).bitWidth - (m - 1).leadingZeroBitCount }

  /// Shifter length of one MMU for modulus m (mm): binary-weighted segments 2^j·L for the
  /// ⌈log₂ m⌉ bits of x, so (2^b − 1)·L, scaled from the paper's 0.57 mm at m = 33.
  public func shifterMillimetres(modulus m: Int) -> Double {
    let b = Double(Self.bits(m))
    let ref = Double(Self.bits(shifterLengthModulus))
    return shifterLengthMillimetres.value * (pow(2, b) - 1) / (pow(2, ref) - 1)
  }

  /// Loss (dB) of one dot-product path of `group` cascaded MMUs at modulus m.
  public func pathLossDB(modulus m: Int, group: Int) -> Double {
    let perMMU = shifterMillimetres(modulus: m) * shifterLossDBPerMillimetre.value
      + Double(bendsPerMMU.value) * bendLossDB.value
    return couplerLossDB.value + Double(group) * perMMU + Double(mrrPassesPerPath.value) * mrrLossDB.value
  }

  /// Photocurrent (A) at which I / √(2qIB + 4kTB/R) = m: the root of
  /// I² − m²·2qB·I − m²·4kTB/R = 0.
  public func detectorCurrentAmperes(snr m: Double, clock: Frequency) -> Double {
    let bw = clock.hertz * bandwidthPerClock.value
    let shot = 2 * Self.electronCharge * bw
    let thermal = 4 * Self.boltzmann * temperatureKelvin.value * bw / loadOhms.value
    let b = m * m * shot
    return (b + (b * b + 4 * m * m * thermal).squareRoot()) / 2
  }

  /// Optical power (W) at one detector for modulus m.
  public func detectorWatts(modulus m: Int, clock: Frequency) -> Double {
    detectorCurrentAmperes(snr: Double(m), clock: clock) / responsivityAmperesPerWatt.value
  }

  /// Electrical laser power (W) of `pathsPerModulus` dot-product paths per modulus.
  public func electricalWatts(moduli: [Int], group: Int, pathsPerModulus: Int, clock: Frequency) -> Double {
    let optical = moduli.reduce(0.0) { sum, m in
      sum + detectorWatts(modulus: m, clock: clock) * pow(10, pathLossDB(modulus: m, group: group) / 10)
    }
    return optical * Double(pathsPerModulus) * readoutFactor.value / wallPlugEfficiency.value
  }

  /// A one-line account of the derivation for the preset's source string.
  public func derivation(moduli: [Int], group: Int, pathsPerModulus: Int, clock: Frequency) -> String {
    let parts = moduli.map { m in
      "m=\(m): \(formatSignificant(detectorWatts(modulus: m, clock: clock) * 1e6, digits: 3)) µW at the detector, "
        + "\(formatSignificant(pathLossDB(modulus: m, group: group), digits: 3)) dB path loss"
    }
    let w = electricalWatts(moduli: moduli, group: group, pathsPerModulus: pathsPerModulus, clock: clock)
    return "derived (MirageLaser): detector SNR > m with shot + thermal noise (\(parts.joined(separator: "; "))), "
      + "× \(pathsPerModulus) paths per modulus × \(formatSignificant(readoutFactor.value, digits: 2)) (I/Q) ÷ "
      + "\(formatSignificant(wallPlugEfficiency.value, digits: 2)) wall-plug = \(formatSignificant(w, digits: 4)) W; "
      + "device numbers from \(Self.paper) §IV-C, §V-B"
  }
}
