import Foundation
import HybrixCore
import Yams

/// Writes an architecture back to YAML in the loader's format, so specs survive a round trip and
/// a preset can be printed, copied and edited.
public enum ArchitectureWriter {
  struct Document: Encodable {
    var version = 1
    var name: String
    var description: String
    var tiers: [TierBox]
    var memory: MemorySpec
    var links: [LinkSpec]
  }

  struct TierBox: Encodable {
    var spec: any TierSpec
    func encode(to encoder: any Encoder) throws { try spec.encode(to: encoder) }
  }

  public static func yaml(_ a: Architecture) throws -> String {
    let doc = Document(
      name: a.name, description: a.description, tiers: a.tiers.map { TierBox(spec: $0.spec) },
      memory: a.memory, links: a.links)
    return try encoder.encode(doc)
  }

  /// Unicode kept as is (µ, ×, ²), long source strings not folded.
  static var encoder: YAMLEncoder {
    let e = YAMLEncoder()
    e.options.allowUnicode = true
    e.options.width = -1
    return e
  }
}
