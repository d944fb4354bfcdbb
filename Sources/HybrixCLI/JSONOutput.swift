import Foundation
import Reports

/// JSON as every `--json` flag writes it: pretty, keys sorted, so output is stable across runs
/// (``ReportJSON``, which the sweep store uses too).
enum JSONOutput {
  static func encode(_ value: some Encodable) throws -> String { try ReportJSON.encode(value) }
}
