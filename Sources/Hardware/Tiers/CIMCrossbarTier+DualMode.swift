import HybrixCore

/// A tier whose arrays can switch between compute and memory mode (CMSwitch's DEHA): what a
/// segment boundary costs on it. The cost model asks a tier for this capability instead of
/// testing its type.
public protocol ModeSwitching: HardwareTier {
  /// Whether any array can be put in memory mode.
  var isDualMode: Bool { get }
  /// Cycles to switch one array's mode, either direction (CMSwitch's L_M→C = L_C→M).
  var switchCycles: Double { get }
  /// Bytes one array holds in memory mode.
  var memoryArrayBytes: Double { get }
  /// Arrays of the tier.
  var arrayCount: Int { get }
  /// Arrays the weights of matrix `work` occupy when each holds one copy (the count that runs
  /// in `⌈arrays / compute arrays⌉` rounds when it exceeds them); `nil` for other work. The
  /// one rule the tier prices with and CMSwitch's operator splitting sizes parts by.
  func weightArrays(_ work: TileWork) -> Double?
}

extension CIMCrossbarTier: ModeSwitching {
  public var isDualMode: Bool { spec.dualMode }
  public var switchCycles: Double { Double(spec.switchCycles) }
  public var memoryArrayBytes: Double { arrayBytes }
  public var arrayCount: Int { spec.common.count }

  public func weightArrays(_ work: TileWork) -> Double? {
    guard work.kind == .matrix else { return nil }
    return arrayLayout(work).arrays
  }

  /// How matrix `work`'s weights lie on the arrays: `⌈k / rows⌉` row stripes times
  /// `⌈n · s / cols⌉` column tiles per batch element, `s = ⌈weight_bits / cell_bits⌉`.
  func arrayLayout(_ work: TileWork) -> (slices: Double, colTiles: Double, arrays: Double) {
    let slices = Double((max(1, work.weightBits) + cellBits - 1) / cellBits)
    let colTiles = (work.n * slices / cols).rounded(.up)
    return (slices, colTiles, work.batch * (work.k / rows).rounded(.up) * colTiles)
  }
}
