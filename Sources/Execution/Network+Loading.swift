import Foundation
import HybrixCore
import Workloads

extension Network {
  /// The zoo model `name` (`mlp`, `lenet5`, `small-cnn`, or an alias), He-initialised from `seed`.
  ///
  /// - Throws: ``ConfigError`` for an unknown name (with the nearest one) or a model that is not
  ///   a trainable chain.
  public static func zoo(_ name: String, seed: UInt64 = 0) throws(ConfigError) -> Network {
    let model = try ModelZoo.model(named: name)
    let graph = try model.graph(ZooOptions(batch: 1))
    return try Network(graph: graph, seed: seed)
  }

  /// A network read from an ONNX file with its weights (a checkpoint written by
  /// ``writeONNX(to:)``, or any file of the same chain shape). Symbolic input dimensions are
  /// bound to 1: the network takes any batch size.
  ///
  /// - Parameter seed: Only used for weights the file does not carry (none, for a checkpoint).
  /// - Throws: ``ConfigError`` naming the file: missing, not ONNX, not a chain, or a weight
  ///   whose shape does not fit its operator.
  public static func load(onnx path: String, seed: UInt64 = 0) throws(ConfigError) -> Network {
    let (graph, numerics) = try readONNX(path)
    return try Network(graph: graph, file: path, seed: seed, numerics: numerics)
  }

  /// The graph and node numerics of the ONNX file at `path`, symbolic dimensions bound to 1.
  static func readONNX(_ path: String) throws(ConfigError) -> (Graph, [String: ONNXNodeNumerics]) {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
      !isDirectory.boolValue
    else {
      throw ConfigError(
        file: path, message: isDirectory.boolValue ? "is a directory" : "no such file",
        expected: "an ONNX model file", hint: "write one with `hybrix train MODEL --out FILE.onnx`")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ConfigError(
        file: path, message: "cannot be read", expected: "a readable ONNX model file",
        hint: "check the file's permissions")
    }
    let bytes = [UInt8](data)
    let imported = try ONNXImporter.loadBindingSymbolsToOne(data: bytes, fileName: path)
    let numerics = try ONNXImporter.nodeNumerics(data: bytes, fileName: path)
    return (imported.graph, numerics)
  }
}

extension GraphNetwork {
  /// The zoo model `name` as a graph network, initialised from `seed`.
  public static func zoo(_ name: String, seed: UInt64 = 0) throws(ConfigError) -> GraphNetwork {
    let graph = try ModelZoo.model(named: name).graph(ZooOptions(batch: 1))
    return try GraphNetwork(graph: graph, seed: seed)
  }

  /// A graph network read from an ONNX checkpoint (see ``Network/load(onnx:seed:)``).
  public static func load(onnx path: String, seed: UInt64 = 0) throws(ConfigError) -> GraphNetwork {
    let (imported, numerics) = try Network.readONNX(path)
    return try GraphNetwork(graph: imported, file: path, seed: seed, numerics: numerics)
  }
}
