import HybrixCore

/// How a zoo model is instantiated.
public struct ZooOptions: Hashable, Sendable {
  public var batch: Int = 1
  /// Input image side in pixels (vision models); `nil` takes the model's default.
  public var imageSize: Int? = nil
  /// Tokens per sequence (prefill, inference, training) or of context (decode); `nil` takes the
  /// model's default.
  public var sequenceLength: Int? = nil
  public var phase: Phase = .inference
  public init(batch: Int = 1, imageSize: Int? = nil, sequenceLength: Int? = nil, phase: Phase = .inference) {
    self.batch = batch
    self.imageSize = imageSize
    self.sequenceLength = sequenceLength
    self.phase = phase
  }
}

/// Figures published for a model, which the tests hold the zoo to.
public struct PublishedFigures: Hashable, Sendable {
  /// Trained parameters.
  public var parameters: Double
  /// Multiply-accumulates of one inference at the default input size, where published.
  public var macs: Double?
  /// Where the figures come from.
  public var source: String
}

/// What a zoo model is, which decides which options and phases apply.
public enum ModelFamily: String, Sendable, CaseIterable {
  /// Image classifier; takes `imageSize`.
  case vision
  /// Encoder over a token sequence (BERT); takes `sequenceLength`.
  case encoder
  /// Autoregressive decoder (GPT, OPT, Llama); takes `sequenceLength`, has prefill and decode.
  case decoder
}

/// A built-in workload.
public struct ZooModel: Sendable {
  public let name: String
  public let aliases: [String]
  public let summary: String
  public let family: ModelFamily
  /// Default input image side (vision) or sequence length (language).
  public let defaultSize: Int
  public let published: PublishedFigures
  let build: @Sendable (_ batch: Int, _ size: Int, _ phase: Phase) throws(ConfigError) -> GraphBuilder

  public init(
    name: String, aliases: [String] = [], summary: String, family: ModelFamily, defaultSize: Int,
    published: PublishedFigures,
    build: @escaping @Sendable (_ batch: Int, _ size: Int, _ phase: Phase) throws(ConfigError) -> GraphBuilder
  ) {
    self.name = name
    self.aliases = aliases
    self.summary = summary
    self.family = family
    self.defaultSize = defaultSize
    self.published = published
    self.build = build
  }

  /// The graph of this model for `options`: the forward graph, or for `.train` the forward
  /// graph followed by its backward pass and weight update.
  public func graph(_ options: ZooOptions = ZooOptions()) throws(ConfigError) -> Graph {
    guard options.batch >= 1 else {
      throw ConfigError(
        path: "--batch", message: "batch size \(options.batch)", expected: "an integer ≥ 1")
    }
    if let s = options.sequenceLength, s < 1 {
      throw ConfigError(path: "--seq", message: "sequence length \(s)", expected: "an integer ≥ 1")
    }
    if let s = options.imageSize, s < 1 {
      throw ConfigError(path: "--image-size", message: "image size \(s)", expected: "an integer ≥ 1")
    }
    switch (family, options.phase) {
    case (.decoder, _), (_, .inference), (_, .train): break
    case (_, .prefill), (_, .decode):
      throw ConfigError(
        path: "--phase", message: "\(name) is \(family == .vision ? "a vision model" : "an encoder") and has no \(options.phase.rawValue) phase",
        expected: "inference or train",
        hint: "prefill and decode apply to decoder language models: "
          + ModelZoo.all.filter { $0.family == .decoder }.map(\.name).joined(separator: ", "))
    }
    let size: Int
    switch family {
    case .vision: size = options.imageSize ?? defaultSize
    case .encoder, .decoder: size = options.sequenceLength ?? defaultSize
    }
    var builder = try build(options.batch, size, options.phase)
    builder.workload = WorkloadParameters(
      phase: options.phase, batch: options.batch,
      sequenceLength: family != .vision && options.phase != .decode ? size : nil,
      contextLength: options.phase == .decode ? size : nil,
      imageSize: family == .vision ? size : nil)
    let forward = try builder.finish()
    return options.phase == .train ? try forward.trainingGraph() : forward
  }
}

/// The registry of built-in workloads. A new model is one file with a `ZooModel` and one line here.
public enum ModelZoo {
  public static let all: [ZooModel] = [
    LeNet.model, SmallCNN.model, FashionMLP.model, AlexNet.model, VGG.vgg16, ResNet.resnet18,
    ResNet.resnet20, ResNet.resnet50, MobileNetV2.model, MobileViT.model, ViT.b16, Transformers.bertBase,
    Transformers.bertLarge, MobileBERT.model, Transformers.gpt2, Transformers.opt6_7b,
    Transformers.opt13b, Transformers.llama2_7b, Transformers.llama3_8b, Transformers.pythia70m,
    Transformers.pythia2_8b, FashionReference.resnet20, FashionReference.vgg,
    FashionReference.transformer,
  ]

  /// The model called `name` (or one of its aliases), case-insensitive; the error suggests the
  /// nearest name.
  public static func model(named name: String) throws(ConfigError) -> ZooModel {
    let key = name.lowercased()
    if let m = all.first(where: { $0.name == key || $0.aliases.contains(key) }) { return m }
    let names = all.map(\.name)
    let suggestion = NearestName.suggestion(for: name, among: names + all.flatMap(\.aliases))
    var hint = "`hybrix models` lists them all"
    if let suggestion {
      let canonical = all.first(where: { $0.name == suggestion || $0.aliases.contains(suggestion) })?.name ?? suggestion
      hint = "did you mean \(canonical)? " + hint
    }
    throw ConfigError(
      path: "MODEL", message: "no model named \"\(name)\"",
      expected: "a zoo name (\(names.joined(separator: ", "))) or a path to an .onnx file",
      hint: hint)
  }
}
