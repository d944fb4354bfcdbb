import HybrixCore

/// An inference graph as a deployment compiler runs it, with a record of what was folded and
/// fused and where every operator of the graph as built now lives.
///
/// Made by ``Graph/loweredForDeployment()``. The lowered graph is for costing: the numerics
/// (`hybrix accuracy`, training) run the graph as built, and ``hostIndex`` tells them which
/// lowered operator (and so which tier of a saved mapping) computes each of its operators.
public struct DeploymentLowering: Sendable {
  /// The lowered graph.
  public var graph: Graph
  /// Batch normalizations folded into the weights and bias of the product before them.
  public var foldedNormalizations: Int
  /// Activations fused into the output stage of the product before them.
  public var fusedActivations: Int
  /// For each operator of the graph as built (by index), the index in ``graph`` of the operator
  /// that computes it: itself where it survived, its host where it was folded or fused.
  public var hostIndex: [Int]

  /// Whether the pass changed anything.
  public var changed: Bool { foldedNormalizations + fusedActivations > 0 }

  /// Operator name → name of the lowered operator that computes it, for the operators of the
  /// graph as built. Every name maps to itself or to an operator whose ``Operator/fused`` lists it.
  public var hostNames: [String: String] {
    var names: [String: String] = [:]
    for op in graph.operators {
      names[op.name] = names[op.name] ?? op.name
      for f in op.fused { names[f.name] = names[f.name] ?? op.name }
    }
    return names
  }

  /// The one-line summary the CLI prints: `53 BatchNorms folded, 33 activations fused`.
  public var summary: String {
    "\(foldedNormalizations) BatchNorm\(foldedNormalizations == 1 ? "" : "s") folded, "
      + "\(fusedActivations) activation\(fusedActivations == 1 ? "" : "s") fused"
  }
}

extension Graph {
  /// This inference graph with batch normalizations folded into the convolution or matrix
  /// product before them and unary activations fused into the output stage of the product
  /// before them, as inference compilers (TensorRT, TVM, ONNX Runtime) deploy a network.
  ///
  /// *Folding.* A batch normalization `y = γ·(x − μ)/√(σ² + ε) + β` over channel axis 1, whose
  /// input is the only use of the output of a convolution or a 2-D matrix product with a static
  /// weight (and no activation fused yet), becomes a per-output-channel rescaling of that weight
  /// and a bias. The normalization and its scale, shift and statistics leave the graph; a product
  /// without a bias gains one (C_out parameters, one add per output element, as a biased product
  /// counts). MACs are unchanged.
  ///
  /// *Fusion.* An elementwise activation (``activationFunctions``) whose first input is the only
  /// use of a matrix product's output (convolution, matmul, attention product, after folding) and
  /// whose other inputs are constants (Clip bounds) leaves the graph; its operations move to the
  /// product's `vectorOps` (the product's digital output stage applies it) and its constants
  /// become inputs of the product. Binary operators such as a residual Add or SwiGLU's Mul are
  /// not fused: their second operand comes from elsewhere, which changes the product's input
  /// traffic; that belongs to a later change.
  ///
  /// Training graphs (any operator not in the forward pass) are returned unchanged: the backward
  /// pass needs the normalizations and activations as separate operators. Weight values of a
  /// product that absorbed a normalization are dropped (they would need rescaling by γ/√(σ²+ε));
  /// run numerics on the graph as built.
  ///
  /// - Returns: The lowered graph and, for every operator of this graph, the one computing it.
  /// - Throws: ``ConfigError`` only if a lowered count leaves the 64-bit range, which the
  ///   builder's checks of the graph as built rule out in practice.
  /// - Complexity: O(*n*) in the number of operators and tensors.
  public func loweredForDeployment() throws(ConfigError) -> DeploymentLowering {
    let unchanged = DeploymentLowering(
      graph: self, foldedNormalizations: 0, fusedActivations: 0,
      hostIndex: Array(operators.indices))
    guard workload.phase != .train, operators.allSatisfy({ $0.pass == .forward }) else {
      return unchanged
    }
    var lowerer = DeploymentLowerer(self)
    for op in operators { try lowerer.add(op) }
    return try lowerer.finish()
  }

  /// Elementwise functions that deployment lowering fuses into a producer's output stage: unary
  /// activations (the lower-case names the zoo and the ONNX reader give them).
  public static let activationFunctions: Set<String> = [
    "relu", "relu6", "clip", "leakyrelu", "gelu", "silu", "swish", "sigmoid", "tanh",
    "hardswish", "hardsigmoid", "elu", "selu", "celu", "softplus", "softsign", "mish",
    "thresholdedrelu",
  ]
}
