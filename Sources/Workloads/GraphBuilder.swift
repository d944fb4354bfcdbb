import HybrixCore

/// Builds a ``Graph`` one operator at a time, checking shapes as it goes.
///
/// The shape rule of each operator family lives in `Operators/` as an extension of this type, so
/// the model zoo and the ONNX reader share one definition of what an operator computes and costs.
/// Every method that can meet a bad size throws a ``ConfigError`` whose path names the operator.
public struct GraphBuilder: Sendable {
  public private(set) var name: String
  public private(set) var tensors: [GraphTensor] = []
  public private(set) var operators: [Operator] = []
  public private(set) var inputs: [TensorID] = []
  public var outputs: [TensorID] = []
  public var weightValues: [TensorID: [Float]] = [:]
  public var workload = WorkloadParameters()
  private var produced: Set<Int> = []

  public init(name: String) { self.name = name }

  public func shape(_ t: TensorID) -> TensorShape { tensors[t.index].shape }
  public func role(_ t: TensorID) -> TensorRole { tensors[t.index].role }
  public func dims(_ t: TensorID) -> [Int] { tensors[t.index].shape.dims }

  /// Adds a tensor of a checked shape.
  public mutating func tensor(_ name: String, _ shape: TensorShape, role: TensorRole) -> TensorID {
    tensors.append(GraphTensor(name: name, shape: shape, role: role))
    return TensorID(tensors.count - 1)
  }

  /// Adds a tensor, checking its dimensions.
  public mutating func tensor(_ name: String, _ dims: [Int], role: TensorRole, allowZero: Bool = false)
    throws(ConfigError) -> TensorID
  {
    let shape: TensorShape
    do { shape = try TensorShape(dims, allowZero: allowZero) } catch { throw error.underPath(name) }
    return tensor(name, shape, role: role)
  }

  /// A graph input (image, token ids).
  public mutating func input(_ name: String, _ dims: [Int]) throws(ConfigError) -> TensorID {
    let t = try tensor(name, dims, role: .input)
    inputs.append(t)
    return t
  }

  /// A trained parameter, with its values when known.
  public mutating func weight(_ name: String, _ dims: [Int], values: [Float]? = nil)
    throws(ConfigError) -> TensorID
  {
    let t = try tensor(name, dims, role: .weight, allowZero: true)
    if let values { weightValues[t] = values }
    return t
  }

  /// Whether `t` holds data known before run time (a weight or constant): the test that makes the
  /// second operand of a product static.
  public func isStatic(_ t: TensorID) -> Bool {
    let r = role(t)
    return r == .weight || r == .constant
  }

  /// Appends an operator whose inputs already exist and whose outputs are new tensors.
  public mutating func append(_ op: Operator) {
    for t in op.inputs { precondition(t.index < tensors.count, "input \(t) of \(op.name) unknown") }
    for t in op.outputs {
      precondition(!produced.contains(t.index), "tensor \(t) produced twice (\(op.name))")
      produced.insert(t.index)
    }
    operators.append(op)
  }

  /// Edits the attributes of the operator appended last (a transpose's permutation, a concat's
  /// axis), which the training engine reads back.
  public mutating func setLastAttributes(_ edit: (inout OperatorAttributes) -> Void) {
    guard !operators.isEmpty else { return }
    edit(&operators[operators.count - 1].attributes)
  }

  /// Makes the graph, checking that its totals fit in 64 bits. Outputs default to the tensors
  /// that no operator reads.
  public func finish() throws(ConfigError) -> Graph {
    var outs = outputs
    if outs.isEmpty {
      var read = Set<Int>()
      for op in operators { for t in op.inputs { read.insert(t.index) } }
      outs = operators.flatMap(\.outputs).filter { !read.contains($0.index) }
    }
    let graph = Graph(
      name: name, tensors: tensors, operators: operators, inputs: inputs, outputs: outs,
      weightValues: weightValues, workload: workload)
    try Self.checkTotals(graph)
    return graph
  }

  /// Checks that the graph's total MACs, operations and operand bytes (at up to 64 bits per
  /// element) fit in `Int`, so that every sum taken later is safe.
  static func checkTotals(_ graph: Graph) throws(ConfigError) {
    let name = graph.name
    _ = try Checked.sum(graph.operators.map(\.macs), "the total MAC count of \(name)")
    _ = try Checked.sum(graph.operators.map(\.vectorOps), "the total operation count of \(name)")
    var elements = 0
    for op in graph.operators {
      let o = op.operands
      elements = try Checked.sum(
        [elements, o.activationsIn, o.weights, o.kvCache, o.out], "the total operand traffic of \(name)")
    }
    _ = try Checked.product([elements, 8], "the total operand bytes of \(name)")
    _ = try Checked.sum(
      graph.tensors.filter { $0.role == .weight }.map(\.shape.elementCount), "the parameter count of \(name)")
  }

  // MARK: helpers for the operator files

  /// A `ConfigError` located at operator `op`.
  static func shapeError(_ op: String, _ message: String, expected: String, hint: String? = nil)
    -> ConfigError
  {
    ConfigError(path: op, message: message, expected: expected, hint: hint)
  }

  /// Product of `factors`, as an error located at `op` on overflow.
  static func count(_ factors: [Int], _ what: String, _ op: String) throws(ConfigError) -> Int {
    do { return try Checked.product(factors, "\(what) of \(op)") } catch { throw error.underPath(op) }
  }

  /// Elements read from `inputs` and written to `outputs` by operand class (weights and constants,
  /// KV cache, other activations), and the trained parameters among the inputs; checked for
  /// overflow, located at `op`.
  func traffic(reading inputs: [TensorID], writing outputs: [TensorID], _ op: String) throws(ConfigError)
    -> (operands: OperandElements, parameters: Int)
  {
    var weights: [Int] = []
    var parameters: [Int] = []
    var cache: [Int] = []
    var activations: [Int] = []
    for t in inputs {
      let n = shape(t).elementCount
      switch role(t) {
      case .weight:
        weights.append(n)
        parameters.append(n)
      case .constant: weights.append(n)
      case .kvCache: cache.append(n)
      default: activations.append(n)
      }
    }
    let operands = OperandElements(
      activationsIn: try Self.sum(activations, "input elements", op), weights: try Self.sum(weights, "weight elements", op),
      kvCache: try Self.sum(cache, "cached elements", op),
      out: try Self.sum(outputs.map { shape($0).elementCount }, "output elements", op))
    return (operands, try Self.sum(parameters, "parameters", op))
  }

  /// Sum of sizes, as an error located at `op` on overflow.
  static func sum(_ terms: [Int], _ what: String, _ op: String) throws(ConfigError) -> Int {
    do { return try Checked.sum(terms, "\(what) of \(op)") } catch { throw error.underPath(op) }
  }

  /// Span of a dilated window, `dilation·(kernel − 1) + 1`, checked.
  static func window(_ kernel: Int, dilation: Int, _ op: String) throws(ConfigError) -> Int {
    let reach = try count([dilation, kernel - 1], "kernel span", op)
    return try sum([reach, 1], "kernel span", op)
  }

  /// The numpy broadcast of two shapes, or an error naming `op`.
  static func broadcast(_ a: [Int], _ b: [Int], _ op: String) throws(ConfigError) -> [Int] {
    let rank = max(a.count, b.count)
    let pa = [Int](repeating: 1, count: rank - a.count) + a
    let pb = [Int](repeating: 1, count: rank - b.count) + b
    var out: [Int] = []
    for (x, y) in zip(pa, pb) {
      if x == y || y == 1 { out.append(x) } else if x == 1 { out.append(y) } else {
        throw shapeError(
          op, "shapes \(a) and \(b) do not broadcast", expected: "equal dimensions or 1")
      }
    }
    return out
  }
}
