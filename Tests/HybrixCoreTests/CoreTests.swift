import HybrixCore
import Testing

@Suite struct SplitMix64Tests {
  /// Reference values of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
  @Test func matchesReferenceSequence() {
    var rng = SplitMix64(seed: 0)
    #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
    #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
    #expect(rng.next() == 0x06C4_5D18_8009_454F)
  }

  @Test func sameSeedSameStream() {
    var a = SplitMix64(seed: 42)
    var b = SplitMix64(seed: 42)
    for _ in 0..<1000 { #expect(a.next() == b.next()) }
  }

  @Test func splitStreamsDifferAndAreStable() {
    let root = SplitMix64(seed: 7)
    var s0 = root.split(taskIndex: 0)
    var s1 = root.split(taskIndex: 1)
    var s0again = root.split(taskIndex: 0)
    let x0 = s0.next()
    #expect(x0 == s0again.next())
    #expect(x0 != s1.next())
  }

  /// 20 000 standard normal draws: the sample mean is within 4.5 standard errors (σ/√n ≈ 0.0071)
  /// of 0 and the sample variance within 5 % of 1.
  @Test func gaussianMoments() {
    var rng = SplitMix64(seed: 2026)
    let n = 20_000
    var sum = 0.0
    var sumSquares = 0.0
    for _ in 0..<n {
      let x = rng.nextGaussian()
      sum += x
      sumSquares += x * x
    }
    let mean = sum / Double(n)
    let variance = sumSquares / Double(n) - mean * mean
    #expect(abs(mean) < 4.5 / Double(n).squareRoot())
    #expect(abs(variance - 1) < 0.05)
  }

  @Test func unitDoublesInRange() {
    var rng = SplitMix64(seed: 1)
    for _ in 0..<10_000 {
      let u = rng.nextUnitDouble()
      #expect(u >= 0 && u < 1)
    }
  }
}

@Suite struct CheckedArithmeticTests {
  @Test func productInRange() throws {
    #expect(try Checked.product([1 << 20, 1 << 20, 1 << 20], "x") == 1 << 60)
  }

  @Test func productOverflowNamesTheQuantity() {
    do {
      _ = try Checked.product([1 << 32, 1 << 32], "MACs of conv1")
      Issue.record("overflow not detected")
    } catch {
      #expect(error.message.contains("MACs of conv1"))
      #expect(error.hint != nil)
    }
  }

  @Test func sumOverflow() {
    #expect(throws: ConfigError.self) { try Checked.sum([Int.max, 1], "total") }
  }
}

@Suite struct ConfigErrorTests {
  @Test func describesLocationExpectationAndHint() {
    let e = ConfigError(
      file: "model.onnx", path: "graph.node[3](conv1).attribute.kernel_shape",
      message: "kernel_shape has 3 values", expected: "2 values for a 2-D convolution",
      hint: "check the exporter")
    #expect(
      e.description == """
        model.onnx: graph.node[3](conv1).attribute.kernel_shape: kernel_shape has 3 values \
        (expected 2 values for a 2-D convolution)
          hint: check the exporter
        """)
  }

  @Test func pathsCompose() {
    let e = ConfigError(path: "dims[0]", message: "m").underPath("graph.input[0](x)")
    #expect(e.path == "graph.input[0](x).dims[0]")
    #expect(ConfigError(path: "[2]", message: "m").underPath("tiers").path == "tiers[2]")
    #expect(ConfigError(message: "m").inFile("a.yaml").file == "a.yaml")
  }
}

@Suite struct NearestNameTests {
  @Test func distance() {
    #expect(NearestName.distance("kitten", "sitting") == 3)
    #expect(NearestName.distance("", "abc") == 3)
    #expect(NearestName.distance("ResNet50", "resnet50") == 0)
  }

  @Test func suggestsTypos() {
    let names = ["resnet18", "resnet50", "bert-base", "llama2-7b", "gpt2"]
    #expect(NearestName.suggestion(for: "resnet5", among: names) == "resnet50")
    #expect(NearestName.suggestion(for: "bert-bsae", among: names) == "bert-base")
    #expect(NearestName.suggestion(for: "lama2-7b", among: names) == "llama2-7b")
    #expect(NearestName.suggestion(for: "zzzzzzzz", among: names) == nil)
  }
}
