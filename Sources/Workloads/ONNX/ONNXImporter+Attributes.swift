import HybrixCore

/// Attribute, input and output access for the operator converters. Errors carry paths relative
/// to the node (`attribute.kernel_shape`, `input[1]`), which the converter puts under the node.
extension ONNXImporter.Converter {
  typealias NodeContext = ONNXImporter.NodeContext

  private func attribute(_ n: NodeContext, _ name: String, _ kinds: [ONNXAttribute.Kind])
    throws(ConfigError) -> ONNXAttribute?
  {
    guard let a = n.node.attribute(name) else { return nil }
    guard kinds.contains(a.kind) else {
      throw ConfigError(
        path: "attribute.\(name)", message: "attribute of type \(a.kind.label)",
        expected: kinds.map(\.label).joined(separator: " or "))
    }
    return a
  }

  func int(_ n: NodeContext, _ name: String) throws(ConfigError) -> Int? {
    try attribute(n, name, [.int]).map { Int($0.i) }
  }

  func int(_ n: NodeContext, _ name: String, default value: Int) throws(ConfigError) -> Int {
    try int(n, name) ?? value
  }

  func ints(_ n: NodeContext, _ name: String) throws(ConfigError) -> [Int]? {
    try attribute(n, name, [.ints]).map { $0.ints.map { Int($0) } }
  }

  func float(_ n: NodeContext, _ name: String, default value: Float) throws(ConfigError) -> Float {
    try attribute(n, name, [.float])?.f ?? value
  }

  func string(_ n: NodeContext, _ name: String, default value: String) throws(ConfigError) -> String {
    try attribute(n, name, [.string])?.string ?? value
  }

  /// A tensor attribute (Constant's `value`, ConstantOfShape's `value`).
  func tensorAttribute(_ n: NodeContext, _ name: String) throws(ConfigError) -> ONNXTensor? {
    try attribute(n, name, [.tensor, .sparseTensor])?.t
  }

  /// An axis attribute normalized to `0..<rank` (negative counts from the end).
  func axis(_ n: NodeContext, _ name: String = "axis", default value: Int, rank: Int)
    throws(ConfigError) -> Int
  {
    let a = try int(n, name, default: value)
    return try normalizeAxis(a, rank: rank, path: "attribute.\(name)")
  }

  func normalizeAxis(_ a: Int, rank: Int, path: String) throws(ConfigError) -> Int {
    guard a >= -rank, a < rank else {
      throw ConfigError(
        path: path, message: "axis \(a) for rank \(rank)", expected: "an axis in -\(rank)..<\(rank)")
    }
    return a < 0 ? a + rank : a
  }

  // MARK: inputs

  /// Input `k` if present (an empty name marks an omitted optional input).
  func input(_ n: NodeContext, _ k: Int) -> Value? {
    guard k < n.node.inputs.count, !n.node.inputs[k].isEmpty else { return nil }
    return values[n.node.inputs[k]]
  }

  /// The tensor of input `k`, which must be present and of known shape.
  func tensor(_ n: NodeContext, _ k: Int, _ what: String) throws(ConfigError) -> TensorID {
    guard let id = input(n, k)?.id else {
      throw ConfigError(
        path: "input[\(k)]", message: "\(n.opType) has no input \(k) (\(what))",
        expected: "\(what) as input \(k)")
    }
    return id
  }

  /// The present inputs' tensors in order.
  func presentTensors(_ n: NodeContext) -> [TensorID] {
    n.node.inputs.compactMap { $0.isEmpty ? nil : values[$0]?.id }
  }

  /// Whether every present input is a constant (not a weight or activation), so the node can be
  /// folded into a constant.
  func allConstant(_ n: NodeContext) -> Bool {
    let ids = presentTensors(n)
    return ids.allSatisfy { builder.role($0) == .constant }
  }

  /// Integer values of input `k` or, in old operator sets, of attribute `name`.
  func intsFromInputOrAttribute(_ n: NodeContext, _ k: Int, _ name: String) throws(ConfigError)
    -> [Int]?
  {
    if let v = input(n, k) { return v.ints }
    return try ints(n, name)
  }

  func dims(_ id: TensorID) -> [Int] { builder.dims(id) }

  /// Product of `dims`, an error naming `what` on overflow.
  func product(_ dims: [Int], _ what: String) throws(ConfigError) -> Int {
    try Checked.product(dims, what)
  }

  // MARK: outputs

  /// The name of output `k`, `nil` when absent.
  func outputName(_ n: NodeContext, _ k: Int) -> String? {
    guard k < n.node.outputs.count, !n.node.outputs[k].isEmpty else { return nil }
    return n.node.outputs[k]
  }

  /// Binds output `k` to tensor `id`.
  mutating func setOutput(
    _ n: NodeContext, _ k: Int, _ id: TensorID, ints: [Int]? = nil, elemType: Int32? = nil
  ) {
    guard let name = outputName(n, k) else { return }
    values[name] = Value(id: id, ints: ints, elemType: elemType ?? input(n, 0)?.elemType ?? 0)
  }

  /// Defines output `k` as a folded constant of `dims` (no operator).
  @discardableResult
  mutating func setConstant(
    _ n: NodeContext, _ k: Int, dims: [Int], ints: [Int]?, elemType: Int32? = nil
  ) throws(ConfigError) -> TensorID? {
    guard let name = outputName(n, k) else { return nil }
    let shape: TensorShape
    do { shape = try TensorShape(dims, allowZero: true) } catch { throw error.underPath("output[\(k)]") }
    let id = builder.tensor(name, shape, role: .constant)
    let values = ints.flatMap { $0.count == shape.elementCount ? $0 : nil }
    setOutput(n, k, id, ints: values, elemType: elemType)
    return id
  }
}
