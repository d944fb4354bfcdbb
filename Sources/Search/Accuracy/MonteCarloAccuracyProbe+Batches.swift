import Execution
import HybrixCore
import HybrixNumerics

extension MonteCarloAccuracyProbe {
  /// The batch partition every pass over the first `count` images uses: what
  /// ``Execution/ProductNetwork/accuracy(images:labels:batchSize:progress:)`` runs, so work done
  /// batch by batch elsewhere sees the same inputs, row for row.
  func batches(of count: Int) -> [Range<Int>] {
    let size = network.effectiveBatchSize(settings.batchSize)
    return stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
  }

  /// Images `range` of the probe's images, `[range.count, …]`.
  func images(_ range: Range<Int>) -> HybrixNumerics.Tensor {
    let sample = images.count / max(1, images.shape[0])
    return HybrixNumerics.Tensor(
      shape: [range.count] + images.shape.dropFirst(),
      scalars: Array(images.scalars[(range.lowerBound * sample)..<(range.upperBound * sample)]))
  }

  /// `body` over `batches`, split into ``Settings/parallelism`` contiguous runs of batches run at
  /// once, each on its own copy of `network`; results in batch order.
  func mapBatches<T: Sendable>(
    _ network: any ProductNetwork, _ batches: [Range<Int>],
    _ body: @escaping @Sendable (inout any ProductNetwork, Range<Int>) throws(ConfigError) -> T
  ) async throws(ConfigError) -> [T] {
    let runs = max(1, min(settings.parallelism, batches.count))
    let per = (batches.count + runs - 1) / max(1, runs)
    let groups = stride(from: 0, to: batches.count, by: max(1, per)).map {
      Array(batches[$0..<min(batches.count, $0 + per)])
    }
    let results = await withTaskGroup(of: (Int, Result<[T], ConfigError>).self) { group in
      for (g, run) in groups.enumerated() {
        group.addTask {
          var copy = network
          var out: [T] = []
          for range in run {
            do throws(ConfigError) {
              out.append(try body(&copy, range))
            } catch {
              return (g, .failure(error))
            }
          }
          return (g, .success(out))
        }
      }
      var byGroup = [Result<[T], ConfigError>?](repeating: nil, count: groups.count)
      for await (g, result) in group { byGroup[g] = result }
      return byGroup
    }
    var all: [T] = []
    for result in results {
      guard let result else { preconditionFailure("a batch group did not report") }
      all += try result.get()
    }
    return all
  }

  /// Images the exact model classifies correctly, batch by batch over the first `count` images
  /// (each batch through ``Execution/ProductNetwork/accuracy(images:labels:batchSize:progress:)``).
  func correctCounts(images count: Int) async throws(ConfigError) -> [Int] {
    let batchSize = settings.batchSize
    let labels = self.labels
    let probe = self
    return try await mapBatches(network, batches(of: count)) { net, range throws(ConfigError) in
      let accuracy = try net.accuracy(
        images: probe.images(range), labels: Array(labels[range]), batchSize: batchSize)
      return Int((accuracy * Double(range.count)).rounded())
    }
  }

  /// What `prefix` gives for the first `count` images, batch by batch, as one `[count] + shape`
  /// tensor (`shape`: one sample of what it gives).
  func activations(of prefix: any ProductNetwork, images count: Int, shape: [Int]) async throws(ConfigError)
    -> HybrixNumerics.Tensor
  {
    let probe = self
    let parts = try await mapBatches(prefix, batches(of: count)) { net, range throws(ConfigError) in
      try net.infer(probe.images(range))
    }
    var scalars: [Float] = []
    scalars.reserveCapacity(count * shape.reduce(1, *))
    for p in parts { scalars += p.scalars }
    return HybrixNumerics.Tensor(shape: [count] + shape, scalars: scalars)
  }
}
