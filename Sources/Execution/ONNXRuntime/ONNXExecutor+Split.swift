import HybrixCore
import HybrixNumerics

/// A value live at a split of an ONNX graph: produced before it (or a graph input) and read after.
struct CutValue: Sendable, Hashable {
  var name: String
  /// Its shape without the batch axis.
  var sampleShape: [Int]
  var sampleCount: Int { sampleShape.reduce(1, *) }
}

/// Splitting an ONNX graph before a product operator, so the accuracy probe computes the exact
/// activations of the digital prefix once and runs only the rest in each Monte-Carlo repeat —
/// the residual and attention graphs the chain ``Network`` cannot express.
///
/// A graph has no single activation between two layers: at a cut, every value produced before
/// it and read after it is live (a residual branch, a saved attention input). The prefix's
/// output packs them side by side per sample, `[N, Σ sizes]`; the suffix unpacks its input into
/// the same values and runs the nodes from the cut on. Packing copies floats, so
/// `suffix.infer(prefix.infer(x))` is `infer(x)` bit for bit (`ONNXExecutorSplitTests`).
extension ONNXExecutor: SplittableNetwork {
  /// The declared shape of one input sample (the batch axis dropped); `[]` when a dimension is
  /// symbolic (such a graph cannot be split). A suffix's sample is its packed input.
  public var sampleShape: [Int] {
    if !cutInputs.isEmpty { return [cutInputs.reduce(0) { $0 + $1.sampleCount }] }
    guard let dims = program.inputs.first?.shape, dims.count >= 2 else { return [] }
    var shape: [Int] = []
    for d in dims.dropFirst() {
      guard let d, d >= 1 else { return [] }
      shape.append(d)
    }
    return shape
  }

  /// The prefix of the nodes before product operator `name` and the suffix from it on; `nil`
  /// when `name` is not a product operator of this executor, nothing runs before it, the input
  /// shape is not static, or a live value at the cut is not a float tensor with the batch as its
  /// first axis (found by running the prefix once on two zero samples).
  public func split(before name: String) -> (prefix: ONNXExecutor, suffix: ONNXExecutor)? {
    guard cutInputs.isEmpty, cutOutputs.isEmpty, productOperatorNames.contains(name),
      let cut = order.firstIndex(where: { program.nodes[$0].name == name }), span.contains(cut), cut > span.lowerBound
    else { return nil }
    let shape = sampleShape
    guard !shape.isEmpty, let input = program.inputs.first else { return nil }

    // Live at the cut: graph inputs and prefix outputs that a suffix node or a graph output reads.
    var produced = Set(program.inputs.map(\.name))
    for position in span.lowerBound..<cut {
      for out in program.nodes[order[position]].outputs where !out.isEmpty { produced.insert(out) }
    }
    var live: [String] = []
    var seen = Set<String>()
    let readers = (cut..<span.upperBound).flatMap { program.nodes[order[$0]].inputs } + program.outputs.map(\.name)
    for value in readers where produced.contains(value) && constants[value] == nil && seen.insert(value).inserted {
      live.append(value)
    }
    guard !live.isEmpty else { return nil }

    // Shapes from a dry run of the prefix on two zero samples.
    let batch = fixedBatchSize ?? 2
    var probe = self
    probe.span = span.lowerBound..<cut
    var env = constants
    env[input.name] = .float(Tensor.zeros([batch] + shape))
    do throws(ConfigError) { try probe.runNodes(&env) } catch { return nil }
    var values: [CutValue] = []
    for name in live {
      guard case .float(let t)? = env[name], t.rank >= 1, t.shape[0] == batch else { return nil }
      values.append(CutValue(name: name, sampleShape: Array(t.shape.dropFirst())))
    }

    var prefix = self
    prefix.span = span.lowerBound..<cut
    prefix.cutOutputs = values
    var suffix = self
    suffix.span = cut..<span.upperBound
    suffix.cutInputs = values
    let before = Set((span.lowerBound..<cut).map { program.nodes[order[$0]].name })
    prefix.productOperatorNames = productOperatorNames.filter { before.contains($0) }
    suffix.productOperatorNames = productOperatorNames.filter { !before.contains($0) }
    return (prefix, suffix)
  }

  /// ``infer(_:)`` of a side of a split: unpack the cut (suffix) or the graph input (prefix),
  /// run the span, pack the cut (prefix) or return the first graph output (suffix).
  mutating func inferSplit(_ x: Tensor) throws(ConfigError) -> Tensor {
    var env = constants
    let n = x.shape.first ?? 0
    if cutInputs.isEmpty {
      guard let input = program.inputs.first else {
        throw ConfigError(file: program.fileName, message: "the graph has no input", expected: "one float input")
      }
      env[input.name] = .float(x)
    } else {
      let width = cutInputs.reduce(0) { $0 + $1.sampleCount }
      guard x.rank == 2, x.shape[1] == width, x.count == n * width else {
        throw ConfigError(
          file: program.fileName, message: "split input of shape \(x.shape)", expected: "[N, \(width)] (the packed cut)")
      }
      var offset = 0
      for v in cutInputs {
        var scalars = [Float](repeating: 0, count: n * v.sampleCount)
        x.scalars.withUnsafeBufferPointer { src in
          scalars.withUnsafeMutableBufferPointer { dst in
            guard let s = src.baseAddress, let d = dst.baseAddress else { return }
            for i in 0..<n { (d + i * v.sampleCount).update(from: s + i * width + offset, count: v.sampleCount) }
          }
        }
        env[v.name] = .float(Tensor(shape: [n] + v.sampleShape, scalars: scalars))
        offset += v.sampleCount
      }
    }
    do throws(ConfigError) { try runNodes(&env) } catch { throw error.inFile(program.fileName) }
    if cutOutputs.isEmpty {
      guard let output = program.outputs.first, case .float(let y)? = env[output.name] else {
        throw ConfigError(
          file: program.fileName, message: "the split graph's first output is not a float tensor",
          expected: "float logits [N, classes]")
      }
      return y
    }
    let width = cutOutputs.reduce(0) { $0 + $1.sampleCount }
    var packed = [Float](repeating: 0, count: n * width)
    var offset = 0
    for v in cutOutputs {
      guard case .float(let t)? = env[v.name], t.count == n * v.sampleCount else {
        throw ConfigError(
          file: program.fileName, message: "value '\(v.name)' at the split has another shape than the dry run's",
          expected: "[\(n)] + \(v.sampleShape)")
      }
      t.scalars.withUnsafeBufferPointer { src in
        packed.withUnsafeMutableBufferPointer { dst in
          guard let s = src.baseAddress, let d = dst.baseAddress else { return }
          for i in 0..<n { (d + i * width + offset).update(from: s + i * v.sampleCount, count: v.sampleCount) }
        }
      }
      offset += v.sampleCount
    }
    return Tensor(shape: [n, width], scalars: packed)
  }
}
