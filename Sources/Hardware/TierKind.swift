/// The families of compute tier Hybrix models, written in YAML as `kind:`.
public enum TierKind: String, Codable, Sendable, CaseIterable {
  /// Systolic or SIMD array of digital MAC units.
  case digital
  /// SRAM or ReRAM compute-in-memory crossbars (optionally dual-mode: compute or memory).
  case cim
  /// Analog in-memory tiles of PCM devices driven by a digital host (LionHeart/ALPINE).
  case analog
  /// Dot-product photonic tensor core (SimPhony's Lightening-Transformer).
  case photonic
  /// Residue-number-system photonic core (Mirage).
  case rnsPhotonic = "rns-photonic"
}
