import HybrixCore
import Testing

@testable import Workloads

/// Operators whose inputs moved from attributes to tensors between operator sets, and the
/// padding and rounding rules of windows.
@Suite struct ONNXOpsetTests {
  typealias M = TestModel

  @Test func reshapeCopiesZerosAndInfersMinusOne() throws {
    let shape = M.int64s("shape", [3], [0, -1, 2])
    let bytes = M.model(
      [M.node("Reshape", ["x", "shape"], ["y"])], inputs: [M.value("x", [2, 3, 4])],
      outputs: [M.value("y", nil)], initializers: [shape])
    #expect(try M.outputShapes(bytes) == [[2, 6, 2]])
    // Operator set 4: the target is an attribute.
    let old = M.model(
      [M.node("Reshape", ["x"], ["y"], [M.ints("shape", [0, -1])])], inputs: [M.value("x", [2, 3, 4])],
      outputs: [M.value("y", nil)], opset: 4)
    #expect(try M.outputShapes(old) == [[2, 12]])
  }

  @Test func reshapeToAnImpossibleShapeIsAnError() throws {
    let bytes = M.model(
      [M.node("Reshape", ["x", "shape"], ["y"], name: "r")], inputs: [M.value("x", [2, 3, 4])],
      outputs: [M.value("y", nil)], initializers: [M.int64s("shape", [2], [5, -1])])
    #expect(
      throws: ConfigError(
        file: "test.onnx", path: "graph.node[0](r).input[1]",
        message: "cannot reshape [2, 3, 4] (24 elements) to [5, -1]",
        expected: "a shape whose known sizes divide the element count")
    ) { _ = try M.load(bytes) }
  }

  @Test func splitSizesFromAttributeInputOrCount() throws {
    let old = M.model(
      [M.node("Split", ["x"], ["a", "b"], [M.int("axis", 1), M.ints("split", [1, 3])])],
      inputs: [M.value("x", [2, 4])], outputs: [M.value("a", nil), M.value("b", nil)], opset: 11)
    #expect(try M.outputShapes(old) == [[2, 1], [2, 3]])
    let new = M.model(
      [M.node("Split", ["x", "sizes"], ["a", "b"], [M.int("axis", 1)])],
      inputs: [M.value("x", [2, 4])], outputs: [M.value("a", nil), M.value("b", nil)],
      initializers: [M.int64s("sizes", [2], [3, 1])], opset: 13)
    #expect(try M.outputShapes(new) == [[2, 3], [2, 1]])
    let uneven = M.model(
      [M.node("Split", ["x"], ["a", "b", "c"], [M.int("num_outputs", 3)])],
      inputs: [M.value("x", [8])], outputs: ["a", "b", "c"].map { M.value($0, nil) }, opset: 18)
    #expect(try M.outputShapes(uneven) == [[3], [3], [2]])
  }

  @Test func sliceClampsAndStepsBackwards() throws {
    let inputs = [
      M.int64s("starts", [1], [-1]), M.int64s("ends", [1], [Int.min]), M.int64s("axes", [1], [0]),
      M.int64s("steps", [1], [-2]),
    ]
    let new = M.model(
      [M.node("Slice", ["x", "starts", "ends", "axes", "steps"], ["y"])],
      inputs: [M.value("x", [10, 5])], outputs: [M.value("y", nil)], initializers: inputs, opset: 13)
    #expect(try M.outputShapes(new) == [[5, 5]])
    let old = M.model(
      [
        M.node(
          "Slice", ["x"], ["y"],
          [M.ints("starts", [1, 0]), M.ints("ends", [Int.max, -1]), M.ints("axes", [0, 1])])
      ],
      inputs: [M.value("x", [10, 5])], outputs: [M.value("y", nil)], opset: 9)
    #expect(try M.outputShapes(old) == [[9, 4]])
  }

  @Test func squeezeAndUnsqueezeAxesFromAttributeOrInput() throws {
    for opset in [11, 13] {
      let axes = opset < 13 ? [M.ints("axes", [0, 3])] : []
      let extra = opset < 13 ? [] : ["axes"]
      let bytes = M.model(
        [
          M.node("Unsqueeze", ["x"] + extra, ["u"], axes),
          M.node("Squeeze", ["u"] + extra, ["y"], axes),
          M.node("Squeeze", ["u"], ["z"]),
        ],
        inputs: [M.value("x", [2, 1])], outputs: [M.value("u", nil), M.value("y", nil), M.value("z", nil)],
        initializers: opset < 13 ? [] : [M.int64s("axes", [2], [0, 3])], opset: opset)
      #expect(try M.outputShapes(bytes) == [[1, 2, 1, 1], [2, 1], [2]])
    }
  }

  @Test(arguments: [
    ("SAME_UPPER", [4, 4], [0, 0, 1, 1]), ("SAME_LOWER", [4, 4], [1, 1, 0, 0]),
    ("VALID", [3, 3], [0, 0, 0, 0]),
  ])
  func convolutionAutoPad(mode: String, side: [Int], pads: [Int]) throws {
    let bytes = M.model(
      [
        M.node(
          "Conv", ["x", "w"], ["y"], name: "c", [M.string("auto_pad", mode), M.ints("strides", [2, 2])])
      ],
      inputs: [M.value("x", [1, 1, 8, 8])], outputs: [M.value("y", nil)],
      initializers: [M.floats("w", [1, 1, 3, 3])])
    let g = try M.load(bytes).graph
    #expect(g.outputs.map { g[$0].shape.dims } == [[1, 1] + side])
    #expect(g.operators[0].attributes.pads == pads)
  }

  @Test func poolCeilMode() throws {
    for (ceil, side) in [(0, 2), (1, 3)] {
      let bytes = M.model(
        [
          M.node(
            "MaxPool", ["x"], ["y"],
            [M.ints("kernel_shape", [3, 3]), M.ints("strides", [2, 2]), M.int("ceil_mode", ceil)])
        ],
        inputs: [M.value("x", [1, 1, 6, 6])], outputs: [M.value("y", nil)])
      #expect(try M.outputShapes(bytes) == [[1, 1, side, side]])
    }
  }

  @Test func gemmTransposesAndBias() throws {
    let bytes = M.model(
      [M.node("Gemm", ["a", "b", "c"], ["y"], name: "g", [M.int("transA", 1), M.int("transB", 1)])],
      inputs: [M.value("a", [4, 3])], outputs: [M.value("y", nil)],
      initializers: [M.floats("b", [5, 4]), M.floats("c", [5])])
    let g = try M.load(bytes).graph
    #expect(g.outputs.map { g[$0].shape.dims } == [[3, 5]])
    #expect(g.operators.map(\.label) == ["transpose", "matmul"])
    #expect(g.operators[1].matmul == MatMulShape(batch: 1, m: 3, k: 4, n: 5))
    #expect(g.parameterCount == 25)
  }

  @Test func legacyBroadcastAlignsAtAxis() throws {
    let bytes = M.model(
      [M.node("Add", ["x", "b"], ["y"], [M.int("broadcast", 1), M.int("axis", 1)])],
      inputs: [M.value("x", [2, 3, 4, 5])], outputs: [M.value("y", nil)],
      initializers: [M.floats("b", [3])], opset: 6)
    #expect(try M.outputShapes(bytes) == [[2, 3, 4, 5]])
  }
}
