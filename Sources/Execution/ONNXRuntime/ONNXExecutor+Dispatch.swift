import HybrixCore
import HybrixNumerics
import struct Workloads.ONNXProgram

extension ONNXExecutor {
  /// Operators of the default ONNX domain the executor runs.
  public static let supportedOperators: Set<String> = Set(ONNXKernels.unaryFunctions.keys)
    .union(ONNXKernels.parameterizedUnary)
    .union(ONNXKernels.binaryOperators)
    .union(ONNXKernels.reduceOperators)
    .union([
      "Conv", "Gemm", "MatMul", "BatchNormalization", "LayerNormalization", "InstanceNormalization",
      "Softmax", "LogSoftmax", "Hardmax", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
      "Clip", "Flatten", "Reshape", "Transpose", "Concat", "Split", "Slice", "Gather", "Tile", "Expand",
      "Identity", "Dropout", "Constant", "ConstantOfShape", "Shape", "Size", "Unsqueeze", "Squeeze", "Cast",
      "CastLike", "Range", "ArgMax", "ArgMin", "Pad", "GatherElements", "Trilu", "DepthToSpace",
      "SpaceToDepth",
    ])

  /// Why `node` cannot run although its operator is supported (a training-mode variant), or
  /// `nil`.
  public static func unsupportedFeature(_ node: ONNXProgram.Node) -> String? {
    switch node.opType {
    case "BatchNormalization":
      if case .int(let v)? = node.attributes["training_mode"], v != 0 {
        return "BatchNormalization in training mode (training_mode = 1)"
      }
      if node.outputs.dropFirst().contains(where: { !$0.isEmpty }) {
        return "BatchNormalization's running-statistics outputs (training mode)"
      }
    case "Dropout":
      if node.inputs.count > 2, !node.inputs[2].isEmpty {
        return "Dropout with a training_mode input"
      }
    default: break
    }
    return nil
  }

  /// Runs one node.
  mutating func execute(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let op = n.opType
    if let fast = ONNXKernels.fastPath(n) { return fast }
    if ONNXKernels.unaryFunctions[op] != nil || ONNXKernels.parameterizedUnary.contains(op) {
      return try ONNXKernels.unary(n)
    }
    if ONNXKernels.binaryOperators.contains(op) { return try ONNXKernels.binary(n) }
    if ONNXKernels.reduceOperators.contains(op) { return try ONNXKernels.reduce(n) }
    switch op {
    case "Conv": return try conv(n)
    case "Gemm": return try gemm(n)
    case "MatMul": return try matmul(n)
    case "BatchNormalization": return try ONNXKernels.batchNorm(n)
    case "LayerNormalization": return try ONNXKernels.layerNorm(n)
    case "InstanceNormalization": return try ONNXKernels.instanceNorm(n)
    case "Softmax", "LogSoftmax", "Hardmax": return try ONNXKernels.softmax(n)
    case "MaxPool", "AveragePool": return try ONNXKernels.pool(n)
    case "GlobalAveragePool", "GlobalMaxPool": return try ONNXKernels.globalPool(n)
    case "Clip": return try ONNXKernels.clip(n)
    case "Flatten": return try ONNXKernels.flatten(n)
    case "Reshape": return try ONNXKernels.reshape(n)
    case "Transpose": return try ONNXKernels.transpose(n)
    case "Concat": return try ONNXKernels.concat(n)
    case "Split": return try ONNXKernels.split(n)
    case "Slice": return try ONNXKernels.slice(n)
    case "Gather": return try ONNXKernels.gather(n)
    case "Tile": return try ONNXKernels.tile(n)
    case "Expand": return try ONNXKernels.expand(n)
    case "Identity": return [try n.value(0, "input")]
    case "Dropout":
      // Inference: the input unchanged, and a mask of ones.
      let x = try n.value(0, "data")
      return [x, .int(shape: x.shape, values: [Int64](repeating: 1, count: x.count))]
    case "Constant": return try ONNXKernels.constant(n)
    case "ConstantOfShape": return try ONNXKernels.constantOfShape(n)
    case "Shape", "Size": return try ONNXKernels.shape(n)
    case "Unsqueeze", "Squeeze": return try ONNXKernels.squeeze(n)
    case "Cast", "CastLike": return try ONNXKernels.cast(n)
    case "Range": return try ONNXKernels.range(n)
    case "ArgMax", "ArgMin": return try ONNXKernels.argExtreme(n)
    case "Pad": return try ONNXKernels.pad(n)
    case "GatherElements": return try ONNXKernels.gatherElements(n)
    case "Trilu": return try ONNXKernels.trilu(n)
    case "DepthToSpace", "SpaceToDepth": return try ONNXKernels.depthSpace(n)
    default:
      throw ConfigError(
        message: "operator \(op) is not supported by the executor",
        hint: "supported: \(Self.supportedOperators.sorted().joined(separator: ", "))")
    }
  }
}
