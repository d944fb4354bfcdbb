import HybrixCore
import HybrixNumerics

/// A trainable chain of named ``HybrixNumerics`` layers built from a workload ``Workloads/Graph``
/// (`mlp`, `lenet5`, `small-cnn`, or an ONNX file of the same shape): the reference models that
/// Hybrix trains on Fashion-MNIST and runs "as if mapped" for accuracy estimates.
///
/// Each ``Stage`` keeps the name of the graph operator it came from, so a mapping's placement
/// (operator name → tier) applies directly through ``setArithmetic(_:for:)``. Training goes
/// through the underlying ``HybrixNumerics/Sequential`` (``body``): ``trainStep(_:labels:optimizer:)``
/// runs forward, softmax cross-entropy, backward and one optimizer update.
///
/// Build one with ``init(graph:file:seed:numerics:)`` (`Network+Builder.swift`), from the zoo
/// with ``zoo(_:seed:)`` or from a checkpoint with ``load(onnx:seed:)``; save one with
/// ``onnxModel()`` / ``writeONNX(to:)`` (`Network+ONNX.swift`).
public struct Network: ProductNetwork {
  /// What one stage computes; the kinds a chain may hold.
  public enum StageKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// 2-D convolution (``HybrixNumerics/Conv2d``, or ``UnbiasedConv2d`` when the graph has no bias).
    case conv
    /// Batch normalisation over channels (``HybrixNumerics/BatchNorm2d``).
    case batchnorm
    case relu
    /// 2-D max pooling (``HybrixNumerics/MaxPool2d``).
    case maxpool
    /// `[N, …]` → `[N, features]` (``HybrixNumerics/Flatten``).
    case flatten
    /// Fully connected layer with a static weight (``HybrixNumerics/Linear``).
    case linear

    /// Whether the stage holds matrix products that an arithmetic can take over.
    public var isProduct: Bool { self == .conv || self == .linear }
  }

  /// One layer of the chain, named like the graph operator it was built from.
  public struct Stage: Sendable, Hashable {
    public var name: String
    public var kind: StageKind
    /// Shape of the stage's output for one sample (the batch axis dropped).
    public var outputShape: [Int]
  }

  /// The workload's name (`small-cnn`, or the ONNX graph's name).
  public var name: String
  /// Stages in order, parallel to `body.layers`.
  public private(set) var stages: [Stage]
  /// The layers; train through it, or through ``trainStep(_:labels:optimizer:)``.
  public var body: Sequential
  /// Shape of one input sample, e.g. `[1, 28, 28]`.
  public let sampleShape: [Int]

  init(name: String, stages: [Stage], layers: [any Layer], sampleShape: [Int]) {
    precondition(stages.count == layers.count, "\(stages.count) stages for \(layers.count) layers")
    self.name = name
    self.stages = stages
    self.body = Sequential(layers)
    self.sampleShape = sampleShape
  }

  /// Number of output classes (the last stage's width).
  public var classes: Int { stages.last?.outputShape.last ?? 0 }

  /// Number of trainable scalars (weights, biases, batch-norm scale and shift).
  public var parameterCount: Int { body.parameters.reduce(0) { $0 + $1.count } }

  // MARK: ProductNetwork

  public var productOperatorNames: [String] { stages.filter(\.kind.isProduct).map(\.name) }

  public mutating func setArithmetic(_ arithmetic: (any ProductArithmetic)?, for name: String)
    throws(ConfigError)
  {
    guard let i = stages.firstIndex(where: { $0.name == name && $0.kind.isProduct }),
      var layer = body.layers[i] as? any ProductLayer
    else {
      throw ConfigError(
        path: name, message: "\(self.name) has no matrix-product operator named '\(name)'",
        expected: "one of \(productOperatorNames.joined(separator: ", "))",
        hint: NearestName.suggestion(for: name, among: productOperatorNames).map {
          "did you mean '\($0)'?"
        })
    }
    layer.arithmetic = arithmetic
    body.layers[i] = layer
  }

  /// The arithmetic currently set on product operator `name` (`nil`: exact fast path).
  public func arithmetic(for name: String) -> (any ProductArithmetic)? {
    guard let i = stages.firstIndex(where: { $0.name == name }) else { return nil }
    return (body.layers[i] as? any ProductLayer)?.arithmetic
  }

  public mutating func realizeWeights() {
    for i in body.layers.indices {
      guard var layer = body.layers[i] as? any ProductLayer, var arith = layer.arithmetic else {
        continue
      }
      layer.setProductWeights(arith.realize(weights: layer.productWeights))
      layer.arithmetic = arith
      body.layers[i] = layer
    }
  }

  /// Inference-mode forward pass: exact convolutions run batched
  /// (``BatchedConvolution/conv2d(_:weight:bias:options:)``), batch norm (with a following ReLU),
  /// ReLU and max pooling through ``InferenceKernels``; other layers as in training. Same values
  /// as `body.forward(x, training: false)` up to the GEMM's summation order.
  public mutating func infer(_ x: Tensor) -> Tensor {
    precondition(
      Array(x.shape.dropFirst()) == sampleShape,
      "\(name) expects [N] + \(sampleShape), got \(x.shape)")
    var y = x
    var i = 0
    while i < body.layers.count {
      let layer = body.layers[i]
      if let conv = layer as? Conv2d, conv.arithmetic == nil {
        y = BatchedConvolution.conv2d(y, weight: conv.weight, bias: conv.bias, options: conv.options)
      } else if let conv = layer as? UnbiasedConv2d, conv.arithmetic == nil {
        y = BatchedConvolution.conv2d(y, weight: conv.weight, bias: nil, options: conv.options)
      } else if let bn = layer as? BatchNorm2d {
        // A ReLU right after the batch norm is applied in the same pass.
        let relu = i + 1 < body.layers.count && body.layers[i + 1] is ReLU
        y = InferenceKernels.batchNorm(
          y, mean: bn.runningMean, variance: bn.runningVariance, gamma: bn.gamma, beta: bn.beta,
          epsilon: bn.epsilon, relu: relu)
        if relu { i += 1 }
      } else if layer is ReLU {
        y = InferenceKernels.relu(y)
      } else if let pool = layer as? MaxPool2d {
        y = InferenceKernels.maxPool(y, kernel: pool.kernel, stride: pool.stride, padding: pool.padding)
      } else {
        y = body.layers[i].forward(y, training: false)
      }
      i += 1
    }
    return y
  }

  // MARK: training

  /// Logits `[N, classes]`; `training` uses batch statistics and caches for ``backward(_:)``.
  public mutating func forward(_ x: Tensor, training: Bool) -> Tensor {
    precondition(
      Array(x.shape.dropFirst()) == sampleShape,
      "\(name) expects [N] + \(sampleShape), got \(x.shape)")
    return body.forward(x, training: training)
  }

  /// ∂L/∂input for ∂L/∂logits `dy`; sets ``gradients``.
  @discardableResult
  public mutating func backward(_ dy: Tensor) -> Tensor { body.backward(dy) }

  /// Trainable tensors in stage order.
  public var parameters: [Tensor] {
    get { body.parameters }
    set { body.parameters = newValue }
  }

  /// ∂L/∂parameters from the latest ``backward(_:)``, same order as ``parameters``.
  public var gradients: [Tensor] { body.gradients }
}
