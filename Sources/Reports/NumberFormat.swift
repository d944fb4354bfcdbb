import Foundation
import HybrixCore

/// Number formats shared by every terminal report, so tables line up the same way everywhere.
public enum NumberFormat {
  /// A count with an SI suffix and 3 significant digits: `4.09 G`, `25.6 M`, `512`.
  public static func count(_ n: Int) -> String { count(Double(n)) }

  public static func count(_ v: Double) -> String {
    let suffixes: [(Double, String)] = [(1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]
    for (scale, suffix) in suffixes where abs(v) >= scale * 0.9995 {
      return "\(formatSignificant(v / scale, digits: 3)) \(suffix)"
    }
    return v == v.rounded() ? String(Int(v)) : formatSignificant(v, digits: 3)
  }

  /// Bytes with a decimal prefix: `6.74 GB`, `512 B`.
  public static func bytes(_ n: Int) -> String {
    DataSize.bytes(Double(n)).formatted(significantDigits: 3)
  }

  /// A plain decimal with `digits` significant digits (`1.998`, `77.2`).
  public static func decimal(_ v: Double, digits: Int = 3) -> String {
    formatSignificant(v, digits: digits)
  }

  /// A shape as `1×3×224×224`.
  public static func shape(_ dims: [Int]) -> String {
    dims.isEmpty ? "scalar" : dims.map(String.init).joined(separator: "×")
  }
}
