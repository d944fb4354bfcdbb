import HybrixCore
import PropertyBased
import Testing

@testable import Workloads

@Suite struct GraphBuilderTests {
  /// Output length by enumeration: every window start p = i·stride with the window inside the
  /// padded input.
  static func enumeratedOutputLength(input: Int, kernel: Int, stride: Int, dilation: Int, pads: Int) -> Int {
    let span = dilation * (kernel - 1) + 1
    var count = 0
    var start = 0
    while start + span <= input + pads {
      count += 1
      start += stride
    }
    return count
  }

  /// Convolution shapes and MACs agree with enumeration of windows and with the im2col product,
  /// for random sizes, strides, dilations, pads and groups.
  @Test func convolutionMatchesEnumeration() async {
    await propertyCheck(
      count: 300,
      input: Gen.int(in: 1...4), Gen.int(in: 1...3), Gen.int(in: 5...20), Gen.int(in: 1...5),
      Gen.int(in: 1...3), Gen.int(in: 1...2), Gen.int(in: 0...3), Gen.int(in: 1...4)
    ) { n, groups, side, kernel, stride, dilation, pad, channelsPerGroup in
      var g = GraphBuilder(name: "t")
      let cin = groups * channelsPerGroup
      let cout = groups * 2
      guard let x = try? g.input("x", [n, cin, side, side + 1]),
        let w = try? g.weight("w", [cout, channelsPerGroup, kernel, kernel])
      else { Issue.record("setup failed"); return }
      let span = dilation * (kernel - 1) + 1
      let y = try? g.conv(
        "conv", x, weight: w, strides: [stride, stride], pads: [pad, pad, pad, pad],
        dilations: [dilation, dilation], groups: groups)
      if side + 2 * pad < span {
        #expect(y == nil, "a kernel larger than the padded input must be rejected")
        return
      }
      guard let y else { Issue.record("valid convolution rejected"); return }
      let ho = Self.enumeratedOutputLength(input: side, kernel: kernel, stride: stride, dilation: dilation, pads: 2 * pad)
      let wo = Self.enumeratedOutputLength(input: side + 1, kernel: kernel, stride: stride, dilation: dilation, pads: 2 * pad)
      #expect(g.dims(y) == [n, cout, ho, wo])
      let op = g.operators[0]
      #expect(op.macs == n * cout * ho * wo * channelsPerGroup * kernel * kernel)
      #expect(op.matmul == MatMulShape(batch: groups, m: n * ho * wo, k: channelsPerGroup * kernel * kernel, n: 2))
      #expect(op.parameterCount == cout * channelsPerGroup * kernel * kernel)
    }
  }

  @Test func depthwiseIsLabelledAndCheap() throws {
    var g = GraphBuilder(name: "dw")
    let x = try g.input("x", [1, 32, 56, 56])
    _ = try g.conv2d("dw", x, out: 32, kernel: 3, stride: 1, groups: 32)
    let op = g.operators[0]
    #expect(op.label == "dwconv2d")
    #expect(op.macs == 32 * 56 * 56 * 9)
    #expect(op.matmul?.k == 9)
  }

  @Test func linearFoldsTokensIntoRows() throws {
    var g = GraphBuilder(name: "fc")
    let x = try g.input("x", [2, 7, 64])
    let y = try g.linear("fc", x, out: 16)
    #expect(g.dims(y) == [2, 7, 16])
    let op = g.operators[0]
    #expect(op.matmul == MatMulShape(batch: 1, m: 14, k: 64, n: 16))
    #expect(op.secondOperand == .staticWeight)
    #expect(op.parameterCount == 64 * 16 + 16)
    #expect(op.macs == 14 * 64 * 16)
  }

  @Test func dynamicProductBroadcastsBatch() throws {
    var g = GraphBuilder(name: "att")
    let q = try g.input("q", [2, 4, 10, 8])
    let k = try g.input("k", [1, 4, 12, 8])
    let s = try g.matmul("qk", q, k, transposeB: true, kind: .attentionScores)
    #expect(g.dims(s) == [2, 4, 10, 12])
    let op = g.operators[0]
    #expect(op.secondOperand == .dynamic)
    #expect(op.matmul == MatMulShape(batch: 8, m: 10, k: 8, n: 12))
    #expect(op.parameterCount == 0)
  }

  @Test func numpyVectorProducts() throws {
    var g = GraphBuilder(name: "v")
    let a = try g.input("a", [5])
    let b = try g.input("b", [3, 5, 4])
    let ab = try g.matmul("av", a, b)
    #expect(g.dims(ab) == [3, 4])
    let c = try g.input("c", [3, 4, 5])
    let d = try g.input("d", [5])
    let cd = try g.matmul("cd", c, d)
    #expect(g.dims(cd) == [3, 4])
  }

  @Test func mismatchedInnerDimensionIsAnErrorAtTheOperator() throws {
    var g = GraphBuilder(name: "bad")
    let a = try g.input("a", [3, 5])
    let b = try g.weight("b", [4, 2])
    #expect {
      _ = try g.matmul("mm", a, b)
    } throws: { error in
      (error as? ConfigError)?.path == "mm"
    }
  }

  @Test func zeroAndNegativeDimensionsAreRejected() {
    var g = GraphBuilder(name: "bad")
    #expect(throws: ConfigError.self) { _ = try g.input("x", [1, 0, 4]) }
    #expect(throws: ConfigError.self) { _ = try g.input("x", [1, -3, 4]) }
  }

  @Test func hugeShapesOverflowWithAClearError() throws {
    var g = GraphBuilder(name: "huge")
    let x = try g.input("x", [1 << 20, 1 << 20, 64])
    do {
      _ = try g.linear("fc", x, out: 1 << 20)
      Issue.record("expected overflow")
    } catch {
      #expect(error.description.contains("64-bit"))
      #expect(error.path?.hasPrefix("fc") == true)
    }
  }

  @Test func pointwiseCountsAndBroadcast() throws {
    var g = GraphBuilder(name: "pw")
    let x = try g.input("x", [2, 3, 4])
    let b = try g.weight("b", [4])
    let y = try g.elementwise("add", "add", [x, b])
    #expect(g.dims(y) == [2, 3, 4])
    #expect(g.operators[0].vectorOps == 24)
    #expect(g.operators[0].parameterCount == 4)
    let z = try g.elementwise("gelu", "gelu", [y])
    #expect(g.operators[1].vectorOps == 24 * PointwiseCost.ops("gelu"))
    #expect(throws: ConfigError.self) {
      _ = try g.elementwise("bad", "add", [z, try g.input("w", [5])])
    }
  }

  @Test func poolingCeilModeFollowsONNX() throws {
    var g = GraphBuilder(name: "pool")
    let x = try g.input("x", [1, 1, 32, 32])
    let floorY = try g.pool("p", "maxpool", x, kernel: [3, 3], strides: [2, 2])
    let ceilY = try g.pool("q", "maxpool", x, kernel: [3, 3], strides: [2, 2], ceilMode: true)
    #expect(g.dims(floorY) == [1, 1, 15, 15])
    #expect(g.dims(ceilY) == [1, 1, 16, 16])
  }

  @Test func viewsAreFreeAndMovesAreNot() throws {
    var g = GraphBuilder(name: "layout")
    let x = try g.input("x", [2, 3, 4])
    let r = try g.reshape("r", x, to: [6, 4])
    let t = try g.transpose("t", r, perm: [1, 0])
    #expect(g.dims(t) == [4, 6])
    #expect(g.operators[0].operands == OperandElements())
    #expect(g.operators[1].operands == OperandElements(activationsIn: 24, out: 24))
    #expect(throws: ConfigError.self) { _ = try g.reshape("bad", x, to: [5, 5]) }
    #expect(throws: ConfigError.self) { _ = try g.transpose("bad", x, perm: [0, 0, 1]) }
  }

  @Test func defaultOutputsAreUnreadTensors() throws {
    var g = GraphBuilder(name: "outs")
    let x = try g.input("x", [1, 4])
    let a = try g.elementwise("a", "relu", [x])
    _ = try g.elementwise("b", "relu", [a])
    let graph = try g.finish()
    #expect(graph.outputs.map { graph[$0].name } == ["b"])
    #expect(graph.predecessors() == [[], [0]])
  }
}
