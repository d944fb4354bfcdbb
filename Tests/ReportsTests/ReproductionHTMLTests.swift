import Testing

@testable import Reports

/// The ratio chart's row labels of `hybrix reproduce --html`.
@Suite struct ReproductionHTMLTests {
  /// Rows of one long subject stay apart by quantity (they once all read "resnet20-fm,
  /// Fashion-MNIST (60000 training images, 1 epoch, 3…"), within the label's length; short
  /// labels are whole.
  @Test func longSubjectsAreShortenedBeforeQuantities() {
    let subject = "resnet20-fm, Fashion-MNIST (60000 training images, 1 epoch, 3 seeds)"
    let quantities = [
      "accuracy drop vs FP32, RNS (31, 32, 33), BFP 16 × 4-bit", "accuracy drop vs FP32, INT8",
      "accuracy drop vs FP32, 6-bit analog core", "test accuracy, FP32 training",
    ]
    let labels = quantities.map { ReproductionHTML.ratioLabel(subject: subject, quantity: $0) }
    #expect(Set(labels).count == quantities.count, "\(labels)")
    #expect(labels.allSatisfy { $0.count <= 62 }, "\(labels)")
    #expect(labels[1].hasSuffix(" · accuracy drop vs FP32, INT8") && labels[1].hasPrefix("resnet20-fm, Fashion"), "\(labels[1])")
    #expect(ReproductionHTML.ratioLabel(subject: "Mirage chip", quantity: "peak power") == "Mirage chip · peak power")
  }
}

/// `formatFigure`: three significant digits without an exponent for the magnitudes papers print
/// (0.00692, not 6.92e-03), and no trap for magnitudes beyond Int's range.
@Suite struct FormatFigureTests {
  @Test func magnitudes() {
    let cases: [(Double, String)] = [
      (0.006919, "0.00692"), (0.001, "0.00100"), (0.0009, "9.00e-04"), (0.0274, "0.027"), (1.485, "1.49"),
      (60.83, "60.8"), (476.6, "477"), (12345.6, "12346"), (1e300, "1.000e+300"), (-2e18, "-2.000e+18"), (0, "0"),
    ]
    for (v, s) in cases { #expect(formatFigure(v) == s, "\(v)") }
    #expect(cases.count == 11)
  }
}
