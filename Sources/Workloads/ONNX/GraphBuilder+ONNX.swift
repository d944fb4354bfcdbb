import HybrixCore

extension GraphBuilder {
  /// A reduction over some axes of `x` (ONNX ReduceMean, ReduceSum, ReduceMax …, ArgMax), kept as
  /// a pooling operator: a window over whole axes, one operation per input element.
  ///
  /// `outDims` is the reduced shape (axes kept as 1 or dropped, as the operator's `keepdims` says).
  mutating func reduction(_ name: String, _ function: String, _ x: TensorID, outDims: [Int])
    throws(ConfigError) -> TensorID
  {
    let y = try tensor(name, outDims, role: .activation)
    guard shape(y).elementCount <= shape(x).elementCount else {
      throw Self.shapeError(
        name, "reduction of \(dims(x)) to \(outDims)", expected: "an output no larger than the input")
    }
    let ops = try Self.count(
      [shape(x).elementCount, PointwiseCost.ops(function)], "operation count", name)
    var attributes = OperatorAttributes()
    attributes.function = function
    append(
      Operator(
        name: name, kind: .pooling, inputs: [x], outputs: [y], vectorOps: ops,
        operands: OperandElements(
          activationsIn: shape(x).elementCount, out: shape(y).elementCount),
        attributes: attributes))
    return y
  }
}
