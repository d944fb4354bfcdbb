import Foundation
import Hardware
import HybrixCore
import Mapping

extension MapReport {
  /// Reads the operator placements of a `hybrix map --json` file (schema `hybrix.map` v1) as
  /// assignments onto `architecture`'s tiers, for accuracy runs of a saved mapping.
  ///
  /// - Throws: ``ConfigError`` naming the file when it is not such a report, was made for
  ///   another architecture (a tier id it names is not in `architecture`), or has bad shares.
  ///
  /// - Important: Deprecated. A report's rows lose each operator's split axis (every share comes
  ///   back on `n`) and the order of its shares. Read a saved mapping instead:
  ///   `MappingFile.read(file:)` then `assignments(architecture:file:)` (or
  ///   `plan(for:architecture:file:lowering:)`). Kept until `hybrix accuracy` reads
  ///   `hybrix.mapping` files; then delete this file.
  public static func assignments(file path: String, architecture: Architecture) throws(ConfigError) -> [OperatorAssignment] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ConfigError(
        file: path, message: "cannot be read", expected: "a mapping written by `hybrix map --json`",
        hint: "write one with `hybrix map MODEL --arch ARCH --json > mapping.json`, or pass a strategy name")
    }
    struct Header: Decodable { var schema: String?; var schemaVersion: Int? }
    struct Row: Decodable { var name: String; var shares: [String: Double] }
    struct Body: Decodable { var operators: [Row]; var architecture: ArchitectureInfo }
    let header: Header
    do { header = try JSONDecoder().decode(Header.self, from: data) } catch {
      throw ConfigError(file: path, message: "is not JSON", expected: "a `hybrix map --json` report")
    }
    guard header.schema == schemaName, header.schemaVersion == schemaVersion else {
      throw ConfigError(
        file: path, path: "schema", message: "\(header.schema ?? "no schema") v\(header.schemaVersion ?? 0)",
        expected: "\(schemaName) v\(schemaVersion)", hint: "write it with `hybrix map MODEL --json`")
    }
    let body: Body
    do { body = try JSONDecoder().decode(Body.self, from: data) } catch {
      throw ConfigError(file: path, path: "operators", message: "unreadable: \(error)", expected: "name and shares per operator")
    }
    let ids = architecture.tiers.map(\.id)
    var out: [OperatorAssignment] = []
    for (i, row) in body.operators.enumerated() {
      var shares: [TierShare] = []
      for (tier, fraction) in row.shares.sorted(by: { $0.key < $1.key }) {
        guard let index = ids.firstIndex(of: tier) else {
          throw ConfigError(
            file: path, path: "operators[\(i)](\(row.name)).shares.\(tier)", message: "tier \(tier) is not in \(architecture.name)",
            expected: "one of \(ids.joined(separator: ", "))",
            hint: "the mapping was made for architecture \(body.architecture.name); pass --arch \(body.architecture.name)")
        }
        guard fraction > 0, fraction <= 1 else {
          throw ConfigError(file: path, path: "operators[\(i)](\(row.name)).shares.\(tier)", message: "\(fraction)", expected: "a fraction in (0, 1]")
        }
        shares.append(TierShare(tier: index, fraction: fraction))
      }
      let total = shares.reduce(0) { $0 + $1.fraction }
      guard !shares.isEmpty, abs(total - 1) < 1e-6 else {
        throw ConfigError(file: path, path: "operators[\(i)](\(row.name)).shares", message: "fractions add up to \(total)", expected: "1")
      }
      out.append(OperatorAssignment(name: row.name, shares: shares))
    }
    return out
  }
}
