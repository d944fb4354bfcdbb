import HybrixCore

/// Every tier type Hybrix knows. A new tier is one file and one entry here; the conformance tests
/// run over this list.
public enum TierRegistry {
  public static let all: [any HardwareTier.Type] = [
    SystolicArrayTier.self,
    CIMCrossbarTier.self, AnalogTileTier.self,
    PhotonicCoreTier.self, RNSPhotonicCoreTier.self,
  ]

  /// The tier type for `kind`.
  public static func type(for kind: TierKind) -> (any HardwareTier.Type)? {
    all.first { $0.kind == kind }
  }
}
