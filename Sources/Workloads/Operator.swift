import HybrixCore

/// The family an operator belongs to, which decides which tiers can run it.
public enum OperatorKind: String, Codable, Sendable, CaseIterable {
  /// Convolution of any spatial rank, including grouped and depthwise (lowered to GEMM by im2col).
  case conv
  /// GEMM / MatMul / fully connected; second operand static (weight) or dynamic.
  case matmul
  /// Attention scores QKᵀ: both operands are activations.
  case attentionScores = "attention-qk"
  /// Attention output A·V: both operands are activations.
  case attentionValues = "attention-av"
  case softmax
  /// Batch, layer or RMS normalization.
  case normalization
  /// Pointwise arithmetic and activation functions (Add, Mul, ReLU, GELU …).
  case elementwise
  case pooling
  /// Table lookup (token embedding, Gather).
  case embedding
  /// Data movement without arithmetic (reshape, transpose, concat, split, slice).
  case layout
  /// An operator Hybrix does not model; kept with its shapes so the graph stays whole.
  case other

  /// Whether the operator is a matrix product that a crossbar or tensor core can run.
  public var isMatrixProduct: Bool {
    self == .conv || self == .matmul || self == .attentionScores || self == .attentionValues
  }
}

/// Whether the second operand of a matrix product is a stored weight or computed at run time.
public enum SecondOperand: String, Codable, Sendable {
  /// A trained weight: can stay programmed in a crossbar (CIM, PCM).
  case staticWeight = "static"
  /// An activation (attention, or any product in a backward pass): must be loaded each time.
  case dynamic
  /// Not a matrix product.
  case none = "-"
}

/// Which pass of training an operator belongs to (inference graphs are all `forward`).
public enum Pass: String, Codable, Sendable, CaseIterable {
  case forward
  /// Gradient with respect to the operator's activation input (dX = dY · Wᵀ).
  case inputGradient = "input-grad"
  /// Gradient with respect to the weight or second operand (dW = Xᵀ · dY).
  case weightGradient = "weight-grad"
  /// Optimizer step on a weight.
  case update
}

/// A matrix product seen as `batch` independent GEMMs `Y[m×n] = X[m×k] · W[k×n]`.
///
/// Convolution maps to it by im2col: `batch` = groups, `m` = N·(output pixels),
/// `k` = (C_in / groups)·(kernel size), `n` = C_out / groups.
public struct MatMulShape: Hashable, Codable, Sendable, CustomStringConvertible {
  public var batch: Int
  public var m: Int
  public var k: Int
  public var n: Int
  public init(batch: Int = 1, m: Int, k: Int, n: Int) {
    self.batch = batch
    self.m = m
    self.k = k
    self.n = n
  }
  public var description: String {
    (batch > 1 ? "\(batch)×" : "") + "\(m)×\(k)·\(k)×\(n)"
  }
}

/// Elements each operand class of an operator reads or writes once (its compulsory traffic).
public struct OperandElements: Hashable, Codable, Sendable {
  /// Activations (and gradients) read.
  public var activationsIn: Int = 0
  /// Weight elements read: the whole tensor for a product, only the gathered rows for an embedding.
  public var weights: Int = 0
  /// Keys and values read from the KV cache (LLM decode).
  public var kvCache: Int = 0
  /// Elements written.
  public var out: Int = 0
  public init(activationsIn: Int = 0, weights: Int = 0, kvCache: Int = 0, out: Int = 0) {
    self.activationsIn = activationsIn
    self.weights = weights
    self.kvCache = kvCache
    self.out = out
  }
}

/// Attributes that describe how an operator was configured (for display and for the numerics
/// engine); the cost-relevant facts are in ``Operator/matmul`` and ``Operator/operands``.
public struct OperatorAttributes: Hashable, Codable, Sendable {
  public var kernel: [Int]? = nil
  public var strides: [Int]? = nil
  /// Begin pads then end pads, ONNX order.
  public var pads: [Int]? = nil
  public var dilations: [Int]? = nil
  public var groups: Int? = nil
  /// Function for elementwise operators (`relu`, `add`, `gelu` …).
  public var function: String? = nil
  /// The ONNX op type this operator came from, if any.
  public var onnxOpType: String? = nil
  /// Transpose: the permutation of the axes (output axis i reads input axis `perm[i]`).
  public var perm: [Int]? = nil
  /// Concat: the axis joined along (non-negative).
  public var axis: Int? = nil
  public init() {}
}

/// One node of the workload graph.
public struct Operator: Hashable, Codable, Sendable {
  public var name: String
  public var kind: OperatorKind
  /// Tensors read, activations first then weights (graph edges follow from these).
  public var inputs: [TensorID]
  public var outputs: [TensorID]
  /// The GEMM view of a matrix product; `nil` for other kinds.
  public var matmul: MatMulShape?
  public var secondOperand: SecondOperand
  /// Multiply-accumulates (0 for operators that are not matrix products).
  public var macs: Int
  /// Other arithmetic operations (adds, exps, compares …) for non-product operators.
  public var vectorOps: Int
  /// Number of trained parameters this operator owns.
  public var parameterCount: Int
  public var operands: OperandElements
  public var pass: Pass
  public var attributes: OperatorAttributes
  /// Operators that deployment lowering folded or fused into this one, in graph order (empty in
  /// a graph as built); see ``Graph/loweredForDeployment()``.
  public var fused: [FusedOperator]

  public init(
    name: String, kind: OperatorKind, inputs: [TensorID], outputs: [TensorID],
    matmul: MatMulShape? = nil, secondOperand: SecondOperand = .none, macs: Int = 0,
    vectorOps: Int = 0, parameterCount: Int = 0, operands: OperandElements, pass: Pass = .forward,
    attributes: OperatorAttributes = OperatorAttributes(), fused: [FusedOperator] = []
  ) {
    self.name = name
    self.kind = kind
    self.inputs = inputs
    self.outputs = outputs
    self.matmul = matmul
    self.secondOperand = secondOperand
    self.macs = macs
    self.vectorOps = vectorOps
    self.parameterCount = parameterCount
    self.operands = operands
    self.pass = pass
    self.attributes = attributes
    self.fused = fused
  }

  /// A short label for tables: `conv2d`, `dwconv2d`, `matmul`, `attention-qk`, `relu` …
  public var label: String {
    switch kind {
    case .conv:
      let rank = attributes.kernel?.count ?? 2
      let groups = attributes.groups ?? 1
      let kernelSize = (attributes.kernel ?? []).reduce(1, *)
      // Depthwise: one input channel per group, so the reduction is the kernel window only.
      let depthwise = groups > 1 && matmul?.k == kernelSize
      return (depthwise ? "dwconv" : groups > 1 ? "gconv" : "conv") + "\(rank)d"
    case .elementwise, .normalization, .pooling, .layout, .other:
      return attributes.function ?? kind.rawValue
    default:
      return kind.rawValue
    }
  }
}

/// An operator that deployment lowering removed from the graph because its producer now computes
/// it: a batch normalization folded into the weights and bias, or an activation applied by the
/// producer's output stage.
public struct FusedOperator: Hashable, Codable, Sendable {
  /// The removed operator's name in the graph as built.
  public var name: String
  /// Its function (`batchnorm`, `relu`, `gelu` …).
  public var function: String
  public init(name: String, function: String) {
    self.name = name
    self.function = function
  }

  /// A short tag for labels: `bn` for a folded batch norm, else the function.
  public var tag: String { function == "batchnorm" ? "bn" : function }

  /// `label` followed by the tags of `fused`: `conv2d+bn+relu`.
  public static func label(_ label: String, fused: [FusedOperator]) -> String {
    ([label] + fused.map(\.tag)).joined(separator: "+")
  }
}

extension Operator {
  /// ``label`` followed by the tags of what was fused into the operator: `conv2d+bn+relu`.
  public var fusedLabel: String { FusedOperator.label(label, fused: fused) }

  private enum CodingKeys: String, CodingKey {
    case name, kind, inputs, outputs, matmul, secondOperand, macs, vectorOps, parameterCount
    case operands, pass, attributes, fused
  }

  /// Decodes an operator; `fused` is optional so that operators written before deployment
  /// lowering existed still decode (as unfused).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      name: try c.decode(String.self, forKey: .name),
      kind: try c.decode(OperatorKind.self, forKey: .kind),
      inputs: try c.decode([TensorID].self, forKey: .inputs),
      outputs: try c.decode([TensorID].self, forKey: .outputs),
      matmul: try c.decodeIfPresent(MatMulShape.self, forKey: .matmul),
      secondOperand: try c.decode(SecondOperand.self, forKey: .secondOperand),
      macs: try c.decode(Int.self, forKey: .macs),
      vectorOps: try c.decode(Int.self, forKey: .vectorOps),
      parameterCount: try c.decode(Int.self, forKey: .parameterCount),
      operands: try c.decode(OperandElements.self, forKey: .operands),
      pass: try c.decode(Pass.self, forKey: .pass),
      attributes: try c.decode(OperatorAttributes.self, forKey: .attributes),
      fused: try c.decodeIfPresent([FusedOperator].self, forKey: .fused) ?? [])
  }
}
