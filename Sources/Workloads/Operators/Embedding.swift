import HybrixCore

extension GraphBuilder {
  /// Table lookup: `ids[…]` index rows of `table[V, D]`, giving `[…, D]`.
  ///
  /// Only the gathered rows are read, so traffic is the output size while the parameter count is
  /// the whole table.
  public mutating func embedding(_ name: String, _ ids: TensorID, table: TensorID)
    throws(ConfigError) -> TensorID
  {
    let t = dims(table)
    guard t.count == 2 else {
      throw Self.shapeError(name, "table \(t)", expected: "a 2-D table [rows, features]")
    }
    let y = try tensor(name, dims(ids) + [t[1]], role: .activation)
    let params = role(table) == .weight ? shape(table).elementCount : 0
    var attributes = OperatorAttributes()
    attributes.function = "embedding"
    append(
      Operator(
        name: name, kind: .embedding, inputs: [ids, table], outputs: [y], parameterCount: params,
        operands: OperandElements(
          activationsIn: shape(ids).elementCount, weights: shape(y).elementCount,
          out: shape(y).elementCount),
        attributes: attributes))
    return y
  }

  /// A learned table `[rows, features]` and its lookup, for the zoo.
  public mutating func embedding(_ name: String, _ ids: TensorID, rows: Int, features: Int)
    throws(ConfigError) -> TensorID
  {
    let table = try weight("\(name).weight", [rows, features])
    return try embedding(name, ids, table: table)
  }
}
