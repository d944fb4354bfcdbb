import Foundation
import HybrixCore
import Testing

@testable import Workloads

/// Loads every model of Debian's `libonnx-testdata` (ONNX's own node tests, PyTorch-converted
/// modules and operators, and simple models: 1072 files), binding every symbolic dimension to 2.
///
/// Each model must load, possibly with unsupported operators named in a warning, and every shape
/// Hybrix infers must equal the shape the file declares for that value. Errors are allowed only
/// for files Hybrix rejects by design, counted per category:
/// - `zero-size input` (9 files): a graph input with a dimension of 0 (empty `axes` inputs of
///   the ReduceSum tests, `test_reshape_allowzero_reordered`, `test_split_zero_size_splits`,
///   `test_tril_zero`, `test_triu_zero`); Hybrix needs every input dimension ≥ 1.
///
/// Warnings other than unsupported operators are expected for two kinds of file, not counted as
/// failures: shapes that depend on run-time values (Range or ConstantOfShape of a graph input,
/// Split or ReduceSum sizes given as graph inputs), whose declared shapes are used instead, and
/// sequence, optional and control-flow values (Sequence*, Loop, If), which have no tensor shape.
@Suite struct ONNXConformanceTests {
  static let root = "/usr/share/libonnx-testdata/data"
  static let present = FileManager.default.fileExists(atPath: root)
  static let onCI = ProcessInfo.processInfo.environment["CI"] != nil

  /// Expected counts of rejected files, by category.
  static let allowedErrors: [String: Int] = ["zero-size input": 9]

  static func models() -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
    var paths: [String] = []
    while let relative = walker.nextObject() as? String {
      if relative.hasSuffix("/model.onnx") { paths.append(root + "/" + relative) }
    }
    return paths.sorted()
  }

  /// The category of an error that is about the file, or `nil` for an importer failure.
  static func category(_ error: ConfigError) -> String? {
    if error.path?.hasPrefix("graph.input[") == true, error.expected == "a positive size",
      error.message == "dimension 0"
    {
      return "zero-size input"
    }
    return nil
  }

  @Test(
    .enabled(
      if: present || onCI,
      "libonnx-testdata is not installed here (apt-get install libonnx-testdata); CI requires it"))
  func everyModelLoadsOrNamesItsUnsupportedOperators() throws {
    guard Self.present else {
      Issue.record(
        "\(Self.root) is missing: run `apt-get install libonnx-testdata` (scripts/install-deps test)")
      return
    }
    let paths = Self.models()
    #expect(paths.count == 1072)
    var loaded = 0
    var withUnsupported = 0
    var errors: [String: Int] = [:]
    var failures: [String] = []
    for path in paths {
      let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
      let name = path.dropFirst(Self.root.count + 1).replacingOccurrences(of: "/model.onnx", with: "")
      do {
        var bindings: [String: Int] = [:]
        for dim in try ONNXImporter.symbolicDimensions(data: data, fileName: name) { bindings[dim] = 2 }
        let result = try ONNXImporter.load(data: data, fileName: name, bindings: bindings)
        if result.warnings.contains(where: { $0.hasPrefix("unsupported operators kept as 'other': ") }) {
          withUnsupported += 1
        } else {
          loaded += 1
        }
        // Every operator kept as `other` is named in a warning.
        let named = result.warnings.joined(separator: "\n")
        for type in result.graph.unsupportedOperatorTypes.keys where !named.contains("\(type) ×") {
          failures.append("\(name): \(type) kept as 'other' without a warning")
        }
        for w in result.warnings where w.hasPrefix("inferred shapes differ") {
          failures.append("\(name): \(w)")
        }
      } catch {
        if let c = Self.category(error) {
          errors[c, default: 0] += 1
        } else {
          failures.append(error.description)
        }
      }
    }
    let rejected = errors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    print(
      "libonnx-testdata: \(paths.count) models, \(loaded) loaded, \(withUnsupported) loaded with "
        + "unsupported operators, \(errors.values.reduce(0, +)) rejected (\(rejected)), \(failures.count) failures"
    )
    #expect(failures.isEmpty, "\(failures.count) failures:\n\(failures.prefix(20).joined(separator: "\n"))")
    #expect(errors == Self.allowedErrors)
  }
}
