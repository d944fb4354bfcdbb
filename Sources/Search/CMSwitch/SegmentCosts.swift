import Hardware
import HybrixCore
import Mapping
import Workloads

/// What the CMSwitch compiler learns about a problem through its cost oracle alone: the CIM
/// tier and its arrays, which operators it runs, each operator's seconds on `c` compute and `m`
/// memory arrays, and segment costs (intra: ``SegmentSpan``; inter: the boundary the cost
/// model charges the segment's first operator). Nothing is priced here.
struct SegmentCosts {
  let problem: MappingProblem
  let cim: Int
  let arrays: Int
  /// Whether memory mode is used (a dual-mode tier, and not the compute-only baseline).
  let dualMode: Bool
  /// Graph indices of the operators on the CIM tier's arrays, in graph order.
  let cims: [Int]
  /// Every operator's tier.
  let base: [Placement]
  let inputCap: [Int]
  let outputCap: [Int]
  /// The CIM operator (index into `cims`) producing each CIM operator's first operand.
  let producerCIM: [Int?]
  /// Per CIM operator, the first CIM operator priced alike (same kind, shape, operands, input
  /// tensors and their producers' tiers, weights): repeated layers share their choices.
  let twin: [Int]

  /// What the cost oracle's seconds for an operator on its arrays depend on.
  struct Signature: Hashable {
    var kind: OperatorKind
    var matmul: MatMulShape?
    var second: SecondOperand
    var vectorOps: Int
    var operands: OperandElements
    var inputs: [GraphTensor.Signature]
    var outputs: [GraphTensor.Signature]
    var weightBytes: Double
    /// A part of a split product after the first reads its input where the first part brought it.
    var laterPart: Bool
  }

  /// The costs of `problem` on its first CIM tier with arrays, or `nil` when it has none.
  init?(_ problem: MappingProblem, computeOnly: Bool) {
    self.problem = problem
    let graph = problem.graph
    let n = graph.operators.count
    func probe(_ op: Int, _ tier: Int, _ a: ArrayAllocation) -> Bool {
      problem.estimate(op, Placement(shares: [TierShare(tier: tier, fraction: 1)], arrays: a), residency: problem.residency, after: []) != nil
    }
    func alloc(_ c: Int, _ i: Int = 0, _ o: Int = 0) -> ArrayAllocation {
      ArrayAllocation(compute: c, inputBuffers: i, outputBuffers: o, segment: 0, segmentOperators: 1, segmentMemoryArrays: i + o)
    }
    var found: (tier: Int, ops: [Int])?
    for t in problem.tierKinds.indices where problem.tierKinds[t] == .cim {
      let ops = (0..<n).filter { graph.operators[$0].matmul != nil && probe($0, t, alloc(1)) }
      if !ops.isEmpty { found = (t, ops); break }
    }
    guard let (cim, ops) = found, let first = ops.first else { return nil }
    self.cim = cim
    cims = ops
    // The largest count the tier accepts (a binary search on the oracle's refusals).
    func largest(_ ok: (Int) -> Bool, upTo limit: Int) -> Int {
      var lo = 0
      var hi = limit
      while lo < hi {
        let mid = (lo + hi + 1) / 2
        if ok(mid) { lo = mid } else { hi = mid - 1 }
      }
      return lo
    }
    let count = largest({ $0 >= 1 && probe(first, cim, alloc($0)) }, upTo: 1 << 20)
    let dual = !computeOnly && probe(first, cim, alloc(1, 0, 1))
    arrays = count
    dualMode = dual
    let host = problem.hostTier ?? cim
    let onCIM = Set(ops)
    // The join of a split product lies where its parts wrote their slices (it moves nothing).
    let joins = (0..<n).filter { graph.operators[$0].kind == .layout && graph.operators[$0].attributes.function == Graph.joinFunction }
    let onTier = onCIM.union(joins)
    base = (0..<n).map { onTier.contains($0) ? .on(cim) : .on(host) }
    let limit = max(0, count - 1)
    inputCap = ops.map { op in dual ? largest({ probe(op, cim, alloc(1, $0, 0)) }, upTo: limit) : 0 }
    outputCap = ops.map { op in dual ? largest({ probe(op, cim, alloc(1, 0, $0)) }, upTo: limit) : 0 }
    var index: [Int: Int] = [:]
    for (k, op) in ops.enumerated() { index[op] = k }
    let producers = graph.producers()
    producerCIM = ops.map { op in
      graph.operators[op].inputs.first.flatMap { producers[$0.index] }.flatMap { index[$0] }
    }
    var laterParts = Set<Int>()
    for j in joins { for t in graph.operators[j].inputs.dropFirst() { if let p = producers[t.index] { laterParts.insert(p) } } }
    var seen: [Signature: Int] = [:]
    let base = self.base
    twin = ops.enumerated().map { k, op in
      let o = graph.operators[op]
      func tensor(_ id: TensorID) -> GraphTensor.Signature {
        GraphTensor.Signature(shape: graph[id].shape, role: graph[id].role, producerTier: producers[id.index].map { base[$0].shares.first?.tier ?? -1 })
      }
      let signature = Signature(
        kind: o.kind, matmul: o.matmul, second: o.secondOperand, vectorOps: o.vectorOps, operands: o.operands,
        inputs: o.inputs.map(tensor), outputs: o.outputs.map(tensor), weightBytes: problem.weightBytes[op],
        laterPart: laterParts.contains(op))
      if let first = seen[signature] { return first }
      seen[signature] = k
      return k
    }
  }

  /// The seconds of operator `op` on `a` alone (its own share, without the boundary).
  func seconds(_ op: Int, _ a: ArrayAllocation) -> Double {
    let p = Placement(shares: [TierShare(tier: cim, fraction: 1)], arrays: a)
    guard let e = problem.estimate(op, p, residency: problem.residency, after: base) else { return .infinity }
    return e.shares.first?.seconds ?? .infinity
  }

  /// The choices of CIM operator `k` when `sharers` operators share the buffer port: for each
  /// run of consecutive compute counts with equal seconds without memory arrays (a round count
  /// of weight rewrites and copies: the same compute time and traffic), its fewest compute arrays and, per memory
  /// count, the seconds — every value from the cost model, so `(c, m)` is priced exactly (the
  /// traffic of an operator in rounds depends on its compute arrays too).
  func choices(_ k: Int, sharers: Int) -> [SegmentAllocationProblem.Choice] {
    func alloc(_ c: Int, _ i: Int, _ o: Int) -> ArrayAllocation {
      ArrayAllocation(compute: c, inputBuffers: i, outputBuffers: o, segment: 0, segmentOperators: sharers, segmentMemoryArrays: i + o)
    }
    let op = cims[k]
    let (ic, oc) = (inputCap[k], outputCap[k])
    // Every count: with `replication` > 1 more compute arrays hold more copies of the weights,
    // each written, so this profile need not be monotone (the memory profiles below are).
    let bare = (0..<max(1, arrays)).map { seconds(op, alloc($0 + 1, 0, 0)) }
    var all: [SegmentAllocationProblem.Choice] = []
    for i in bare.indices where bare[i].isFinite && (i == 0 || bare[i] != bare[i - 1]) {
      let c = i + 1
      let most = dualMode ? min(ic + oc, max(0, arrays - c)) : 0
      let memory = Self.monotone(count: most + 1) { m in m == 0 ? bare[i] : seconds(op, alloc(c, min(m, ic), m - min(m, ic))) }
      for (m, t) in memory.enumerated() where t.isFinite && (m == 0 || t < memory[m - 1]) {
        all.append(.init(compute: c, memory: m, seconds: t))
      }
    }
    return all
  }

  /// The values `f(0..<count)` of a non-increasing function, by bisection: where the ends of a
  /// range are equal, so is everything between (the profiles are non-increasing in arrays).
  static func monotone(count: Int, _ f: (Int) -> Double) -> [Double] {
    guard count > 0 else { return [] }
    var v = [Double](repeating: .nan, count: count)
    v[0] = f(0)
    v[count - 1] = count > 1 ? f(count - 1) : v[0]
    var stack = [(0, count - 1)]
    while let (lo, hi) = stack.popLast() {
      guard hi - lo > 1 else { continue }
      if v[lo] == v[hi] {
        for i in (lo + 1)..<hi { v[i] = v[lo] }
        continue
      }
      let mid = (lo + hi) / 2
      v[mid] = f(mid)
      stack.append((lo, mid))
      stack.append((mid, hi))
    }
    return v
  }

  /// The allocation problem of the CIM operators `a...b` (indices into `cims`), with the
  /// choices from `cache` (filled as needed: they depend only on the operator and the segment's
  /// length, which sets the share of the buffer port).
  func allocationProblem(_ a: Int, _ b: Int, cache: inout [Int: [SegmentAllocationProblem.Choice]]) -> SegmentAllocationProblem {
    let sharers = b - a + 1
    let ops = (a...b).map { k -> SegmentAllocationProblem.Operator in
      let key = twin[k] * 4096 + sharers
      let choices = cache[key] ?? self.choices(twin[k], sharers: sharers)
      cache[key] = choices
      let producer = producerCIM[k].flatMap { $0 >= a && $0 < k ? $0 - a : nil }
      return SegmentAllocationProblem.Operator(choices: choices, inputCap: inputCap[k], outputCap: outputCap[k], producer: producer)
    }
    return SegmentAllocationProblem(operators: ops, arrays: arrays)
  }

  /// The allocation problem of the CIM operators `a...b` (indices into `cims`).
  func allocationProblem(_ a: Int, _ b: Int) -> SegmentAllocationProblem {
    var cache: [Int: [SegmentAllocationProblem.Choice]] = [:]
    return allocationProblem(a, b, cache: &cache)
  }

  /// Graph operators of the segment of CIM operators `a...b`: from its first (from 0 for the
  /// first segment) up to the next segment's first.
  func operatorRange(_ a: Int, _ b: Int) -> Range<Int> {
    (a == 0 ? 0 : cims[a])..<(b == cims.count - 1 ? problem.graph.operators.count : cims[b + 1])
  }

  /// The placements of the segment `a...b` solved as `s`, numbered `segment`.
  func placements(_ a: Int, _ b: Int, _ s: SegmentAllocation, segment: Int) -> [(op: Int, placement: Placement)] {
    (a...b).enumerated().map { i, k in
      let alloc = ArrayAllocation(
        compute: s.compute[i], inputBuffers: s.inputBuffers[i], outputBuffers: s.outputBuffers[i],
        sharedInputBuffers: s.sharedInputBuffers[i], segment: segment, segmentOperators: b - a + 1,
        segmentMemoryArrays: s.memoryArrays)
      return (cims[k], Placement(shares: [TierShare(tier: cim, fraction: 1)], arrays: alloc))
    }
  }

  /// Seconds of the segment's operators side by side (``SegmentSpan``), after its boundary.
  func intra(_ a: Int, _ b: Int, _ s: SegmentAllocation) -> Double? {
    var scratch = base
    return intra(a, b, s, scratch: &scratch)
  }

  /// ``intra(_:_:_:)`` in `scratch`, which holds ``base`` and is left holding it (no copy of
  /// the plan per call: on graphs of thousands of operators the copies were most of the time).
  func intra(_ a: Int, _ b: Int, _ s: SegmentAllocation, scratch: inout [Placement]) -> Double? {
    let mine = self.placements(a, b, s, segment: 0)
    for (op, p) in mine { scratch[op] = p }
    defer { for (op, _) in mine { scratch[op] = base[op] } }
    let range = operatorRange(a, b)
    let allocated = range.map { scratch[$0].arrays != nil }
    var estimates: [OperatorEstimate] = []
    estimates.reserveCapacity(range.count)
    for op in range {
      guard let e = problem.estimate(op, scratch[op], residency: problem.residency, after: scratch) else { return nil }
      estimates.append(e)
    }
    return SegmentSpan.seconds(estimates, allocated: allocated)
  }

  /// The boundary before segment `a...b` solved as `s`, after segment `previous` (nil: the
  /// start, every array in compute mode).
  func inter(from previous: (a: Int, b: Int, s: SegmentAllocation)?, to a: Int, _ b: Int, _ s: SegmentAllocation) -> Double? {
    var scratch = base
    return inter(from: previous, to: a, b, s, scratch: &scratch)
  }

  /// ``inter(from:to:_:_:)`` in `scratch`, which holds ``base`` and is left holding it. The
  /// estimate of the segment's first operator looks only before it (its producers, and back to
  /// the previous segment's allocations), so the operators after it may stay as in ``base``.
  func inter(
    from previous: (a: Int, b: Int, s: SegmentAllocation)?, to a: Int, _ b: Int, _ s: SegmentAllocation, scratch: inout [Placement]
  ) -> Double? {
    let before = previous.map { self.placements($0.a, $0.b, $0.s, segment: 0) } ?? []
    for (op, p) in before { scratch[op] = p }
    defer { for (op, _) in before { scratch[op] = base[op] } }
    guard let mine = self.placements(a, b, s, segment: 1).first,
      let e = problem.estimate(mine.op, mine.placement, residency: problem.residency, after: scratch)
    else { return nil }
    return e.boundary?.seconds ?? 0
  }
}

extension GraphTensor {
  /// A tensor as pricing sees it: shape, role and the tier of its producer.
  struct Signature: Hashable {
    var shape: TensorShape
    var role: TensorRole
    var producerTier: Int?
  }
}
