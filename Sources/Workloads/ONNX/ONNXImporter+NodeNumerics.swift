import HybrixCore

/// Attributes of an ONNX node that change its numbers but not its cost, which ``Graph`` does
/// not keep: whether a Gemm reads its weight transposed, its scales, a batch norm's epsilon.
/// The numerics engine (`Execution.Network`) needs them to run a file's weights exactly.
public struct ONNXNodeNumerics: Hashable, Sendable {
  /// The node's `op_type`, e.g. `Gemm`.
  public var opType: String
  /// Gemm `transA` and `transB` (false for every other operator).
  public var transposeA = false
  public var transposeB = false
  /// Gemm `alpha` and `beta` (1 when absent).
  public var alpha: Float = 1
  public var beta: Float = 1
  /// BatchNormalization `epsilon` (1e-5 when absent, the ONNX default).
  public var epsilon: Float = 1e-5

  public init(opType: String) { self.opType = opType }
}

extension ONNXImporter {
  /// The numeric attributes of every node of an ONNX file, keyed by the operator name the
  /// importer gives the node (its name, else its first output, else `OpType_index`).
  ///
  /// - Throws: ``ConfigError`` when the bytes are not an ONNX model (as ``load(data:fileName:bindings:)``).
  public static func nodeNumerics(data: [UInt8], fileName: String) throws(ConfigError)
    -> [String: ONNXNodeNumerics]
  {
    let model = try decode(data, fileName: fileName)
    var result: [String: ONNXNodeNumerics] = [:]
    for (index, node) in model.graph.nodes.enumerated() {
      let name =
        !node.name.isEmpty
        ? node.name : node.outputs.first { !$0.isEmpty } ?? "\(node.opType)_\(index)"
      var facts = ONNXNodeNumerics(opType: node.opType)
      if let a = node.attribute("transA") { facts.transposeA = a.i != 0 }
      if let a = node.attribute("transB") { facts.transposeB = a.i != 0 }
      if node.opType == "Gemm" {
        if let a = node.attribute("alpha") { facts.alpha = a.f }
        if let a = node.attribute("beta") { facts.beta = a.f }
      }
      if let a = node.attribute("epsilon") { facts.epsilon = a.f }
      result[name] = facts
    }
    return result
  }
}
