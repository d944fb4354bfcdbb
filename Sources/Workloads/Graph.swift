import HybrixCore

/// A workload: tensors and operators in topological order (every operator's inputs are graph
/// inputs, weights, constants, or outputs of earlier operators).
///
/// Graphs are made by ``GraphBuilder`` (the model zoo and the ONNX reader both use it), which
/// checks shapes and guarantees that every count below fits in 64 bits.
public struct Graph: Sendable {
  public var name: String
  public var tensors: [GraphTensor]
  public var operators: [Operator]
  public var inputs: [TensorID]
  public var outputs: [TensorID]
  /// Values of weights and constants where a file carried them (ONNX initializers), row-major.
  public var weightValues: [TensorID: [Float]]
  /// How the graph was instantiated (phase, batch, sequence length) for reports.
  public var workload: WorkloadParameters

  public init(
    name: String, tensors: [GraphTensor], operators: [Operator], inputs: [TensorID],
    outputs: [TensorID], weightValues: [TensorID: [Float]] = [:],
    workload: WorkloadParameters = WorkloadParameters()
  ) {
    self.name = name
    self.tensors = tensors
    self.operators = operators
    self.inputs = inputs
    self.outputs = outputs
    self.weightValues = weightValues
    self.workload = workload
  }

  public subscript(id: TensorID) -> GraphTensor { tensors[id.index] }

  /// Index of the operator that writes each tensor (`nil` for inputs, weights and constants).
  public func producers() -> [Int?] {
    var producer = [Int?](repeating: nil, count: tensors.count)
    for (i, op) in operators.enumerated() {
      for t in op.outputs { producer[t.index] = i }
    }
    return producer
  }

  /// For each operator, the indices of the operators it depends on (data edges).
  public func predecessors() -> [[Int]] {
    let producer = producers()
    return operators.map { op in
      Array(Set(op.inputs.compactMap { producer[$0.index] })).sorted()
    }
  }

  /// Number of trained parameters: elements of the distinct weight tensors (tied weights once).
  public var parameterCount: Int {
    tensors.lazy.filter { $0.role == .weight }.reduce(0) { $0 + $1.shape.elementCount }
  }

  /// Multiply-accumulates of all operators.
  public var macs: Int { operators.reduce(0) { $0 + $1.macs } }

  /// Non-MAC arithmetic operations of all operators.
  public var vectorOps: Int { operators.reduce(0) { $0 + $1.vectorOps } }

  /// Operators whose kind Hybrix does not model, by ONNX op type, for a warning.
  public var unsupportedOperatorTypes: [String: Int] {
    var counts: [String: Int] = [:]
    for op in operators where op.kind == .other {
      counts[op.attributes.onnxOpType ?? op.name, default: 0] += 1
    }
    return counts
  }
}

/// The instantiation of a workload: its phase and the sizes it was built for.
public struct WorkloadParameters: Hashable, Codable, Sendable {
  public var phase: Phase
  public var batch: Int
  /// Tokens per sequence (prefill, training of language models), if the model has a sequence.
  public var sequenceLength: Int?
  /// Tokens already in the KV cache when one new token is decoded.
  public var contextLength: Int?
  /// Input image side in pixels, for vision models.
  public var imageSize: Int?
  public init(
    phase: Phase = .inference, batch: Int = 1, sequenceLength: Int? = nil,
    contextLength: Int? = nil, imageSize: Int? = nil
  ) {
    self.phase = phase
    self.batch = batch
    self.sequenceLength = sequenceLength
    self.contextLength = contextLength
    self.imageSize = imageSize
  }
}

/// What a workload computes: inference of a batch, the two phases of LLM serving, or training.
public enum Phase: String, Codable, Sendable, CaseIterable {
  /// Forward pass over a batch (for language models: the whole sequence, as an encoder does).
  case inference
  /// LLM prefill: the prompt of `sequenceLength` tokens processed at once, filling the KV cache.
  case prefill
  /// LLM decode: one new token per sequence, attending to `contextLength` cached keys and values.
  case decode
  /// Training step: forward, input-gradient and weight-gradient products, and the weight update.
  case train
}
