import HybrixCore

extension GraphBuilder {
  /// A view with new dimensions and the same elements (Reshape, Flatten, Squeeze, Unsqueeze,
  /// Identity, Dropout at inference): no arithmetic and no traffic.
  public mutating func reshape(_ name: String, _ x: TensorID, to newDims: [Int], function: String = "reshape")
    throws(ConfigError) -> TensorID
  {
    let y = try tensor(name, newDims, role: .activation, allowZero: true)
    guard shape(y).elementCount == shape(x).elementCount else {
      throw Self.shapeError(
        name, "cannot reshape \(dims(x)) (\(shape(x).elementCount) elements) to \(newDims)",
        expected: "a shape with the same number of elements")
    }
    return try layout(name, function, [x], [y], moves: false)
  }

  /// Transpose by a permutation of the axes: every element is moved.
  public mutating func transpose(_ name: String, _ x: TensorID, perm: [Int]) throws(ConfigError)
    -> TensorID
  {
    let xs = dims(x)
    guard perm.sorted() == Array(0..<xs.count) else {
      throw Self.shapeError(
        name, "permutation \(perm) for rank \(xs.count)",
        expected: "a permutation of 0..<\(xs.count)")
    }
    let y = try tensor(name, perm.map { xs[$0] }, role: .activation, allowZero: true)
    let id = try layout(name, "transpose", [x], [y], moves: true)
    setLastAttributes { $0.perm = perm }
    return id
  }

  /// Concatenation along `axis` (negative counts from the end).
  public mutating func concat(_ name: String, _ xs: [TensorID], axis: Int) throws(ConfigError)
    -> TensorID
  {
    guard let first = xs.first else {
      throw Self.shapeError(name, "no inputs", expected: "at least one tensor to concatenate")
    }
    let rank = dims(first).count
    let a = axis < 0 ? axis + rank : axis
    guard (0..<rank).contains(a) else {
      throw Self.shapeError(name, "axis \(axis) for rank \(rank)", expected: "an axis in -\(rank)..<\(rank)")
    }
    var out = dims(first)
    out[a] = 0
    for t in xs {
      var d = dims(t)
      guard d.count == rank else {
        throw Self.shapeError(name, "inputs of ranks \(rank) and \(d.count)", expected: "equal ranks")
      }
      out[a] = try Self.sum([out[a], d[a]], "concatenated length", name)
      d[a] = out[a]
      guard d == out else {
        throw Self.shapeError(
          name, "input \(dims(t)) differs from \(dims(first)) off axis \(a)",
          expected: "equal sizes on every other axis")
      }
    }
    let y = try tensor(name, out, role: .activation, allowZero: true)
    let id = try layout(name, "concat", xs, [y], moves: true)
    setLastAttributes { $0.axis = a }
    return id
  }

  /// Split along `axis` into pieces of the given sizes.
  public mutating func split(_ name: String, _ x: TensorID, axis: Int, sizes: [Int])
    throws(ConfigError) -> [TensorID]
  {
    var d = dims(x)
    let a = axis < 0 ? axis + d.count : axis
    guard (0..<d.count).contains(a), sizes.allSatisfy({ $0 >= 0 }),
      (try? Checked.sum(sizes, "split sizes")) == d[a]
    else {
      throw Self.shapeError(
        name, "split sizes \(sizes) on axis \(axis) of \(d)",
        expected: "non-negative sizes that add up to the axis length")
    }
    var outs: [TensorID] = []
    for (i, s) in sizes.enumerated() {
      d[a] = s
      outs.append(try tensor("\(name):\(i)", d, role: .activation, allowZero: true))
    }
    _ = try layout(name, "split", [x], outs, moves: true)
    return outs
  }

  /// Slice (or any data movement whose output shape is already known).
  public mutating func move(_ name: String, _ function: String, _ xs: [TensorID], outDims: [Int])
    throws(ConfigError) -> TensorID
  {
    let y = try tensor(name, outDims, role: .activation, allowZero: true)
    return try layout(name, function, xs, [y], moves: true)
  }

  /// An operator Hybrix does not model, kept with its output shapes.
  public mutating func other(_ name: String, opType: String, _ xs: [TensorID], outputs: [[Int]])
    throws(ConfigError) -> [TensorID]
  {
    var outs: [TensorID] = []
    for (i, d) in outputs.enumerated() {
      outs.append(try tensor(outputs.count == 1 ? name : "\(name):\(i)", d, role: .activation, allowZero: true))
    }
    var attributes = OperatorAttributes()
    attributes.onnxOpType = opType
    attributes.function = opType
    let (operands, parameters) = try traffic(reading: xs, writing: outs, name)
    append(
      Operator(
        name: name, kind: .other, inputs: xs, outputs: outs, parameterCount: parameters,
        operands: operands, attributes: attributes))
    return outs
  }

  private mutating func layout(
    _ name: String, _ function: String, _ xs: [TensorID], _ ys: [TensorID], moves: Bool
  ) throws(ConfigError) -> TensorID {
    var attributes = OperatorAttributes()
    attributes.function = function
    let operands = moves ? try traffic(reading: xs, writing: ys, name).operands : OperandElements()
    append(
      Operator(
        name: name, kind: .layout, inputs: xs, outputs: ys, operands: operands,
        attributes: attributes))
    return ys[0]
  }
}
