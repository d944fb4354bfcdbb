/// Energy, in joules. Written in files as `"0.45 pJ"`.
public struct Energy: Quantity {
  public var baseValue: Double
  public init(baseValue: Double) { self.baseValue = baseValue }
  public static let dimension = "energy"
  public static let units: [(symbol: String, factor: Double)] = [
    ("pJ", 1e-12), ("fJ", 1e-15), ("aJ", 1e-18), ("nJ", 1e-9), ("uJ", 1e-6), ("µJ", 1e-6),
    ("mJ", 1e-3), ("J", 1),
  ]
  public static let displayUnits: [(symbol: String, factor: Double)] = [
    ("aJ", 1e-18), ("fJ", 1e-15), ("pJ", 1e-12), ("nJ", 1e-9), ("µJ", 1e-6), ("mJ", 1e-3), ("J", 1),
  ]
  public static func joules(_ v: Double) -> Energy { Energy(baseValue: v) }
  public static func picojoules(_ v: Double) -> Energy { Energy(baseValue: v * 1e-12) }
  public var joules: Double { baseValue }
  public var picojoules: Double { baseValue * 1e12 }
}

/// A time span, in seconds. Written in files as `"130 ns"`. (Named `Time` because the standard
/// library already has `Duration`.)
public struct Time: Quantity {
  public var baseValue: Double
  public init(baseValue: Double) { self.baseValue = baseValue }
  public static let dimension = "time"
  public static let units: [(symbol: String, factor: Double)] = [
    ("ns", 1e-9), ("ps", 1e-12), ("fs", 1e-15), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1),
    ("min", 60), ("h", 3600), ("d", 86400), ("y", 365.25 * 86400),
  ]
  public static let displayUnits: [(symbol: String, factor: Double)] = [
    ("fs", 1e-15), ("ps", 1e-12), ("ns", 1e-9), ("µs", 1e-6), ("ms", 1e-3), ("s", 1),
  ]
  public static func seconds(_ v: Double) -> Time { Time(baseValue: v) }
  public static func nanoseconds(_ v: Double) -> Time { Time(baseValue: v * 1e-9) }
  public var seconds: Double { baseValue }
}

/// Power, in watts. Written in files as `"5 mW"`.
public struct Power: Quantity {
  public var baseValue: Double
  public init(baseValue: Double) { self.baseValue = baseValue }
  public static let dimension = "power"
  public static let units: [(symbol: String, factor: Double)] = [
    ("mW", 1e-3), ("uW", 1e-6), ("µW", 1e-6), ("nW", 1e-9), ("pW", 1e-12), ("W", 1), ("kW", 1e3),
  ]
  public static let displayUnits: [(symbol: String, factor: Double)] = [
    ("pW", 1e-12), ("nW", 1e-9), ("µW", 1e-6), ("mW", 1e-3), ("W", 1), ("kW", 1e3),
  ]
  public static func watts(_ v: Double) -> Power { Power(baseValue: v) }
  public var watts: Double { baseValue }
  public static func * (p: Power, t: Time) -> Energy { Energy(baseValue: p.baseValue * t.baseValue) }
}

/// Area, in square metres. Written in files as `"0.12 mm^2"` or `"350 um2"`.
public struct Area: Quantity {
  public var baseValue: Double
  public init(baseValue: Double) { self.baseValue = baseValue }
  public static let dimension = "area"
  public static let units: [(symbol: String, factor: Double)] = [
    ("mm^2", 1e-6), ("mm2", 1e-6), ("um^2", 1e-12), ("um2", 1e-12), ("µm^2", 1e-12), ("µm²", 1e-12),
    ("mm²", 1e-6), ("nm^2", 1e-18), ("cm^2", 1e-4), ("cm²", 1e-4), ("m^2", 1), ("m²", 1),
  ]
  public static let displayUnits: [(symbol: String, factor: Double)] = [
    ("µm²", 1e-12), ("mm²", 1e-6), ("cm²", 1e-4), ("m²", 1),
  ]
  public static func squareMillimetres(_ v: Double) -> Area { Area(baseValue: v * 1e-6) }
  public var squareMillimetres: Double { baseValue * 1e6 }
}

/// An amount of data, in bytes. Decimal (`kB`, `MB`, `GB`) and binary (`KiB`, `MiB`, `GiB`)
/// prefixes are both accepted; `KB` is read as 1024 bytes, as in memory datasheets.
/// `b`/`bit` units are bits.
public struct DataSize: Quantity {
  public var baseValue: Double
  public init(baseValue: Double) { self.baseValue = baseValue }
  public static let dimension = "data size"
  public static let units: [(symbol: String, factor: Double)] = [
    ("B", 1), ("kB", 1e3), ("KB", 1024), ("KiB", 1024), ("MB", 1e6), ("MiB", 1_048_576),
    ("GB", 1e9), ("GiB", 1_073_741_824), ("TB", 1e12), ("bit", 0.125), ("b", 0.125),
    ("kbit", 125), ("Mbit", 125_000), ("Kb", 128), ("Mb", 131_072),
  ]
  public static let displayUnits: [(symbol: String, factor: Double)] = [
    ("B", 1), ("kB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12),
  ]
  public static func bytes(_ v: Double) -> DataSize { DataSize(baseValue: v) }
  public var bytes: Double { baseValue }
}

/// A data rate, in bytes per second. Written in files as `"64 GB/s"` or `"32 Gb/s"` (bits).
public struct Bandwidth: Quantity {
  public var baseValue: Double
  public init(baseValue: Double) { self.baseValue = baseValue }
  public static let dimension = "bandwidth"
  public static let units: [(symbol: String, factor: Double)] = [
    ("GB/s", 1e9), ("B/s", 1), ("kB/s", 1e3), ("MB/s", 1e6), ("TB/s", 1e12), ("GiB/s", 1_073_741_824),
    ("b/s", 0.125), ("kb/s", 125), ("Mb/s", 125e3), ("Gb/s", 125e6), ("Tb/s", 125e9),
    ("bit/s", 0.125), ("Gbit/s", 125e6),
  ]
  public static let displayUnits: [(symbol: String, factor: Double)] = [
    ("B/s", 1), ("kB/s", 1e3), ("MB/s", 1e6), ("GB/s", 1e9), ("TB/s", 1e12),
  ]
  public static func bytesPerSecond(_ v: Double) -> Bandwidth { Bandwidth(baseValue: v) }
  public var bytesPerSecond: Double { baseValue }
  /// Time to move `size` at this rate.
  public func time(toMove size: DataSize) -> Time { Time(baseValue: size.baseValue / baseValue) }
}

/// A frequency, in hertz. Written in files as `"1 GHz"`.
public struct Frequency: Quantity {
  public var baseValue: Double
  public init(baseValue: Double) { self.baseValue = baseValue }
  public static let dimension = "frequency"
  public static let units: [(symbol: String, factor: Double)] = [
    ("GHz", 1e9), ("MHz", 1e6), ("kHz", 1e3), ("Hz", 1), ("THz", 1e12),
  ]
  public static let displayUnits: [(symbol: String, factor: Double)] = [
    ("Hz", 1), ("kHz", 1e3), ("MHz", 1e6), ("GHz", 1e9), ("THz", 1e12),
  ]
  public static func gigahertz(_ v: Double) -> Frequency { Frequency(baseValue: v * 1e9) }
  public var hertz: Double { baseValue }
  /// One clock period.
  public var period: Time { Time(baseValue: 1 / baseValue) }
}

/// An electrical conductance, in siemens. Written in files as `"25 uS"`.
public struct Conductance: Quantity {
  public var baseValue: Double
  public init(baseValue: Double) { self.baseValue = baseValue }
  public static let dimension = "conductance"
  public static let units: [(symbol: String, factor: Double)] = [
    ("uS", 1e-6), ("µS", 1e-6), ("nS", 1e-9), ("mS", 1e-3), ("S", 1),
  ]
  public static let displayUnits: [(symbol: String, factor: Double)] = [
    ("nS", 1e-9), ("µS", 1e-6), ("mS", 1e-3), ("S", 1),
  ]
  public static func microsiemens(_ v: Double) -> Conductance { Conductance(baseValue: v * 1e-6) }
  public var microsiemens: Double { baseValue * 1e6 }
}

/// Energy per bit or per byte, as links and memories are priced: `"1.2 pJ/bit"`, `"20 pJ/B"`.
/// Stored in joules per byte.
public struct EnergyPerData: Quantity {
  public var baseValue: Double
  public init(baseValue: Double) { self.baseValue = baseValue }
  public static let dimension = "energy per data"
  public static let units: [(symbol: String, factor: Double)] = [
    ("pJ/bit", 8e-12), ("pJ/b", 8e-12), ("pJ/B", 1e-12), ("pJ/byte", 1e-12), ("fJ/bit", 8e-15),
    ("fJ/b", 8e-15), ("fJ/B", 1e-15), ("nJ/B", 1e-9), ("J/B", 1),
  ]
  public static let displayUnits: [(symbol: String, factor: Double)] = [
    ("fJ/B", 1e-15), ("pJ/B", 1e-12), ("nJ/B", 1e-9), ("J/B", 1),
  ]
  public static func * (e: EnergyPerData, d: DataSize) -> Energy {
    Energy(baseValue: e.baseValue * d.baseValue)
  }
}

/// Every quantity type, so a parser can say which dimension a misplaced unit belongs to.
public enum QuantityKinds {
  public static let all: [any Quantity.Type] = [
    Energy.self, Time.self, Power.self, Area.self, DataSize.self, Bandwidth.self, Frequency.self,
    Conductance.self, EnergyPerData.self,
  ]

  /// The dimension that `unit` measures, if any quantity knows it.
  public static func dimension(ofUnit unit: String) -> String? {
    for kind in all where kind.units.contains(where: { $0.symbol == unit }) {
      return kind.dimension
    }
    return nil
  }
}
