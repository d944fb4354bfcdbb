import Hardware
import HybrixCore
import Workloads

/// Small architectures built in code for mapping tests.
public enum TestArchitectures {
  public static func systolic(_ id: String, size: Int, clockGHz: Double = 1) throws -> SystolicArrayTier {
    var spec = SystolicArrayTier.example
    spec.common.id = id
    spec.common.clock = .gigahertz(clockGHz)
    spec.rows = size
    spec.cols = size
    return try SystolicArrayTier(spec: spec)
  }

  /// A big and a small systolic array joined by a link of `linkGBps`.
  public static func twoArrays(linkGBps: Double = 64, withLink: Bool = true) throws -> Architecture {
    let source = "test"
    let links = withLink
      ? [
        LinkSpec(
          from: "big", to: "small", bandwidth: Sourced(.bytesPerSecond(linkGBps * 1e9), source: source),
          energy: Sourced(EnergyPerData(baseValue: 1e-12), source: source)),
      ] : []
    return Architecture(
      name: "two", tiers: [try systolic("big", size: 128), try systolic("small", size: 32)],
      memory: MemoryPresets.hbm, links: links)
  }

  /// A three-layer MLP at batch `batch`.
  public static func mlp(batch: Int = 8) throws -> Graph {
    var g = GraphBuilder(name: "mlp")
    let x = try g.input("x", [batch, 256])
    let h = try g.elementwise("relu1", "relu", [try g.linear("fc1", x, out: 512)])
    let h2 = try g.elementwise("relu2", "relu", [try g.linear("fc2", h, out: 512)])
    _ = try g.linear("fc3", h2, out: 10)
    g.workload = WorkloadParameters(batch: batch)
    return try g.finish()
  }
}
