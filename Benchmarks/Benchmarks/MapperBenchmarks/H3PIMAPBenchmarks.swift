import Benchmark
import HybrixCore
import Hardware
import Mapping
import Search
import Workloads

/// H3PIMAP stage 1 (issue 10's targets, one core): `hybrix explore`'s settings (population 64,
/// 100 generations, grid 1/16) on ResNet-50 and on Pythia-2.8B prefill 128 under 1 s, the graph
/// built once; the simulations per second are the search's `evaluations / wall`.
func h3pimapBenchmarks() {
  for (model, options) in [("resnet50", ZooOptions()), ("pythia-2.8b", ZooOptions(sequenceLength: 128, phase: .prefill))] {
    Benchmark("explore \(model), h3pimap stage 1, 64 × 100", configuration: .init(maxIterations: 5)) { benchmark async in
      guard let arch = try? PresetRegistry.architecture(named: "h3pimap"),
        let graph = try? ModelZoo.model(named: model).graph(options).loweredForDeployment().graph
      else { preconditionFailure("preset and model build") }
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        let explorer = Explorer(graph: graph, architecture: arch, precision: .int8)
        guard let r = try? await explorer.run(H3PIMAPStrategy(population: 64, generations: 100), goal: Goal([.latency, .energy]))
        else { preconditionFailure() }
        precondition(r.isFeasible)
        blackHole(r)
      }
      benchmark.stopMeasurement()
    }
  }
}

/// H3PIMAP stages 1 + 2 with the proxy (issue 10: under 5 s on ResNet-50): no weights, so the
/// fan-in row sensitivity and the proxy accuracy (``ProxyAccuracyProbe``), bound at 0.5 % weighted
/// product error from the knee of `hybrix explore`'s 64 × 100 stage 1.
func h3pimapRowRemapBenchmarks() {
  Benchmark("explore resnet50, h3pimap stages 1 + 2 (proxy), 64 × 100", configuration: .init(maxIterations: 3)) { benchmark async in
    guard let arch = try? PresetRegistry.architecture(named: "h3pimap"),
      let graph = try? ModelZoo.model(named: "resnet50").graph(ZooOptions()).loweredForDeployment().graph
    else { preconditionFailure("preset and model build") }
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      let day = Time.seconds(86_400)
      let errors = TierPrecision.errors(architecture: arch, at: day)
      let sensitivity = RowSensitivity.proxy(graph: graph)
      var strategy = H3PIMAPStrategy(population: 64, generations: 100)
      (strategy.sensitivity, strategy.tierError) = (sensitivity, errors)
      let explorer = Explorer(
        graph: graph, architecture: arch, precision: .int8, accuracy: ProxyAccuracyProbe(sensitivity: sensitivity, tierError: errors))
      let goal = Goal([.latency, .energy], constraints: [.accuracyDrop(points: 0.5, at: day)])
      guard let r = try? await explorer.run(strategy, goal: goal) else { preconditionFailure() }
      precondition(strategy.recorder.trace != nil)
      blackHole(r)
    }
    benchmark.stopMeasurement()
  }
}
