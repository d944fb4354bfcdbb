import Foundation
import Hardware
import HybrixCore
import Testing
import Workloads

@testable import Mapping

/// Helpers of the bad-input suites: read or plan a damaged file and check its one error.
protocol MappingFileErrorChecks {}

extension MappingFileErrorChecks {
  /// Checks one error: its file, its exact path, and words of its expectation and hint.
  func check(
    _ e: ConfigError?, file: String, path: String?, expected: String, message: String = "",
    hint: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    guard let e else {
      Issue.record(
        "no error (expected one at \(path ?? "the file"))", sourceLocation: sourceLocation)
      return
    }
    #expect(e.file == file, sourceLocation: sourceLocation)
    #expect(e.path == path, "\(e)", sourceLocation: sourceLocation)
    #expect(e.expected?.contains(expected) == true, "\(e)", sourceLocation: sourceLocation)
    // (`contains("")` is false for Foundation strings: empty words are not checked.)
    if !message.isEmpty {
      #expect(e.message.contains(message), "\(e)", sourceLocation: sourceLocation)
    }
    #expect(
      e.hint.map { hint.isEmpty || $0.contains(hint) } == true, "\(e)",
      sourceLocation: sourceLocation)
    if let path { #expect(e.description.contains(path), sourceLocation: sourceLocation) }
  }

  /// The error of reading `text` as a mapping, with the temporary file's path.
  func readError(_ text: String) -> (String, ConfigError?) {
    let (path, result) = MappingFileFixture.read(text)
    if case .failure(let e) = result { return (path, e) }
    return (path, nil)
  }

  /// The golden text with the first occurrence of `old` replaced by `new`.
  func edited(_ old: String, _ new: String) throws -> String {
    let text = try MappingFileFixture.file().encoded()
    let range = try #require(text.range(of: old), "\(old) not in the file")
    return text.replacingCharacters(in: range, with: new)
  }

  /// The error of making the plan of `file` (written and read back) for `graph` on `arch`.
  func planError(
    _ file: MappingFile, graph: Graph? = nil, arch: Architecture? = nil,
    lowering: MappingFile.Lowering? = nil
  ) throws -> (String, ConfigError?) {
    let path = MappingFileFixture.temporaryPath()
    try file.write(file: path)
    let g = try graph ?? MappingFileFixture.lenet5()
    let a = try arch ?? MappingFileFixture.h3pimap()
    do throws(ConfigError) {
      let read = try MappingFile.read(file: path)
      _ = try read.plan(for: g, architecture: a, file: path, lowering: lowering)
      return (path, nil)
    } catch {
      return (path, error)
    }
  }
}
