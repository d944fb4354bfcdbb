import Execution
import Foundation
import HybrixCore
import HybrixNumerics
import Workloads

/// Loads a trained model for the numerics: the network with its weights, the graph its operators
/// are named after, and where the weights came from. Shared by `accuracy` and by `map` when an
/// accuracy constraint needs a probe.
public struct TrainedModelLoader: Sendable {
  /// A zoo model (with `weights`) or an ONNX file with weights.
  public var model: String
  public var weights: String?

  public init(model: String, weights: String?) {
    self.model = model
    self.weights = weights
  }

  /// An ONNX file that is a chain of conv/BN/ReLU/pool/linear runs on ``Network``; any other
  /// graph (residual adds, attention…) on the ONNX interpreter, checked on one sample first so a
  /// model that does not take 1×28×28 images fails with its own error.
  public func load(
    sample: () throws(ConfigError) -> HybrixNumerics.Tensor
  ) throws(ConfigError) -> (any ProductNetwork, Graph, String) {
    if model.lowercased().hasSuffix(".onnx") {
      if weights != nil {
        throw ConfigError(path: "--weights", message: "given with an ONNX model", expected: "weights only for a zoo model", hint: "an ONNX file carries its own weights")
      }
      let graph = try Self.graphWithUnitBatch(onnx: model)
      if let chain = try? Network.load(onnx: model) { return (chain, graph, model) }
      var executor = try ONNXExecutor.load(path: model)
      do throws(ConfigError) {
        _ = try executor.infer(try sample())
      } catch {
        var e = error
        e.message = "cannot classify a Fashion-MNIST image: \(error.message)"
        e.expected = "a model with one float input taking [N, 1, 28, 28] images and one [N, classes] output"
        throw e.inFile(model)
      }
      return (executor, graph, model)
    }
    guard let weights else {
      throw ConfigError(
        path: "--weights", message: "no weights for zoo model \(model)", expected: "an ONNX checkpoint of \(model)",
        hint: "train one: hybrix train \(model) --epochs 8 --out \(model).onnx, then pass --weights \(model).onnx")
    }
    let graph = try ModelZoo.model(named: model).graph(ZooOptions(batch: 1))
    let expected = graph.operators.filter { $0.kind == .conv || $0.kind == .matmul }.map(\.name)
    // A chain checkpoint runs on Network; a graph checkpoint (resnet20-fm, tiny-transformer-fm)
    // on the ONNX interpreter, whose product operators carry the zoo's names.
    let net: any ProductNetwork
    if let chain = try? Network.load(onnx: weights) {
      net = chain
    } else if (try? Network(graph: graph)) != nil {
      net = try Network.load(onnx: weights)
    } else {
      net = try ONNXExecutor.load(path: weights)
    }
    guard net.productOperatorNames == expected else {
      throw ConfigError(
        file: weights, message: "holds operators \(net.productOperatorNames.joined(separator: ", "))",
        expected: "the operators of \(model): \(expected.joined(separator: ", "))",
        hint: "pass the checkpoint written by `hybrix train \(model)`")
    }
    return (net, graph, weights)
  }

  /// The ONNX file's graph with every symbolic dimension bound to 1 (the cost model's view).
  public static func graphWithUnitBatch(onnx path: String) throws(ConfigError) -> Graph {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ConfigError(file: path, message: "cannot be read", expected: "an ONNX model file")
    }
    return try ONNXImporter.loadBindingSymbolsToOne(data: [UInt8](data), fileName: path).graph
  }
}
