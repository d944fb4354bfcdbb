import HybrixCore

/// One matrix product split along its output columns `n` (CMSwitch's pre-processing, Zhao et
/// al., ASPLOS 2025, §4.3: operators too large for the chip become sub-operators that fit).
public struct ColumnSplit: Hashable, Codable, Sendable {
  /// The product's name in the graph before the split.
  public var name: String
  /// The output columns of each part, in order (they add up to the product's `n`).
  public var columns: [Int]
  /// The parts' names (`name.part0…`) and the join's (`name.join`).
  public var partNames: [String] { columns.indices.map { "\(name).part\($0)" } }
  public var joinName: String { "\(name).join" }

  public init(name: String, columns: [Int]) {
    self.name = name
    self.columns = columns
  }
}

extension Graph {
  /// The function of the operator that joins a split product's parts (``splittingColumns(_:)``).
  public static let joinFunction = "join"

  /// This graph with each product of `splits` (operator index → output columns per part)
  /// replaced by its parts and a join, in place of the product.
  ///
  /// A part is a whole product: the same first operand `X`, its own columns of the weight (and
  /// of the bias), its own output slice `name.partI` — no partial sums, so no digital add — with
  /// its MACs, parameters and output-stage operations (bias, fused activations: per output
  /// element) in proportion to its columns. The join (`name.join`, a layout operator with
  /// function ``joinFunction``) writes the product's output tensor, so every reader and the
  /// graph's outputs are unchanged. It declares no traffic: each part's output stage writes its
  /// slice at its offset in the joined tensor (a strided write), and the consumer reads the
  /// joined tensor where it lies; the cost model charges it nothing (``OperatorWork``).
  ///
  /// For costing only: the weights' values are dropped for split products (the parts hold
  /// slices the numerics never see), and weight tensors nothing reads any more leave the graph.
  ///
  /// - Throws: ``ConfigError`` naming the operator when it is not a product with a static
  ///   weight whose columns are an axis of its weight and output, when the columns do not add up
  ///   to its `n`, or when it has a batch of GEMMs (grouped convolutions).
  /// - Complexity: O(operators + tensors).
  public func splittingColumns(_ splits: [Int: [Int]]) throws(ConfigError) -> Graph {
    guard !splits.isEmpty else { return self }
    var tensors = self.tensors
    var operators: [Operator] = []
    var stale = Set<Int>()
    for (i, op) in self.operators.enumerated() {
      guard let columns = splits[i] else {
        operators.append(op)
        continue
      }
      operators += try split(op, columns: columns, tensors: &tensors, stale: &stale)
    }
    // Drop the weights nobody reads now (the parts' new tensors are never stale), and renumber.
    return try Graph.compacting(self, tensors: tensors, operators: operators, releasing: stale, droppingValuesOf: stale)
  }

  /// The parts and the join of `op`; new tensors are appended to `tensors`, the split weight and
  /// bias are marked `stale`.
  private func split(_ op: Operator, columns: [Int], tensors: inout [GraphTensor], stale: inout Set<Int>)
    throws(ConfigError) -> [Operator]
  {
    func no(_ why: String) -> ConfigError {
      ConfigError(
        path: op.name, message: "cannot split it along its output columns: \(why)",
        expected: "a product with a static weight, one GEMM, columns adding up to its n",
        hint: "leave it whole (it runs in rounds on its arrays)")
    }
    guard let g = op.matmul, op.secondOperand == .staticWeight, op.outputs.count == 1, op.inputs.count >= 2 else {
      throw no("it is not a product with a static weight")
    }
    guard g.batch == 1 else { throw no("it is a batch of \(g.batch) GEMMs (a grouped convolution)") }
    guard columns.count >= 2, columns.allSatisfy({ $0 >= 1 }), columns.reduce(0, +) == g.n else {
      throw no("parts \(columns) for n = \(g.n)")
    }
    let y = op.outputs[0]
    let yDims = self[y].shape.dims
    // The output's column axis: channels of a convolution, else the last (or, for W · X, the
    // second-last) axis of size n.
    let yAxis: Int? =
      op.kind == .conv ? (yDims.count > 1 && yDims[1] == g.n ? 1 : nil)
      : yDims.last == g.n ? yDims.count - 1 : (yDims.count >= 2 && yDims[yDims.count - 2] == g.n ? yDims.count - 2 : nil)
    guard let yAxis else { throw no("its output \(yDims) has no axis of \(g.n) columns") }
    // Static inputs after X that carry the columns: the weight (and a bias). Constants (Clip
    // bounds of a fused activation) stay whole on every part.
    var sliced: [(slot: Int, axis: Int)] = []
    for (slot, t) in op.inputs.enumerated().dropFirst() where self[t].role == .weight {
      let d = self[t].shape.dims
      let axis =
        op.kind == .conv ? (d.first == g.n ? 0 : nil)
        : d.last == g.n ? d.count - 1 : (d.first == g.n ? 0 : nil)
      guard let axis else { throw no("its weight \(self[t].name) \(d) has no axis of \(g.n) columns") }
      sliced.append((slot, axis))
    }
    guard !sliced.isEmpty else { throw no("it has no weight tensor") }
    let slicedElements = sliced.reduce(0) { $0 + self[op.inputs[$1.slot]].shape.elementCount }
    for s in sliced { stale.insert(op.inputs[s.slot].index) }
    var parts: [Operator] = []
    var outputs: [TensorID] = []
    var vectorOpsLeft = op.vectorOps
    for (p, n) in columns.enumerated() {
      let name = "\(op.name).part\(p)"
      var part = op
      part.name = name
      var partElements = 0
      for s in sliced {
        let t = self[op.inputs[s.slot]]
        var d = t.shape.dims
        d[s.axis] = n
        let shape = try TensorShape(d)
        partElements += shape.elementCount
        tensors.append(GraphTensor(name: t.name.replacingSuffix(of: op.name, with: name), shape: shape, role: .weight))
        part.inputs[s.slot] = TensorID(tensors.count - 1)
      }
      var d = yDims
      d[yAxis] = n
      let out = try TensorShape(d)
      tensors.append(GraphTensor(name: name, shape: out, role: .activation))
      part.outputs = [TensorID(tensors.count - 1)]
      outputs.append(part.outputs[0])
      part.matmul = MatMulShape(batch: 1, m: g.m, k: g.k, n: n)
      let what = "the counts of \(name)"
      part.macs = try Checked.product([g.m, g.k, n], what)
      let ops = p == columns.count - 1 ? vectorOpsLeft : op.vectorOps / g.n * n + (op.vectorOps % g.n) * n / g.n
      vectorOpsLeft -= ops
      part.vectorOps = ops
      part.parameterCount = op.parameterCount - slicedElements + partElements
      part.operands.weights = op.operands.weights - slicedElements + partElements
      part.operands.out = out.elementCount
      parts.append(part)
    }
    var attributes = OperatorAttributes()
    attributes.function = Self.joinFunction
    attributes.axis = yAxis
    let join = Operator(
      name: "\(op.name).join", kind: .layout, inputs: outputs, outputs: [y], operands: OperandElements(),
      attributes: attributes)
    return parts + [join]
  }
}

extension String {
  /// `fc6.weight` with `fc6` → `fc6.part0` becomes `fc6.part0.weight`; a name not starting
  /// with `prefix` gets `replacement` and itself joined by a dot.
  func replacingSuffix(of prefix: String, with replacement: String) -> String {
    hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : "\(replacement).\(self)"
  }
}
