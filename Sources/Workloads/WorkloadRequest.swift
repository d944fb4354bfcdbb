import HybrixCore

/// A workload as a user names it — a zoo model or an ONNX path, sized by batch, sequence length
/// or image size, in one phase — and the loading that every costing command shares (`inspect`,
/// `map`, each point of a `sweep`).
public struct WorkloadRequest: Hashable, Sendable, Codable {
  /// A zoo model name or a path to an `.onnx` file.
  public var model: String
  public var batch: Int
  public var sequenceLength: Int?
  public var imageSize: Int?
  public var phase: Phase
  /// Bindings of symbolic ONNX dimensions (`--dim NAME=VALUE`).
  public var dimensions: [String: Int]
  /// Keep BatchNorms and activations as separate operators (`--no-fusion`).
  public var noFusion: Bool

  public init(
    model: String, batch: Int = 1, sequenceLength: Int? = nil, imageSize: Int? = nil,
    phase: Phase = .inference, dimensions: [String: Int] = [:], noFusion: Bool = false
  ) {
    self.model = model
    self.batch = batch
    self.sequenceLength = sequenceLength
    self.imageSize = imageSize
    self.phase = phase
    self.dimensions = dimensions
    self.noFusion = noFusion
  }

  /// Whether `model` names an ONNX file rather than a zoo model.
  public var isONNX: Bool { model.lowercased().hasSuffix(".onnx") || model.contains("/") }
}

extension WorkloadRequest {
  /// A workload ready for a command: the graph, where it came from, and warnings for the user.
  public struct Loaded: Sendable {
    public var graph: Graph
    /// `zoo` or `onnx`.
    public var source: String
    public var path: String?
    public var warnings: [String]
    /// What deployment lowering did: `nil` for a training graph (never lowered) and under
    /// `noFusion`, where ``loweringApplied`` is `false`.
    public var lowering: DeploymentLowering?
    /// `nil` for a training graph; `false` when `noFusion` kept the graph as built.
    public var loweringApplied: Bool?
  }
}

extension WorkloadRequest {
  /// Loads the zoo model or ONNX file, instantiated for the phase, and lowers an inference graph
  /// for deployment unless ``noFusion`` is set.
  public func load() throws(ConfigError) -> Loaded {
    var loaded = try loadAsBuilt()
    guard loaded.graph.workload.phase != .train, phase != .train else { return loaded }
    if noFusion {
      loaded.loweringApplied = false
      return loaded
    }
    let lowering = try loaded.graph.loweredForDeployment()
    loaded.graph = lowering.graph
    loaded.lowering = lowering
    loaded.loweringApplied = true
    return loaded
  }

  /// The graph as the zoo or the ONNX file defines it.
  private func loadAsBuilt() throws(ConfigError) -> Loaded {
    guard batch >= 1 else {
      throw ConfigError(path: "--batch", message: "batch size \(batch)", expected: "an integer ≥ 1")
    }
    if isONNX { return try loadONNX() }
    let zoo = try ModelZoo.model(named: model)
    let graph = try zoo.graph(
      ZooOptions(batch: batch, imageSize: imageSize, sequenceLength: sequenceLength, phase: phase))
    var warnings: [String] = []
    if !dimensions.isEmpty {
      warnings.append("--dim binds ONNX dimensions and is ignored for the zoo model \(zoo.name)")
    }
    if zoo.family == .vision, sequenceLength != nil {
      warnings.append("--seq is ignored for the vision model \(zoo.name); use --image-size")
    }
    if zoo.family != .vision, imageSize != nil {
      warnings.append("--image-size is ignored for the language model \(zoo.name); use --seq")
    }
    return Loaded(graph: graph, source: "zoo", path: nil, warnings: warnings)
  }

  private func loadONNX() throws(ConfigError) -> Loaded {
    if phase == .prefill || phase == .decode {
      throw ConfigError(
        file: model, path: "--phase",
        message: "\(phase.rawValue) needs a KV cache, which an ONNX graph does not describe",
        expected: "inference or train for ONNX files",
        hint: "use a zoo decoder (llama2-7b, gpt2, …) for prefill and decode")
    }
    // A symbolic leading (batch) dimension takes the batch, as a zoo model's batch does; the
    // dimension bindings bind the other symbols and win over the batch for the batch symbol too.
    let imported = try ONNXImporter.load(path: model, bindings: dimensions, batch: batch)
    var graph = imported.graph
    var warnings = imported.warnings
    // The batch is the first dimension of the first graph input, whatever it was bound to.
    if let first = graph.inputs.first, let b = graph[first].shape.dims.first {
      graph.workload.batch = b
    }
    let boundByBatch = warnings.contains { $0.hasPrefix("bound symbolic batch dimension") }
    if batch != 1, !boundByBatch {
      warnings.append(
        "--batch \(batch) is ignored: the model's batch dimension is fixed at \(graph.workload.batch)"
          + " or bound by --dim")
    }
    if sequenceLength != nil || imageSize != nil {
      warnings.append(
        "--seq and --image-size are ignored for ONNX files; bind symbolic dimensions with --dim")
    }
    if phase == .train { graph = try graph.trainingGraph() }
    return Loaded(graph: graph, source: "onnx", path: model, warnings: warnings)
  }
}
