import Execution
import Hardware
import HybrixCore
import HybrixNumerics
import Mapping

extension MonteCarloAccuracyProbe {
  /// What a probe keeps between calls.
  struct Cache: Sendable {
    /// Exact-model accuracy by number of images (the first n of the probe's images).
    var references: [Int: Double] = [:]
    /// Accuracies of repeats 0, 1, … of each measured configuration, in repeat order.
    var accuracies: [RunKey: [Double]] = [:]
    /// Exact activations entering product operator `name` for the first `images` images.
    var activations: [ActivationKey: HybrixNumerics.Tensor] = [:]
    /// Bytes held in ``activations``.
    var activationBytes = 0
    /// The keys of ``activations``, least recently used first.
    var activationOrder: [ActivationKey] = []

    /// Marks `key` as just used.
    mutating func touch(_ key: ActivationKey) {
      activationOrder.removeAll { $0 == key }
      activationOrder.append(key)
    }

    /// Drops the least recently used activations until `bytes` more fit in `limit`.
    mutating func makeRoom(_ bytes: Int, limit: Int, size: (HybrixNumerics.Tensor) -> Int) {
      while activationBytes + bytes > limit, let oldest = activationOrder.first {
        activationOrder.removeFirst()
        if let t = activations.removeValue(forKey: oldest) { activationBytes -= size(t) }
      }
    }
  }

  struct ActivationKey: Hashable, Sendable {
    var name: String
    var images: Int
  }

  /// Everything a repeat's accuracy depends on besides the probe's fixed inputs and settings.
  struct RunKey: Hashable, Sendable {
    var operators: [ModelledOperator]
    var seconds: Double
    var compensated: Bool
    var images: Int
  }

  /// The fewest repeats sequential stopping decides on.
  static let minimumRepeats = 3

  /// Number of repeat results the probe keeps (for tests: caching is observable).
  var cachedRepeatCount: Int { cache.withLock { $0.accuracies.values.reduce(0) { $0 + $1.count } } }
  /// Number of activation tensors the probe keeps.
  var cachedActivationCount: Int { cache.withLock { $0.activations.count } }
  /// The product operators whose entering activations the probe keeps, least recently used first.
  var cachedActivationOperators: [String] { cache.withLock { $0.activationOrder.map(\.name) } }

  /// The exact model's accuracy on the first `images` images, computed once (batches split
  /// between ``Settings/parallelism`` copies of the network; correct counts add up exactly).
  func reference(images count: Int) async throws(ConfigError) -> Double {
    if let known = cache.withLock({ $0.references[count] }) { return known }
    let correct = try await correctCounts(images: count).reduce(0, +)
    let accuracy = Double(correct) / Double(count)
    cache.withLock { $0.references[count] = accuracy }
    return accuracy
  }

  /// The network from product operator `name` on and the exact activations entering it for the
  /// first `count` images (computed once and kept while they are among the most recently used
  /// that fit in ``Settings/activationCacheBytes``), or `nil` when the network cannot be split
  /// there or these activations alone do not fit.
  ///
  /// Least recently used activations make room for new ones: LionHeart's fast mode measures
  /// each layer's sensitivity in turn, and a residual network's activations at 2 000 images
  /// (100–200 MB a cut) would otherwise fill the cache after three layers and leave the rest
  /// running the whole network.
  func suffix<S: SplittableNetwork>(of network: S, from name: String, images count: Int) async throws(ConfigError)
    -> (network: any ProductNetwork, inputs: HybrixNumerics.Tensor)?
  {
    guard let (prefix, suffix) = network.split(before: name) else { return nil }
    let key = ActivationKey(name: name, images: count)
    let known = cache.withLock { c -> HybrixNumerics.Tensor? in
      guard let t = c.activations[key] else { return nil }
      c.touch(key)
      return t
    }
    if let known { return (suffix, known) }
    let bytes = count * suffix.sampleShape.reduce(1, *) * MemoryLayout<Float>.size
    guard bytes <= settings.activationCacheBytes else { return nil }
    let inputs = try await activations(of: prefix, images: count, shape: suffix.sampleShape)
    let limit = settings.activationCacheBytes
    cache.withLock { c in
      guard c.activations[key] == nil else { return c.touch(key) }
      c.makeRoom(bytes, limit: limit) { $0.count * MemoryLayout<Float>.size }
      c.activations[key] = inputs
      c.activationBytes += bytes
      c.touch(key)
    }
    return (suffix, inputs)
  }

  /// The drop of `modelled` (every other product exact) on the first `images` images over
  /// `repeats` repeats, or fewer when `threshold` lets sequential stopping decide earlier.
  func measure(
    _ modelled: [ModelledOperator], time: Time, images count: Int, repeats: Int, threshold: Double?
  ) async throws(ConfigError) -> AccuracyDrop {
    let reference = try await reference(images: count)
    guard !modelled.isEmpty else {
      // Every share is exact: the mapped model is the reference model.
      return AccuracyDrop(
        points: 0, low95: 0, high95: 0, referenceAccuracy: reference, meanAccuracy: reference,
        repeats: 0, samples: count, atSeconds: time.seconds)
    }
    let key = RunKey(operators: modelled, seconds: time.seconds, compensated: settings.compensated, images: count)
    var accuracies = cache.withLock { $0.accuracies[key] ?? [] }
    var used = repeats
    while true {
      if let threshold, let n = Self.stoppingPoint(accuracies, reference: reference, threshold: threshold, most: repeats) {
        used = n
        break
      }
      guard accuracies.count < repeats else { break }
      // Sequential stopping looks after every round of `parallelism` repeats (the first round
      // reaches the minimum); without a threshold, all the repeats run in one go.
      let target =
        threshold == nil
        ? repeats
        : min(repeats, max(Self.minimumRepeats, accuracies.count + settings.parallelism))
      accuracies += try await run(modelled, time: time, images: count, repeats: accuracies.count..<target)
      let done = accuracies
      cache.withLock { c in
        if done.count > (c.accuracies[key]?.count ?? 0) { c.accuracies[key] = done }
      }
    }
    return Self.drop(
      Array(accuracies.prefix(used)), reference: reference, samples: count, time: time)
  }

  /// The first n ≥ 3 (and ≤ `most`) for which the 95 % interval of the mean drop over repeats
  /// 0..<n lies entirely above or below `threshold`; `nil` when none of the repeats so far does.
  static func stoppingPoint(_ accuracies: [Double], reference: Double, threshold: Double, most: Int) -> Int? {
    let available = min(accuracies.count, most)
    guard available >= minimumRepeats else { return nil }
    for n in minimumRepeats...available {
      let s = SampleStatistics(accuracies.prefix(n).map { 100 * (reference - $0) })
      if s.confidenceLow > threshold || s.confidenceHigh < threshold { return n }
    }
    return nil
  }

  static func drop(_ accuracies: [Double], reference: Double, samples: Int, time: Time) -> AccuracyDrop {
    let drops = SampleStatistics(accuracies.map { 100 * (reference - $0) })
    return AccuracyDrop(
      points: drops.mean, low95: drops.confidenceLow, high95: drops.confidenceHigh,
      referenceAccuracy: reference, meanAccuracy: accuracies.reduce(0, +) / Double(accuracies.count),
      repeats: accuracies.count, samples: samples, atSeconds: time.seconds)
  }

  /// Accuracies of repeats `range`, ``Settings/parallelism`` at a time, each on its own copy of
  /// the network; in repeat order whatever order they finish in. The first failing repeat's
  /// error (in repeat order) is thrown.
  func run(
    _ modelled: [ModelledOperator], time: Time, images count: Int, repeats range: Range<Int>
  ) async throws(ConfigError) -> [Double] {
    guard !range.isEmpty else { return [] }
    // Operators before the first modelled one are exact in every repeat: their activations are
    // computed once and each repeat runs only the rest of the network on them.
    var network = self.network
    var inputs = images
    if let first = modelled.first?.assignment.name, let splittable = network as? any SplittableNetwork,
      let (suffix, activations) = try await suffix(of: splittable, from: first, images: count)
    {
      network = suffix
      inputs = activations
    }
    let job = RepeatJob(
      network: network, operators: modelled.map { (offset: $0.index, element: $0.assignment) },
      architecture: architecture, time: time, compensated: settings.compensated, seed: settings.seed,
      images: inputs, labels: Array(labels.prefix(count)), batchSize: settings.batchSize)
    let width = settings.parallelism
    let results = await withTaskGroup(of: (Int, Result<Double, ConfigError>).self) { group in
      var next = range.lowerBound
      var out = [Result<Double, ConfigError>?](repeating: nil, count: range.count)
      while next < range.upperBound, next - range.lowerBound < width {
        let r = next
        group.addTask { (r, job.accuracy(repeat: r)) }
        next += 1
      }
      while let (r, result) = await group.next() {
        out[r - range.lowerBound] = result
        if next < range.upperBound {
          let r = next
          group.addTask { (r, job.accuracy(repeat: r)) }
          next += 1
        }
      }
      return out
    }
    var accuracies: [Double] = []
    for result in results {
      guard let result else { preconditionFailure("a repeat of \(range) did not report") }
      accuracies.append(try result.get())
    }
    return accuracies
  }
}

/// One configuration's repeats, as a value each task can run on its own.
struct RepeatJob: Sendable {
  var network: any ProductNetwork
  var operators: [(offset: Int, element: OperatorAssignment)]
  var architecture: Architecture
  var time: Time
  var compensated: Bool
  var seed: UInt64
  var images: HybrixNumerics.Tensor
  var labels: [Int]
  var batchSize: Int

  func accuracy(repeat r: Int) -> Result<Double, ConfigError> {
    Result { () throws(ConfigError) -> Double in
      try MappingAccuracy.repeatAccuracy(
        network: network, operators: operators, architecture: architecture, time: time,
        compensated: compensated, seed: seed, repeat: r, images: images, labels: labels,
        batchSize: batchSize)
    }
  }
}
