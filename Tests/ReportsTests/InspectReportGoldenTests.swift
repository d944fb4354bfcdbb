import Foundation
import HybrixCore
import Reports
import Testing
import Workloads

/// Golden files for the inspect report: `RECORD_SNAPSHOTS=1 swift test` rewrites them (and fails
/// that run, so a re-record is never silent).
@Suite struct InspectReportGoldenTests {
  static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Snapshots")

  func assertGolden(_ text: String, _ name: String) throws {
    let url = Self.snapshots.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil {
      try FileManager.default.createDirectory(at: Self.snapshots, withIntermediateDirectories: true)
      try text.write(to: url, atomically: true, encoding: .utf8)
      Issue.record("recorded \(name); run again without RECORD_SNAPSHOTS")
      return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(text == expected, "\(name) differs; if the change is intended, re-record with RECORD_SNAPSHOTS=1")
  }

  @Test func resnet20Text() throws {
    let g = try ModelZoo.model(named: "resnet20").graph()
    let report = InspectReport(graph: g, precision: .int8, source: "zoo", path: nil)
    try assertGolden(report.renderText() + "\n", "inspect-resnet20.txt")
  }

  @Test func gpt2DecodeJSON() throws {
    let g = try ModelZoo.model(named: "gpt2").graph(ZooOptions(sequenceLength: 64, phase: .decode))
    let report = InspectReport(graph: g, precision: .fp16, source: "zoo", path: nil)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    var text = String(decoding: try encoder.encode(report), as: UTF8.self)
    // The tool version is not part of the snapshot.
    text = text.replacingOccurrences(of: "\"\(HybrixVersion.current)\"", with: "\"VERSION\"")
    try assertGolden(text + "\n", "inspect-gpt2-decode.json")
  }

  @Test func jsonRoundTrips() throws {
    let g = try ModelZoo.model(named: "resnet18").graph(ZooOptions(phase: .train))
    let report = InspectReport(graph: g, precision: .fp32, source: "zoo", path: nil)
    let data = try JSONEncoder().encode(report)
    let header = try JSONDecoder().decode(ReportHeader.self, from: data)
    #expect(header.schema == InspectReport.schemaName && header.schemaVersion == 1)
    #expect(try JSONDecoder().decode(InspectReport.self, from: data) == report)
  }
}
