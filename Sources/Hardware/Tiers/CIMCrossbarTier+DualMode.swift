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
}

extension CIMCrossbarTier: ModeSwitching {
  public var isDualMode: Bool { spec.dualMode }
  public var switchCycles: Double { Double(spec.switchCycles) }
  public var memoryArrayBytes: Double { arrayBytes }
  public var arrayCount: Int { spec.common.count }
}
