import HybrixCore
import HybrixNumerics
import struct Workloads.ONNXProgram

/// A product operator's static weights and the arithmetic its products run on.
struct ProductSlot: Sendable {
  /// The weights as the forward product uses them, `[k inputs, n outputs]` (for a convolution
  /// k = (C/group)·∏kernel and n = M, as ``Conv2d/productWeights``).
  var weights: Tensor
  /// What the arithmetic's ``ProductArithmetic/realize(weights:)`` returned, if called.
  var realized: Tensor?
  var arithmetic: (any ProductArithmetic)?
}

extension ONNXExecutor: ProductNetwork {
  /// The slot of `node` if it is a product operator: Conv with an initializer weight, Gemm or
  /// MatMul whose B input is a rank-2 initializer. Weight shapes are checked here.
  static func productSlot(_ node: ONNXProgram.Node, constants: [String: ONNXValue]) throws(ConfigError)
    -> ProductSlot?
  {
    guard ["Conv", "Gemm", "MatMul"].contains(node.opType), node.inputs.count >= 2,
      case .float(let w)? = constants[node.inputs[1]]
    else { return nil }
    switch node.opType {
    case "Conv":
      guard w.rank >= 3, w.shape[0] > 0 else {
        throw ConfigError(
          path: "\(node.path).input[1]", message: "Conv weight '\(node.inputs[1])' of shape \(w.shape)",
          expected: "W[M, C/group, kernel…] with M ≥ 1 and at least one spatial axis")
      }
      if node.inputs.count > 2, case .float(let b)? = constants[node.inputs[2]], b.shape != [w.shape[0]] {
        throw ConfigError(
          path: "\(node.path).input[2]", message: "Conv bias of shape \(b.shape) for weight \(w.shape)",
          expected: "B[\(w.shape[0])]")
      }
      return ProductSlot(weights: w.reshaped([w.shape[0], w.count / w.shape[0]]).transposed())
    case "Gemm":
      guard w.rank == 2 else {
        throw ConfigError(
          path: "\(node.path).input[1]", message: "Gemm B of shape \(w.shape)", expected: "a rank-2 matrix")
      }
      var transB = false
      if case .int(let v)? = node.attributes["transB"] { transB = v != 0 }
      return ProductSlot(weights: transB ? w.transposed() : w)
    default:
      return w.rank == 2 ? ProductSlot(weights: w) : nil
    }
  }

  public mutating func setArithmetic(_ arithmetic: (any ProductArithmetic)?, for name: String)
    throws(ConfigError)
  {
    guard products[name] != nil, productOperatorNames.contains(name) else {
      let hint = NearestName.suggestion(for: name, among: productOperatorNames)
      throw ConfigError(
        file: program.fileName, message: "no product operator named '\(name)'",
        expected: "one of \(productOperatorNames.prefix(20).joined(separator: ", "))",
        hint: hint.map { "did you mean '\($0)'?" } ?? "only Conv, and Gemm/MatMul with a weight, hold products")
    }
    products[name]?.arithmetic = arithmetic
    products[name]?.realized = nil
  }

  public mutating func realizeWeights() {
    for name in productOperatorNames {
      guard var slot = products[name], var arithmetic = slot.arithmetic else { continue }
      slot.realized = arithmetic.realize(weights: slot.weights)
      slot.arithmetic = arithmetic
      products[name] = slot
    }
  }

  /// The first dimension of the first graph input when the file declares it as a number (a model
  /// exported with a fixed batch, `[1, 1, 28, 28]`), `nil` when it is symbolic or absent.
  public var fixedBatchSize: Int? {
    guard let first = program.inputs.first?.shape?.first, let size = first, size >= 1 else {
      return nil
    }
    return size
  }

  /// Runs the graph on `x` as its first input and returns its first output as a float tensor.
  /// A failed run (wrong input shape, a shape error inside the graph) throws the error of
  /// ``run(_:)``, which names the file, the node and the shapes.
  public mutating func infer(_ x: Tensor) throws(ConfigError) -> Tensor {
    if !cutInputs.isEmpty || !cutOutputs.isEmpty { return try inferSplit(x) }
    guard let input = program.inputs.first, let output = program.outputs.first else {
      throw ConfigError(
        file: program.fileName, message: "the graph has no input or no output",
        expected: "one float input and one float output")
    }
    let result = try run([input.name: .float(x)])
    guard case .float(let y)? = result[output.name] else {
      throw ConfigError(
        file: program.fileName, path: "graph.output[0](\(output.name))",
        message: "output '\(output.name)' is not a float tensor", expected: "float logits [N, classes]")
    }
    return y
  }

  /// Whether node `name`'s products run on an arithmetic model rather than the exact path.
  func hasArithmetic(_ name: String) -> Bool { products[name]?.arithmetic != nil }

  /// `a` `[m, k]` · the weights of product operator `name`, through its arithmetic.
  /// `columns`, when given, selects weight columns (one convolution group).
  mutating func productWithArithmetic(_ name: String, _ a: Tensor, columns: Range<Int>? = nil) -> Tensor? {
    guard var slot = products[name], var arithmetic = slot.arithmetic else { return nil }
    var b = slot.realized ?? slot.weights
    if let columns, columns != 0..<b.shape[1] { b = b.columns(columns) }
    let y = arithmetic.multiply(a, b, role: .forward)
    slot.arithmetic = arithmetic
    products[name] = slot
    return y
  }
}
