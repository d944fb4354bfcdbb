import Execution
import Foundation
import Hardware
import HybrixCore
import HybrixNumerics
import Mapping
import Synchronization
import Workloads

/// Whether Debian's Fashion-MNIST is installed; tests that need it skip otherwise, except on CI
/// (env `CI` set), where missing data must fail with the apt-get hint.
let fashionMNISTAvailable =
  FileManager.default.fileExists(atPath: FashionMNIST.defaultDirectory)
  || ProcessInfo.processInfo.environment["CI"] != nil

/// A committed trained checkpoint under `models/` (docs/checkpoints.md).
func checkpoint(_ name: String) -> String {
  URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("models/\(name).onnx").path
}

/// The trained LeNet-5 (the smallest reference CNN, which keeps debug-build tests to seconds),
/// its graph as the ONNX importer reads it, and the first `count` Fashion-MNIST test images.
struct LeNetFixture {
  var network: Network
  var graph: Graph
  var images: HybrixNumerics.Tensor
  var labels: [Int]

  init(images count: Int) throws {
    network = try Network.load(onnx: checkpoint("lenet5"))
    let path = checkpoint("lenet5")
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ConfigError(file: path, message: "cannot be read")
    }
    graph = try ONNXImporter.loadBindingSymbolsToOne(data: [UInt8](data), fileName: path).graph
    let test = try FashionMNIST.load(split: .test, directory: FashionMNIST.defaultDirectory, limit: count)
    images = test.images
    labels = test.labels
  }
}

/// Tier indices of the `lionheart` preset: the Arm host (exact) and the PCM tiles.
struct LionHeart {
  var architecture: Architecture
  var cpu: Int
  var pcm: Int

  init() throws {
    architecture = try PresetRegistry.architecture(named: "lionheart")
    guard let cpu = architecture.tiers.firstIndex(where: { $0.common.kind == .digital }),
      let pcm = architecture.tiers.firstIndex(where: { $0.common.kind == .analog })
    else { throw ConfigError(message: "lionheart has no digital or no analog tier") }
    self.cpu = cpu
    self.pcm = pcm
  }
}

/// Graph operators that hold a matrix product with a static weight.
func productOperators(_ graph: Graph) -> [Int] {
  graph.operators.indices.filter {
    let op = graph.operators[$0]
    return (op.kind == .conv || op.kind == .matmul) && op.secondOperand == .staticWeight
  }
}

/// A plan with `tiers[i]` for product operator i (in graph order) and `host` for every other
/// operator.
func plan(_ graph: Graph, host: Int, products tiers: [Placement]) -> MappingPlan {
  var placements = [Placement](repeating: .on(host), count: graph.operators.count)
  for (i, op) in productOperators(graph).enumerated() where i < tiers.count { placements[op] = tiers[i] }
  return MappingPlan(placements: placements)
}

/// Counts inferences across every copy of the network (the counter is shared by reference).
final class InferenceCounter: Sendable {
  let value = Mutex(0)
  var count: Int { value.withLock { $0 } }
}

/// A ``Network`` that counts its inferences, to see when a probe runs the model.
struct CountingNetwork: ProductNetwork {
  var base: Network
  let counter: InferenceCounter

  var productOperatorNames: [String] { base.productOperatorNames }
  mutating func setArithmetic(_ arithmetic: (any ProductArithmetic)?, for name: String) throws(ConfigError) {
    try base.setArithmetic(arithmetic, for: name)
  }
  mutating func realizeWeights() { base.realizeWeights() }
  mutating func infer(_ x: HybrixNumerics.Tensor) throws(ConfigError) -> HybrixNumerics.Tensor {
    counter.value.withLock { $0 += 1 }
    return base.infer(x)
  }
}
