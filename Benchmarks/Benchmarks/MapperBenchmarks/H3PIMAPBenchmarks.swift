import Benchmark
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
