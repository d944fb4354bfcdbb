import Foundation
import HybrixCore

/// The result of reading an ONNX file: the workload graph and what the user should know about
/// the conversion (unsupported operators, shapes that could not be inferred, ignored bindings).
public struct ONNXImport: Sendable {
  public var graph: Graph
  public var warnings: [String]
  public init(graph: Graph, warnings: [String]) {
    self.graph = graph
    self.warnings = warnings
  }
}

/// Reads ONNX models into ``Graph``s with a hand-written protobuf decoder (no dependency).
///
/// Operators are converted through ``GraphBuilder``, so shapes, MAC counts and parameter counts
/// follow the same rules as the model zoo. Shape computations on small integer tensors
/// (Shape → Gather → Concat → Reshape chains) are folded to constants. Operators Hybrix does not
/// model are kept as `other` with the shapes the file declares, and listed in a warning.
/// Every problem with the file is a ``ConfigError`` naming the file and the place inside it,
/// e.g. `graph.node[3](conv1).attribute.kernel_shape`.
public enum ONNXImporter {
  /// The operator set assumed when a file does not import the default ONNX domain.
  static let defaultOpset = 21

  /// Reads and converts the ONNX file at `path`.
  ///
  /// - Parameter bindings: sizes for symbolic dimensions (`dim_param`) of graph inputs, from
  ///   `--dim NAME=VALUE`; each must be ≥ 1.
  public static func load(path: String, bindings: [String: Int] = [:]) throws(ConfigError)
    -> ONNXImport
  {
    return try load(data: try read(path), fileName: path, bindings: bindings)
  }

  /// The bytes of the file at `path`, with clear errors for a missing file or a folder.
  static func read(_ path: String) throws(ConfigError) -> [UInt8] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw ConfigError(
        file: path, message: "no such file", expected: "an ONNX model file",
        hint: "check the path; models from the zoo are named without .onnx")
    }
    guard !isDirectory.boolValue else {
      throw ConfigError(file: path, message: "is a directory", expected: "an ONNX model file")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ConfigError(
        file: path, message: "cannot be read", expected: "a readable ONNX model file",
        hint: "check the file's permissions")
    }
    return [UInt8](data)
  }

  /// Reads and converts the ONNX file at `path`, binding a symbolic *leading* (batch) dimension
  /// of the graph inputs to `batch` unless `bindings` names it (an explicit `--dim` wins); the
  /// import's warnings say which symbols were bound so. Other symbols still need `bindings`.
  public static func load(path: String, bindings: [String: Int], batch: Int) throws(ConfigError)
    -> ONNXImport
  {
    let data = try read(path)
    var all = bindings
    let bound = try batchSymbols(data: data, fileName: path).filter { bindings[$0] == nil }
    for name in bound { all[name] = batch }
    var result = try load(data: data, fileName: path, bindings: all)
    for name in bound {
      result.warnings.append("bound symbolic batch dimension \(name) to --batch \(batch)")
    }
    return result
  }

  /// The symbolic names of the first dimension of the graph inputs, sorted: the batch
  /// dimensions `--batch` binds.
  public static func batchSymbols(data: [UInt8], fileName: String) throws(ConfigError) -> [String] {
    let model = try decode(data, fileName: fileName, readExternalData: false)
    let initializers = Set(model.graph.initializers.map(\.name))
    var names = Set<String>()
    for input in model.graph.inputs where !initializers.contains(input.name) {
      if case .param(let name)? = input.shape?.first { names.insert(name) }
    }
    return names.sorted()
  }

  /// Converts ONNX model bytes; `fileName` is used in errors only.
  public static func load(data: [UInt8], fileName: String, bindings: [String: Int] = [:])
    throws(ConfigError) -> ONNXImport
  {
    for (name, value) in bindings.sorted(by: { $0.key < $1.key }) where value < 1 {
      throw ConfigError(
        path: "--dim \(name)", message: "dimension \(name) bound to \(value)",
        expected: "a size ≥ 1", hint: "pass --dim \(name)=VALUE with a positive VALUE")
    }
    let model = try decode(data, fileName: fileName)
    do {
      let stem = fileName.split(separator: "/").last.map { String($0.split(separator: ".").first ?? $0) }
      var converter = Converter(model: model, bindings: bindings, fallbackName: stem ?? "onnx")
      return try converter.run()
    } catch {
      throw error.inFile(fileName)
    }
  }

  /// The symbolic dimension names (`dim_param`) of the graph inputs, sorted: the names `--dim`
  /// can bind.
  public static func symbolicDimensions(data: [UInt8], fileName: String) throws(ConfigError)
    -> [String]
  {
    let model = try decode(data, fileName: fileName, readExternalData: false)
    let initializers = Set(model.graph.initializers.map(\.name))
    var names = Set<String>()
    for input in model.graph.inputs where !initializers.contains(input.name) {
      for case .param(let name) in input.shape ?? [] { names.insert(name) }
    }
    return names.sorted()
  }

  /// Converts ONNX model bytes with every symbolic input dimension bound to 1: the one-sample
  /// view the cost model maps and a network built from it runs at any batch size.
  public static func loadBindingSymbolsToOne(data: [UInt8], fileName: String) throws(ConfigError) -> ONNXImport {
    let symbols = try symbolicDimensions(data: data, fileName: fileName)
    return try load(data: data, fileName: fileName, bindings: Dictionary(uniqueKeysWithValues: symbols.map { ($0, 1) }))
  }

  /// Decodes the protobuf, checks that it looks like an ONNX model at all, and reads the values
  /// of initializers stored in external data files beside `fileName`.
  static func decode(_ data: [UInt8], fileName: String, readExternalData: Bool = true)
    throws(ConfigError) -> ONNXModel
  {
    let notONNX = "an ONNX model (a protobuf ModelProto)"
    guard !data.isEmpty else {
      throw ConfigError(file: fileName, message: "the file is empty", expected: notONNX)
    }
    var model: ONNXModel
    do {
      model = try ONNXModel(bytes: data)
    } catch {
      let path = error.joinedPath
      throw ConfigError(
        file: fileName, path: path.isEmpty ? nil : path,
        message: "malformed protobuf at byte \(error.offset) of \(data.count): \(error.message)",
        expected: notONNX, hint: "the file may be truncated, corrupted or not an ONNX model")
    }
    guard model.irVersion >= 1, model.hasGraph else {
      let missing = model.hasGraph ? "no ir_version" : "no graph"
      throw ConfigError(
        file: fileName, message: "not an ONNX model (\(missing))", expected: notONNX,
        hint: "export the model with torch.onnx.export or onnx.save")
    }
    if readExternalData { try model.graph.loadExternalData(modelFile: fileName) }
    return model
  }
}
