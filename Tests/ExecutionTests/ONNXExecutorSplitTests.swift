import Foundation
import HybrixCore
import HybrixNumerics
import Testing

@testable import Execution

/// Splitting an ONNX graph before a product operator (the probe's reuse of the exact prefix's
/// activations): the prefix then the suffix is the whole graph bit for bit, at every cut of the
/// committed residual and attention models, including cuts where several values are live.
@Suite struct ONNXExecutorSplitTests {
  static func model(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("models/\(name).onnx").path
  }

  @Test(arguments: ["resnet20-fm", "tiny-transformer-fm", "vgg-fm"])
  func prefixThenSuffixIsTheWholeGraph(model: String) throws {
    var whole = try ONNXExecutor.load(path: Self.model(model))
    #expect(whole.sampleShape == [1, 28, 28])
    let x = randomBatch(3, [1, 28, 28], seed: 12)
    let expected = try whole.infer(x)
    var splits = 0
    var widest = 0
    for name in whole.productOperatorNames.dropFirst() {
      let (prefix, suffix) = try #require(whole.split(before: name), "\(model): no split before \(name)")
      var p = prefix, s = suffix
      let cut = try p.infer(x)
      #expect(cut.shape == [3] + suffix.sampleShape)
      let y = try s.infer(cut)
      #expect(y.shape == expected.shape)
      #expect(y.scalars.map(\.bitPattern) == expected.scalars.map(\.bitPattern), "\(model): split before \(name)")
      #expect(Set(prefix.productOperatorNames).isDisjoint(with: suffix.productOperatorNames))
      #expect(prefix.productOperatorNames + suffix.productOperatorNames == whole.productOperatorNames)
      #expect(suffix.productOperatorNames.first == name)
      widest = max(widest, suffix.cutInputs.count)
      splits += 1
    }
    #expect(splits == whole.productOperatorNames.count - 1)
    if model != "vgg-fm" {
      // A residual branch or a saved attention input crosses some cut next to the main path.
      #expect(widest >= 2, "\(model): every cut carries one value")
    }
  }

  /// No split before the first product or an unknown name; the suffix refuses an arithmetic for
  /// an operator that runs in the prefix, naming it.
  @Test func splitsThatCannotBeAreRefused() throws {
    let whole = try ONNXExecutor.load(path: Self.model("resnet20-fm"))
    let names = whole.productOperatorNames
    #expect(names.count > 3)
    #expect(whole.split(before: names[0]) == nil)
    #expect(whole.split(before: "no-such-operator") == nil)
    var suffix = try #require(whole.split(before: names[2])).suffix
    #expect(suffix.split(before: names[3]) == nil, "a side of a split is not split again")
    #expect(throws: ConfigError.self) { try suffix.setArithmetic(nil, for: names[0]) }
    try suffix.setArithmetic(nil, for: names[2])
    // A suffix fed something else than its packed cut is one clear error.
    #expect(throws: ConfigError.self) { _ = try suffix.infer(randomBatch(2, [1, 28, 28], seed: 1)) }
  }
}
