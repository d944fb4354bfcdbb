import HybrixCore
import HybrixNumerics

/// Flat indices of a strided view: element `i` of an array of `shape` (row-major) reads
/// `offset + Σ index_d · strides[d]`.
func stridedIndices(shape: [Int], strides: [Int], offset: Int = 0) -> [Int] {
  let count = shape.reduce(1, *)
  guard count > 0 else { return [] }
  var walk = StridedOdometer(shape: shape, strides: strides, offset: offset)
  var indices = [Int](repeating: 0, count: count)
  for i in 0..<count {
    indices[i] = walk.offset
    walk.advance()
  }
  return indices
}

/// The strided view of ``stridedIndices(shape:strides:offset:)`` (offset 0) copied out without an
/// index table: size-1 axes are dropped, axes that are contiguous in `source` are merged, and the
/// innermost remaining axis is copied as one run (a plain copy when its stride is 1). Element for
/// element the same as gathering by the index table (`ONNXFastPathTests`).
func stridedGather<T>(_ source: [T], shape: [Int], strides: [Int]) -> [T] {
  let count = shape.reduce(1, *)
  guard count > 0 else { return [] }
  var (dims, steps) = ([Int](), [Int]())
  for (d, s) in zip(shape, strides) where d != 1 {
    if let outer = dims.last, let outerStep = steps.last, outerStep == s * d {
      dims[dims.count - 1] = outer * d
      steps[steps.count - 1] = s
    } else {
      dims.append(d)
      steps.append(s)
    }
  }
  let inner = dims.popLast() ?? 1
  let step = steps.popLast() ?? 0
  return [T](unsafeUninitializedCapacity: count) { out, initialized in
    source.withUnsafeBufferPointer { src in
      guard let o = out.baseAddress, let first = src.baseAddress else { return }
      var outer = StridedOdometer(shape: dims, strides: steps)
      var at = 0
      while at < count {
        let base = outer.offset
        if step == 1 {
          (o + at).initialize(from: first + base, count: inner)
        } else {
          for j in 0..<inner { (o + at + j).initialize(to: src[base + j * step]) }
        }
        at += inner
        outer.advance()
      }
      initialized = count
    }
  }
}

extension ONNXKernels {
  /// Transpose by `perm` (reversed axes by default).
  static func transpose(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.value(0, "data")
    let rank = x.shape.count
    let perm = try n.intList("perm").map { $0.map { Int(clamping: $0) } } ?? Array((0..<rank).reversed())
    guard perm.sorted() == Array(0..<rank) else {
      throw ConfigError(path: "attribute.perm", message: "perm \(perm) for rank \(rank)", expected: "a permutation of 0..<\(rank)")
    }
    let inStrides = rowMajorStrides(x.shape)
    let shape = perm.map { x.shape[$0] }
    let strides = perm.map { inStrides[$0] }
    switch x {
    case .float(let t): return [.float(Tensor(shape: shape, scalars: stridedGather(t.scalars, shape: shape, strides: strides)))]
    case .int(_, let v): return [.int(shape: shape, values: stridedGather(v, shape: shape, strides: strides))]
    }
  }

  /// Concat along `axis`; every other dimension must agree.
  static func concat(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let parts = n.inputs.compactMap { $0 }
    guard let first = parts.first else { throw n.mismatch("no inputs", expected: "at least one input") }
    let rank = first.shape.count
    let axis = try normalizedAxis(try n.int("axis", default: rank > 0 ? 0 : 0), rank: max(1, rank))
    let isInt = first.intValues != nil
    for p in parts {
      guard p.shape.count == rank, (p.intValues != nil) == isInt,
        p.shape.indices.allSatisfy({ $0 == axis || p.shape[$0] == first.shape[$0] })
      else {
        throw n.mismatch("inputs \(parts.map(\.shape))", expected: "one element type and equal sizes except on axis \(axis)")
      }
    }
    var shape = first.shape
    shape[axis] = try Checked.sum(parts.map { $0.shape[axis] }, "the concatenated axis of \(n.name)")
    _ = try n.elementCount(shape, "the output of \(n.name)")
    let outer = first.shape[..<axis].reduce(1, *)
    let inner = first.shape[(axis + 1)...].reduce(1, *)
    func join<T>(_ arrays: [[T]]) -> [T] {
      var out: [T] = []
      out.reserveCapacity(shape.reduce(1, *))
      for o in 0..<outer {
        for (p, a) in zip(parts, arrays) {
          let chunk = p.shape[axis] * inner
          out.append(contentsOf: a[(o * chunk)..<((o + 1) * chunk)])
        }
      }
      return out
    }
    if isInt { return [.int(shape: shape, values: join(parts.map { $0.intValues ?? [] }))] }
    return [.float(Tensor(shape: shape, scalars: join(parts.map { $0.floatTensor?.scalars ?? [] })))]
  }

  /// Slice with ONNX's clamping rules (inputs from opset 10, attributes before).
  static func slice(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.value(0, "data")
    let rank = x.shape.count
    let starts: [Int64], ends: [Int64], axesList: [Int64]?, steps: [Int64]?
    if n.opset < 10 {
      (starts, ends) = (try n.intList("starts") ?? [], try n.intList("ends") ?? [])
      (axesList, steps) = (try n.intList("axes"), nil)
    } else {
      (starts, ends) = (try n.ints(1, "starts").values, try n.ints(2, "ends").values)
      (axesList, steps) = (try n.optionalInts(3, "axes"), try n.optionalInts(4, "steps"))
    }
    let axes = axesList ?? (0..<Int64(starts.count)).map { $0 }
    guard ends.count == starts.count, axes.count == starts.count, (steps?.count ?? starts.count) == starts.count else {
      throw n.mismatch("starts \(starts), ends \(ends), axes \(axes), steps \(steps ?? [])", expected: "lists of equal length")
    }
    var shape = x.shape
    var strides = rowMajorStrides(x.shape)
    var offset = 0
    var seen = Set<Int>()
    for i in starts.indices {
      let a = try normalizedAxis(axes[i], rank: rank)
      guard seen.insert(a).inserted else { throw n.mismatch("axis \(a) sliced twice", expected: "distinct axes") }
      // Steps beyond ±2³¹ take at most one element, like a step of ±2³¹.
      let step = max(-Int64(Int32.max), min(Int64(Int32.max), steps?[i] ?? 1))
      guard step != 0 else { throw n.mismatch("step 0", expected: "non-zero steps") }
      let dim = Int64(x.shape[a])
      var start = starts[i] < 0 ? starts[i] + dim : starts[i]
      var end = ends[i] < 0 ? ends[i] + dim : ends[i]
      if step > 0 {
        (start, end) = (min(dim, max(0, start)), min(dim, max(0, end)))
      } else {
        (start, end) = (min(dim - 1, max(0, start)), min(dim - 1, max(-1, end)))
      }
      let span = step > 0 ? end - start : start - end
      let count = span <= 0 ? 0 : (span - 1) / abs(step) + 1
      offset += Int(start) * strides[a]
      shape[a] = Int(count)
      strides[a] *= Int(step)
    }
    return [x.gathering(stridedIndices(shape: shape, strides: strides, offset: offset), shape: shape)]
  }

  /// Split along `axis` by sizes (attribute before opset 13, input from 13) or evenly (the last
  /// part smaller under opset 18's `num_outputs`).
  static func split(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.value(0, "input")
    let axis = try normalizedAxis(try n.int("axis", default: 0), rank: x.shape.count)
    let dim = x.shape[axis]
    let parts = n.node.outputs.count
    var sizes = try dims((n.opset < 13 ? try n.intList("split") : try n.optionalInts(1, "split")) ?? [], "split")
    if sizes.isEmpty {
      let chunk = parts > 0 ? (dim + parts - 1) / parts : 0
      sizes = (0..<parts).map { max(0, min(chunk, dim - $0 * chunk)) }
    }
    guard sizes.count == parts, sizes.allSatisfy({ $0 >= 0 }), try Checked.sum(sizes, "split") == dim else {
      throw n.mismatch("split \(sizes) of axis size \(dim) into \(parts) outputs", expected: "\(parts) sizes summing to \(dim)")
    }
    let strides = rowMajorStrides(x.shape)
    var start = 0
    var outputs: [ONNXValue] = []
    for size in sizes {
      var shape = x.shape
      shape[axis] = size
      outputs.append(x.gathering(stridedIndices(shape: shape, strides: strides, offset: start * strides[axis]), shape: shape))
      start += size
    }
    return outputs
  }

  /// Gather along `axis` with (possibly negative) integer indices.
  static func gather(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.value(0, "data")
    let (indexShape, indices) = try n.ints(1, "indices")
    let axis = try normalizedAxis(try n.int("axis", default: 0), rank: x.shape.count)
    let dim = x.shape[axis]
    let outer = x.shape[..<axis].reduce(1, *)
    let inner = x.shape[(axis + 1)...].reduce(1, *)
    let shape = Array(x.shape[..<axis]) + indexShape + Array(x.shape[(axis + 1)...])
    _ = try n.elementCount(shape, "the output of \(n.name)")
    var flat: [Int] = []
    flat.reserveCapacity(shape.reduce(1, *))
    for o in 0..<outer {
      for raw in indices {
        guard raw >= -Int64(dim), raw < Int64(dim) else {
          throw n.mismatch("index \(raw) on axis \(axis) of size \(dim)", expected: "indices in \(-dim)..<\(dim)")
        }
        let i = Int(raw < 0 ? raw + Int64(dim) : raw)
        for j in 0..<inner { flat.append((o * dim + i) * inner + j) }
      }
    }
    return [x.gathering(flat, shape: shape)]
  }

  /// Tile: each axis repeated `repeats[i]` times.
  static func tile(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    let x = try n.value(0, "input")
    let repeats = try dims(try n.ints(1, "repeats").values, "repeats")
    guard repeats.count == x.shape.count, repeats.allSatisfy({ $0 >= 0 }) else {
      throw n.mismatch("repeats \(repeats) for input \(x.shape)", expected: "one count ≥ 0 per axis")
    }
    var shape: [Int] = []
    for (d, r) in zip(x.shape, repeats) { shape.append(try Checked.product([d, r], "the output of \(n.name)")) }
    _ = try n.elementCount(shape, "the output of \(n.name)")
    let inStrides = rowMajorStrides(x.shape)
    let all = stridedIndices(shape: shape, strides: [Int](repeating: 0, count: shape.count))
    var flat = all
    var counter = [Int](repeating: 0, count: shape.count)
    for i in all.indices {
      flat[i] = zip(zip(counter, x.shape), inStrides).reduce(0) { $0 + ($1.0.0 % max(1, $1.0.1)) * $1.1 }
      var axis = shape.count - 1
      while axis >= 0 {
        counter[axis] += 1
        if counter[axis] < shape[axis] { break }
        counter[axis] = 0
        axis -= 1
      }
    }
    return [x.gathering(flat, shape: shape)]
  }
}
