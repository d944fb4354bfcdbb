import Benchmark
import Hardware
import Mapping
import Search
import Workloads

/// Cost-model and mapper speed, the limits of every search. Targets (issue 3): ≥ 10 million
/// (operator slice, tier) evaluations per second on one core; `hybrix map llama2-7b` prefill on
/// the default heterogeneous preset with the greedy strategy under 0.1 s (issue 9: the cost model,
/// the greedy search through the search seam and its one simulation; the graph is built once).
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(3))

  Benchmark("CostModel.quickCost (ResNet-50 conv on every tier)", configuration: .init(scalingFactor: .mega)) { benchmark in
    guard let arch = try? PresetRegistry.architecture(named: PresetRegistry.defaultName),
      let graph = try? ModelZoo.model(named: "resnet50").graph()
    else { preconditionFailure("preset and model build") }
    let model = CostModel(graph: graph, architecture: arch, precision: .int8)
    let convs = graph.operators.indices.filter { graph.operators[$0].kind == .conv }
    let works = convs.map { model.work($0, share: 0, of: .on(0), resident: true) }
    let tiers = arch.tiers.count
    benchmark.startMeasurement()
    var checksum = 0.0
    var i = 0
    for _ in benchmark.scaledIterations {
      let w = works[i % works.count]
      if let c = model.quickCost(w, on: i % tiers) { checksum += c.seconds }
      i &+= 1
    }
    benchmark.stopMeasurement()
    precondition(checksum > 0, "no evaluation succeeded")
    blackHole(checksum)
  }

  Benchmark("map llama2-7b prefill seq 2048, greedy", configuration: .init(maxIterations: 10)) { benchmark async in
    guard let arch = try? PresetRegistry.architecture(named: PresetRegistry.defaultName),
      let graph = try? ModelZoo.model(named: "llama2-7b").graph(ZooOptions(sequenceLength: 2048, phase: .prefill))
    else { preconditionFailure() }
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      let explorer = Explorer(graph: graph, architecture: arch, precision: .int8)
      guard let r = try? await explorer.run(GreedyStrategy(), goal: .minimise(.latency)) else { preconditionFailure() }
      precondition(r.result.isFeasible && r.result.latency.seconds > 0)
      blackHole(r)
    }
    benchmark.stopMeasurement()
  }
  h3pimapBenchmarks()
  h3pimapRowRemapBenchmarks()
}
