import Foundation
import Testing

@testable import Mapping
@testable import Reports

@Suite struct AccuracyReportTests {
  static func report() -> AccuracyReport {
    func point(_ label: String, _ seconds: Double, _ compensated: Bool, _ acc: [Double]) -> AccuracyPoint {
      AccuracyPoint(seconds: seconds, label: label, compensated: compensated, accuracies: acc, statistics: SampleStatistics(acc))
    }
    let result = AccuracyResult(
      fp32Accuracy: 0.9169, samples: 10_000,
      operators: [.init(name: "conv1", tiers: ["pcm0": 1], arithmetic: "pcm"), .init(name: "fc2", tiers: ["cpu": 0.5, "pcm0": 0.5], arithmetic: "split")],
      points: [
        point("1s", 1, false, [0.91, 0.905]), point("1y", 3.15576e7, false, [0.60, 0.63]),
        point("1s", 1, true, [0.912, 0.91]), point("1y", 3.15576e7, true, [0.89, 0.885]),
      ],
      wallSeconds: 12.5)
    return AccuracyReport(
      model: "small-cnn", weights: "models/small-cnn.onnx", dataset: "fashion-mnist", architecture: "lionheart",
      mapping: "homogeneous:pcm0", seed: 1, repeats: 2, backend: "OpenBLAS", result: result)
  }

  @Test func jsonValidatesAgainstThePublishedSchema() throws {
    let validator = try JSONSchemaValidator(
      schemaAt: ReportSchemaTests.schemas.appendingPathComponent("hybrix.accuracy.v1.schema.json"))
    let errors = validator.errors(in: try ReportSchemaTests.json(Self.report()))
    #expect(errors.isEmpty, "\(errors.prefix(5))")
    var object = try #require(try ReportSchemaTests.json(Self.report()) as? [String: Any])
    object.removeValue(forKey: "result")
    #expect(validator.errors(in: object).contains { $0.contains("missing result") })
  }

  /// The text table lines up and shows the drop from FP32; the HTML is deterministic and has one
  /// line per compensation setting, one marker per point and the FP32 reference.
  @Test func textAndHTML() {
    let r = Self.report()
    let text = r.renderText()
    #expect(text.contains("FP32 reference") && text.contains("91.69 %"))
    #expect(text.contains("-30.19 pt"))  // mean 0.615 at 1 y without compensation, FP32 0.9169
    let rows = text.split(separator: "\n").filter { $0.hasPrefix("1s ") || $0.hasPrefix("1y ") }
    #expect(rows.count == 4 && Set(rows.map { $0.count }).count == 1)
    let html = AccuracyHTML.render(r)
    #expect(html == AccuracyHTML.render(r))
    #expect(html.components(separatedBy: "<polyline").count == 3)
    #expect(html.components(separatedBy: "<circle").count == 5)
    #expect(html.contains("stroke-dasharray") && html.contains("FP32 91.69 %"))
    #expect(!html.contains("nan"))
  }
}
