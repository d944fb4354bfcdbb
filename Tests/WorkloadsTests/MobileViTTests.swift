import HybrixCore
import Testing

@testable import Workloads

/// MobileViT-S (one of H3PIMAP's models) counted by hand in the apple/ml-cvnets layout, against
/// the published figures typed in here: 5.6 M in Mehta & Rastegari (ICLR 2022, Table 1) and timm's
/// `mobilevit_s` at 5 578 632 parameters (BatchNorm and LayerNorm count their scale and shift).
@Suite struct MobileViTTests {
  static func conv(_ i: Int, _ o: Int, _ k: Int) -> Int { i * o * k * k }
  static func norm(_ c: Int) -> Int { 2 * c }

  /// MobileNetV2 block, expansion 4: 1×1 expand, 3×3 depthwise, 1×1 project, each with BatchNorm.
  static func mv2(_ i: Int, _ o: Int) -> Int {
    let h = 4 * i
    return conv(i, h, 1) + norm(h) + 9 * h + norm(h) + conv(h, o, 1) + norm(o)
  }

  /// Pre-norm transformer layer of width d: LayerNorm, QKV and output projections with biases,
  /// LayerNorm, FFN d→f→d with biases.
  static func layer(_ d: Int, _ f: Int) -> Int {
    norm(d) + (3 * d * d + 3 * d) + (d * d + d) + norm(d) + (d * f + f) + (f * d + d)
  }

  /// MobileViT block: 3×3 conv + BN, 1×1 conv C→d (no norm, no bias), L layers, LayerNorm, 1×1
  /// conv d→C + BN, 3×3 fusion conv 2C→C + BN.
  static func block(_ c: Int, d: Int, f: Int, layers: Int) -> Int {
    conv(c, c, 3) + norm(c) + conv(c, d, 1) + layers * layer(d, f) + norm(d) + conv(d, c, 1) + norm(c) + conv(2 * c, c, 3) + norm(c)
  }

  static var handCount: Int {
    conv(3, 16, 3) + norm(16) + mv2(16, 32) + mv2(32, 64) + 2 * mv2(64, 64)
      + mv2(64, 96) + block(96, d: 144, f: 288, layers: 2)
      + mv2(96, 128) + block(128, d: 192, f: 384, layers: 4)
      + mv2(128, 160) + block(160, d: 240, f: 480, layers: 3)
      + conv(160, 640, 1) + norm(640) + (640 * 1000 + 1000)
  }

  @Test func parametersAreTheHandCountAndThePublishedOne() throws {
    let g = try ModelZoo.model(named: "mobilevit-s").graph(ZooOptions())
    #expect(Self.handCount == 5_578_632, "timm mobilevit_s")
    #expect(g.parameterCount == 5_578_632)
    #expect(abs(Double(g.parameterCount) / 5.6e6 - 1) < 0.005, "the paper's 5.6 M")
  }

  @Test func nineTransformerLayersInThreeBlocks() throws {
    let g = try ModelZoo.model(named: "mobilevit-s").graph(ZooOptions())
    // Each layer has one attention-score product per head group; count the layers' QKV projections.
    let attention = g.operators.filter { $0.kind == .attentionScores }
    #expect(!attention.isEmpty)
    for (stage, layers) in [(3, 2), (4, 4), (5, 3)] {
      let names = Set(attention.map(\.name).filter { $0.hasPrefix("layer\(stage).mobilevit") }.map { $0.split(separator: ".").prefix(4).joined(separator: ".") })
      #expect(names.count == layers, "layer\(stage): \(names.sorted())")
    }
  }
}
