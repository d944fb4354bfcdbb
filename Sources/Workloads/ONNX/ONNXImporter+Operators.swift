import HybrixCore

extension ONNXImporter.Converter {
  static let unaryFunctions: Set<String> = [
    "Relu", "Gelu", "Sigmoid", "Tanh", "Abs", "Neg", "Exp", "Log", "Sqrt", "Reciprocal", "Erf",
    "Floor", "Ceil", "Round", "Sign", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh",
    "Asinh", "Acosh", "Atanh", "Softplus", "Softsign", "Elu", "Selu", "Celu", "LeakyRelu",
    "HardSigmoid", "HardSwish", "ThresholdedRelu", "Shrink", "Mish", "Not", "IsNaN", "IsInf",
    "Cast", "CastLike", "BitwiseNot", "Clip", "Trilu",
  ]
  static let broadcastFunctions: Set<String> = [
    "Add", "Sub", "Mul", "Div", "Pow", "Mod", "Max", "Min", "Sum", "Mean", "Equal", "Greater",
    "GreaterOrEqual", "Less", "LessOrEqual", "And", "Or", "Xor", "BitShift", "Where", "PRelu",
    "BitwiseAnd", "BitwiseOr", "BitwiseXor",
  ]
  static let reductions: Set<String> = [
    "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
    "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare", "ArgMax", "ArgMin",
  ]
  static let otherSupported: Set<String> = [
    "Conv", "Gemm", "MatMul", "BatchNormalization", "LayerNormalization", "InstanceNormalization",
    "GroupNormalization", "MeanVarianceNormalization", "LpNormalization", "RMSNormalization",
    "Softmax", "LogSoftmax", "Hardmax", "MaxPool", "AveragePool", "LpPool", "GlobalAveragePool",
    "GlobalMaxPool", "GlobalLpPool", "Flatten", "Reshape", "Transpose", "Concat", "Split", "Slice",
    "Gather", "GatherElements", "Identity", "Dropout", "Constant", "Shape", "Size", "Unsqueeze",
    "Squeeze", "ConstantOfShape", "Expand", "Tile", "Range", "Pad",
  ]

  /// Whether Hybrix infers the node's shapes (other nodes are kept as `other`).
  static func isSupported(_ node: ONNXNode) -> Bool {
    guard node.isDefaultDomain else { return false }
    let t = node.opType
    return unaryFunctions.contains(t) || broadcastFunctions.contains(t) || reductions.contains(t)
      || otherSupported.contains(t)
  }

  /// Converts a supported node; `false` when its shapes depend on values that are not known
  /// (a Reshape target computed at run time), so the caller falls back to declared shapes.
  mutating func convertSupported(_ n: NodeContext) throws(ConfigError) -> Bool {
    let t = n.opType
    if Self.unaryFunctions.contains(t) || Self.broadcastFunctions.contains(t) {
      try convertElementwise(n)
      return true
    }
    if Self.reductions.contains(t) { return try convertReduction(n) }
    switch t {
    case "Conv": try convertConv(n)
    case "MaxPool", "AveragePool", "LpPool": try convertPool(n)
    case "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool":
      let function = ["GlobalAveragePool": "avgpool", "GlobalMaxPool": "maxpool"][t] ?? "lppool"
      setOutput(n, 0, try builder.globalPool(n.name, function, try tensor(n, 0, "X")))
    case "Gemm": try convertGemm(n)
    case "MatMul":
      let a = try tensor(n, 0, "A")
      let b = try tensor(n, 1, "B")
      guard !dims(a).isEmpty, !dims(b).isEmpty else {
        throw ConfigError(message: "MatMul of a scalar", expected: "operands of rank ≥ 1")
      }
      setOutput(n, 0, try builder.matmul(n.name, a, b, kind: matmulKind(n)))
    case "BatchNormalization", "LayerNormalization", "InstanceNormalization", "GroupNormalization",
      "MeanVarianceNormalization", "LpNormalization", "RMSNormalization":
      try convertNormalization(n)
    case "Softmax", "LogSoftmax", "Hardmax":
      setOutput(n, 0, try builder.softmax(n.name, try tensor(n, 0, "input"), function: t.lowercased()))
    default: return try convertLayout(n)
    }
    return true
  }

  /// MatMul of two activations: QKᵀ when the product feeds a Softmax (possibly through a scale or
  /// mask), A·V when its first operand comes from a Softmax.
  func matmulKind(_ n: NodeContext) -> OperatorKind {
    let operands = n.node.inputs.prefix(2).compactMap { values[$0]?.id }
    guard operands.count == 2, !operands.contains(where: { builder.isStatic($0) }) else {
      return .matmul
    }
    if let out = outputName(n, 0), feedsSoftmax(out, depth: 0) { return .attentionScores }
    if comesFromSoftmax(n.node.inputs[0], depth: 0) { return .attentionValues }
    return .matmul
  }

  private static let passThrough: Set<String> = [
    "Div", "Mul", "Add", "Sub", "Where", "Cast", "Identity", "Dropout",
  ]

  private func feedsSoftmax(_ name: String, depth: Int) -> Bool {
    for c in consumers[name] ?? [] {
      let node = graph.nodes[c]
      if node.opType == "Softmax" { return true }
      if depth < 3, Self.passThrough.contains(node.opType), let out = node.outputs.first,
        feedsSoftmax(out, depth: depth + 1)
      {
        return true
      }
    }
    return false
  }

  private func comesFromSoftmax(_ name: String, depth: Int) -> Bool {
    guard let p = producer[name] else { return false }
    let node = graph.nodes[p]
    if node.opType == "Softmax" { return true }
    guard depth < 3, ["Dropout", "Identity", "Cast"].contains(node.opType), let x = node.inputs.first
    else { return false }
    return comesFromSoftmax(x, depth: depth + 1)
  }

  /// Gemm: `Y = alpha · A' · B' + beta · C` with A' and B' optionally transposed.
  private mutating func convertGemm(_ n: NodeContext) throws(ConfigError) {
    var a = try tensor(n, 0, "A")
    let b = try tensor(n, 1, "B")
    guard dims(a).count == 2, dims(b).count == 2 else {
      throw ConfigError(
        message: "Gemm of A \(dims(a)) and B \(dims(b))", expected: "2-D A and B",
        hint: "use MatMul for batched products")
    }
    if try int(n, "transA", default: 0) != 0 {
      a = try builder.transpose("\(n.name).transA", a, perm: [1, 0])
    }
    let transB = try int(n, "transB", default: 0) != 0
    let beta = try float(n, "beta", default: 1)
    let c = beta == 0 ? nil : input(n, 2)?.id
    setOutput(n, 0, try builder.matmul(n.name, a, b, bias: c, transposeB: transB))
  }

  private mutating func convertNormalization(_ n: NodeContext) throws(ConfigError) {
    let x = try tensor(n, 0, "X")
    let rest = (1..<max(n.node.inputs.count, 1)).compactMap { input(n, $0)?.id }
    let function: String
    switch n.opType {
    case "BatchNormalization":
      let params = [1, 2].compactMap { input(n, $0)?.id }
      let stats = [3, 4].compactMap { input(n, $0)?.id }
      setOutput(n, 0, try builder.normalization(n.name, "batchnorm", x, params: params, stats: stats))
      // Training mode: updated running mean and variance.
      for k in 1..<max(min(n.node.outputs.count, 3), 1) where outputName(n, k) != nil {
        let stat = stats.count == 2 ? stats[k - 1] : x
        setOutput(
          n, k, try builder.move("\(n.name).stat\(k)", "batchnorm-stats", [stat], outDims: dims(stat)))
      }
      return
    case "LayerNormalization":
      let y = try builder.normalization(n.name, "layernorm", x, params: rest)
      setOutput(n, 0, y)
      let a = try axis(n, default: -1, rank: dims(x).count)
      let statDims = dims(x).enumerated().map { $0.offset < a ? $0.element : 1 }
      for k in 1..<max(min(n.node.outputs.count, 3), 1) where outputName(n, k) != nil {
        let s = try builder.move("\(n.name).stat\(k)", "layernorm-stats", [y], outDims: statDims)
        setOutput(n, k, s, elemType: ONNXDataType.float)
      }
      return
    case "InstanceNormalization": function = "instancenorm"
    case "GroupNormalization": function = "groupnorm"
    case "RMSNormalization": function = "rmsnorm"
    case "LpNormalization": function = "lpnorm"
    default: function = "mvn"
    }
    setOutput(n, 0, try builder.normalization(n.name, function, x, params: rest))
  }
}
