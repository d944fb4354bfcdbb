import Foundation
import HybrixCore
import Mapping

/// `hybrix accuracy --json`, schema `hybrix.accuracy` version 1: the Monte-Carlo test accuracy of
/// a model mapped onto an architecture, at one or more times after programming, beside FP32.
public struct AccuracyReport: Codable, Sendable {
  public static let schemaName = "hybrix.accuracy"
  public static let schemaVersion = 1

  public var schema = AccuracyReport.schemaName
  public var schemaVersion = AccuracyReport.schemaVersion
  public var tool = "hybrix"
  public var toolVersion = HybrixVersion.current
  public var model: String
  /// Where the weights came from (a checkpoint or ONNX path).
  public var weights: String
  public var dataset: String
  public var architecture: String
  /// The strategy that produced the mapping, or the mapping file.
  public var mapping: String
  public var seed: UInt64
  public var repeats: Int
  /// Which GEMM backend ran the exact products, e.g. "OpenBLAS (libopenblas.so.0, 1 thread)".
  public var backend: String
  public var result: AccuracyResult

  public init(
    model: String, weights: String, dataset: String, architecture: String, mapping: String, seed: UInt64,
    repeats: Int, backend: String, result: AccuracyResult
  ) {
    self.model = model
    self.weights = weights
    self.dataset = dataset
    self.architecture = architecture
    self.mapping = mapping
    self.seed = seed
    self.repeats = repeats
    self.backend = backend
    self.result = result
  }

  /// Placement table, then one row per (time, compensation) with mean, SD, 95 % CI and the drop
  /// from FP32, in percentage points.
  public func renderText() -> String {
    var lines: [String] = []
    lines.append("\(model) on \(architecture), mapping \(mapping), \(dataset) test set (\(result.samples) images)")
    lines.append("weights \(weights); seed \(seed), \(repeats) Monte-Carlo repeat\(repeats == 1 ? "" : "s"); \(backend)")
    lines.append("")
    var ops = TextTable([.init("operator"), .init("tiers"), .init("arithmetic")])
    for o in result.operators {
      let tiers = o.tiers.sorted { $0.key < $1.key }.map { $0.value == 1 ? $0.key : "\($0.key) \(percent($0.value))" }
      ops.add([o.name, tiers.joined(separator: ", "), o.arithmetic])
    }
    lines.append(ops.render())
    lines.append("")
    var table = TextTable([
      .init("time"), .init("drift comp."), .init("mean", .right), .init("SD", .right),
      .init("95 % CI", .right), .init("min", .right), .init("max", .right), .init("vs FP32", .right),
    ])
    table.add(["FP32 reference", "-", percent(result.fp32Accuracy), "", "", "", "", ""])
    for p in result.points {
      let s = p.statistics
      table.add([
        p.label, p.compensated ? "global" : "none", percent(s.mean), points(s.standardDeviation),
        "\(percent(max(0, s.confidenceLow)))…\(percent(min(1, s.confidenceHigh)))", percent(s.minimum), percent(s.maximum),
        signedPoints(s.mean - result.fp32Accuracy),
      ])
    }
    lines.append(table.render())
    lines.append(String(format: "evaluated in %.1f s", result.wallSeconds))
    for w in result.warnings { lines.append("warning: \(w)") }
    return lines.joined(separator: "\n")
  }

  func percent(_ x: Double) -> String { String(format: "%.2f %%", x * 100) }
  func points(_ x: Double) -> String { String(format: "%.2f pt", x * 100) }
  func signedPoints(_ x: Double) -> String { String(format: "%+.2f pt", x * 100) }
}
