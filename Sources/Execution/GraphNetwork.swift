import HybrixCore
import HybrixNumerics

/// A trainable network of any directed acyclic graph of layers — residual adds, concatenations,
/// attention (products of two activations, softmax), layer norm, GELU, as well as the chain
/// layers of ``Network`` — built from a workload ``Workloads/Graph`` with the operator names kept.
///
/// The layers are the same ``HybrixNumerics`` types the chain ``Network`` uses (one definition of
/// each layer's forward and backward); this type adds only the wiring: ``forward(_:training:)``
/// runs the nodes in topological order, ``backward(_:)`` in reverse, summing the gradients of a
/// value that feeds several nodes. Every product — conv, linear and the activation products of
/// attention, forward, input gradient and weight gradient — runs through the arithmetic set on
/// its node (``setArithmetic(_:for:)``), so the network trains "as if mapped".
///
/// Build one with ``init(graph:file:seed:numerics:)`` (`GraphNetwork+Builder.swift`); save it
/// with ``writeONNX(to:docString:)`` (`GraphNetwork+ONNX.swift`).
public struct GraphNetwork: TrainableNetwork {
  /// What a node computes.
  public enum Step: Sendable {
    /// One input: a chain layer (conv, linear, batch norm, ReLU, GELU, layer norm, softmax …).
    case layer(any Layer)
    /// Several inputs: a residual sum, a concatenation or an activation product.
    case join(any JoinLayer)
  }

  /// One operator of the graph.
  public struct Node: Sendable, Hashable {
    public var name: String
    /// `conv`, `linear`, `batchnorm`, `relu`, `maxpool`, `flatten`, `gelu`, `layernorm`,
    /// `softmax`, `scale`, `position`, `avgpool`, `reshape`, `transpose`, `add`, `concat`,
    /// `matmul` (two activations).
    public var kind: String
    /// Value slots read (slot 0 is the network input).
    public var inputs: [Int]
    /// Value slot written.
    public var output: Int
    /// Shape of the output for one sample (batch axis dropped).
    public var outputShape: [Int]

    /// Whether the node holds matrix products an arithmetic can take over.
    public var isProduct: Bool { kind == "conv" || kind == "linear" || kind == "matmul" }
    /// Whether those products have a stationary weight (conv, linear).
    public var hasWeights: Bool { kind == "conv" || kind == "linear" }
  }

  public var name: String
  public private(set) var nodes: [Node]
  public var steps: [Step]
  public let sampleShape: [Int]
  /// Number of value slots (network input + one per node output).
  let slotCount: Int
  /// The slot holding the logits.
  let outputSlot: Int

  init(name: String, nodes: [Node], steps: [Step], sampleShape: [Int], slotCount: Int, outputSlot: Int) {
    precondition(nodes.count == steps.count, "\(nodes.count) nodes for \(steps.count) steps")
    self.name = name
    self.nodes = nodes
    self.steps = steps
    self.sampleShape = sampleShape
    self.slotCount = slotCount
    self.outputSlot = outputSlot
  }

  public var classes: Int { nodes.last(where: { $0.output == outputSlot })?.outputShape.last ?? 0 }

  public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

  // MARK: forward and backward

  public mutating func forward(_ x: Tensor, training: Bool) -> Tensor {
    precondition(
      Array(x.shape.dropFirst()) == sampleShape, "\(name) expects [N] + \(sampleShape), got \(x.shape)")
    var values = [Tensor?](repeating: nil, count: slotCount)
    values[0] = x
    for i in nodes.indices {
      let inputs = nodes[i].inputs.map { values[$0] ?? Tensor.zeros([0]) }
      switch steps[i] {
      case .layer(var layer):
        values[nodes[i].output] = layer.forward(inputs[0], training: training)
        steps[i] = .layer(layer)
      case .join(var join):
        values[nodes[i].output] = join.forward(inputs, training: training)
        steps[i] = .join(join)
      }
    }
    return values[outputSlot] ?? Tensor.zeros([0])
  }

  /// ∂L/∂input for ∂L/∂logits `dy`; sets ``gradients``. Nodes run in reverse order; a value
  /// read by several nodes receives the sum of their gradients.
  @discardableResult
  public mutating func backward(_ dy: Tensor) -> Tensor {
    var grads = [Tensor?](repeating: nil, count: slotCount)
    grads[outputSlot] = dy
    for i in nodes.indices.reversed() {
      guard let g = grads[nodes[i].output] else { continue }
      let inputGrads: [Tensor]
      switch steps[i] {
      case .layer(var layer):
        inputGrads = [layer.backward(g)]
        steps[i] = .layer(layer)
      case .join(var join):
        inputGrads = join.backward(g)
        steps[i] = .join(join)
      }
      for (slot, dx) in zip(nodes[i].inputs, inputGrads) {
        if var sum = grads[slot] {
          for k in 0..<sum.count { sum.scalars[k] += dx.scalars[k] }
          grads[slot] = sum
        } else {
          grads[slot] = dx
        }
      }
    }
    return grads[0] ?? Tensor.zeros([0])
  }

  /// Trainable tensors in node order.
  public var parameters: [Tensor] {
    get {
      steps.flatMap { step -> [Tensor] in
        if case .layer(let l) = step { return l.parameters }
        return []
      }
    }
    set {
      var offset = 0
      for i in steps.indices {
        guard case .layer(var layer) = steps[i] else { continue }
        let count = layer.parameters.count
        guard count > 0 else { continue }
        layer.parameters = Array(newValue[offset..<(offset + count)])
        steps[i] = .layer(layer)
        offset += count
      }
      precondition(offset == newValue.count, "\(newValue.count) tensors for \(offset) parameters")
    }
  }

  /// ∂L/∂parameters from the latest ``backward(_:)``, same order as ``parameters``.
  public var gradients: [Tensor] {
    steps.flatMap { step -> [Tensor] in
      if case .layer(let l) = step { return l.gradients }
      return []
    }
  }

  // MARK: ProductNetwork

  /// Conv and linear operators (those with stationary weights), in graph order.
  public var productOperatorNames: [String] { nodes.filter(\.hasWeights).map(\.name) }

  /// Every product operator, the activation products of attention included.
  public var trainingProductNames: [String] { nodes.filter(\.isProduct).map(\.name) }

  public mutating func setArithmetic(_ arithmetic: (any ProductArithmetic)?, for name: String)
    throws(ConfigError)
  {
    let names = trainingProductNames
    guard let i = nodes.firstIndex(where: { $0.name == name && $0.isProduct }) else {
      throw ConfigError(
        path: name, message: "\(self.name) has no matrix-product operator named '\(name)'",
        expected: "one of \(names.prefix(20).joined(separator: ", "))",
        hint: NearestName.suggestion(for: name, among: names).map { "did you mean '\($0)'?" })
    }
    switch steps[i] {
    case .layer(let l):
      guard var p = l as? any ProductLayer else { return }
      p.arithmetic = arithmetic
      steps[i] = .layer(p)
    case .join(let j):
      guard var p = j as? ActivationProduct else { return }
      p.arithmetic = arithmetic
      steps[i] = .join(p)
    }
  }

  /// The arithmetic set on product operator `name` (`nil`: exact fast path).
  public func arithmetic(for name: String) -> (any ProductArithmetic)? {
    guard let i = nodes.firstIndex(where: { $0.name == name }) else { return nil }
    switch steps[i] {
    case .layer(let l): return (l as? any ProductLayer)?.arithmetic
    case .join(let j): return (j as? ActivationProduct)?.arithmetic
    }
  }

  public mutating func realizeWeights() {
    for i in steps.indices {
      guard case .layer(let l) = steps[i], var layer = l as? any ProductLayer,
        var arith = layer.arithmetic
      else { continue }
      layer.setProductWeights(arith.realize(weights: layer.productWeights))
      layer.arithmetic = arith
      steps[i] = .layer(layer)
    }
  }

  public mutating func infer(_ x: Tensor) -> Tensor { forward(x, training: false) }
}
