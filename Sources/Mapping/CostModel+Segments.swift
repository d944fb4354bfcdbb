import Hardware
import HybrixCore
import Workloads

/// Which operators of a segmented plan form each segment: an operator with arrays belongs to
/// its allocation's segment, one without (pointwise work on the host) to the segment of the
/// nearest operator with arrays before it (the first segment when there is none). Segments
/// are contiguous in graph order.
public enum SegmentLayout {
  /// The operator ranges of the segments, `nil` when no placement has arrays (the plan is not
  /// segmented), or why the segments are not contiguous.
  public static func ranges(_ placements: [Placement]) -> Result<[Range<Int>], Infeasibility>? {
    guard placements.contains(where: { $0.arrays != nil }) else { return nil }
    var ranges: [Range<Int>] = []
    var seen = Set<Int>()
    var current: Int?
    var start = 0
    for (i, p) in placements.enumerated() {
      guard let a = p.arrays else { continue }
      if let c = current, a.segment == c { continue }
      if seen.contains(a.segment) {
        return .failure(
          Infeasibility(
            tier: "mapping", statement: "segment \(a.segment) is not contiguous in graph order (operator \(i))",
            levers: ["give each segment one range of operators"]))
      }
      if current != nil {
        ranges.append(start..<i)
        start = i
      }
      seen.insert(a.segment)
      current = a.segment
    }
    ranges.append(start..<placements.count)
    return .success(ranges)
  }
}

/// The time of one segment's operators running side by side, after its boundary: each
/// operator with arrays on its own arrays, everything else one after another on the resource it
/// uses (a tier without allocations, the DRAM channel, the global buffer, each link). A
/// pipeline is as slow as its busiest resource, so this is the longest of them. The simulator
/// lays segments out with it and the compiler minimises it: one rule for both.
public enum SegmentSpan {
  enum Resource: Hashable {
    case tier(Int)
    case dram
    case buffer
    case link(Int)
  }

  /// Seconds from the end of the segment's boundary to its end.
  public static func seconds(_ estimates: [OperatorEstimate], allocated: [Bool]) -> Double {
    var own = 0.0
    var sums: [Resource: Double] = [:]
    for (i, e) in estimates.enumerated() {
      for (s, share) in (e.shares + (e.reduction.map { [$0] } ?? [])).enumerated() {
        if allocated[i], s < e.shares.count {
          own = max(own, share.seconds)
        } else {
          sums[.tier(share.tier), default: 0] += share.seconds
        }
        sums[.dram, default: 0] += share.dramSeconds
        sums[.buffer, default: 0] += share.bufferSeconds
        for t in share.transfers {
          switch t.route {
          case .globalBuffer: sums[.buffer, default: 0] += t.seconds
          case .link(let l): sums[.link(l), default: 0] += t.seconds
          }
        }
      }
    }
    return max(own, sums.values.max() ?? 0)
  }
}

extension CostModel {
  /// Why `placement`'s arrays cannot be given to operator `op` by itself (the tier checks the
  /// counts against its arrays and the operands; the plan-level checks are
  /// ``segmentProblems(_:placements:)``).
  func allocationProblem(_ op: Int, _ placement: Placement) -> Infeasibility? {
    guard let a = placement.arrays else { return nil }
    let name = graph.operators[op].name
    func no(_ s: String, _ lever: String) -> Infeasibility {
      Infeasibility(tier: "mapping", statement: "\(name): \(s)", levers: [lever])
    }
    guard placement.shares.count == 1, let t = placement.shares.first?.tier else {
      return no("arrays are given to a whole operator on one tier", "place it on one CIM tier")
    }
    guard architecture.tiers[t] is any ModeSwitching else {
      return no("tier \(architecture.tiers[t].id) has no arrays to allocate", "drop its arrays, or place it on a CIM tier")
    }
    guard works[op].matmul != nil else { return no("only products get arrays", "drop its arrays") }
    if a.inputBuffers < 0 || a.outputBuffers < 0 || a.sharedInputBuffers < 0 || a.sharedInputBuffers > a.inputBuffers {
      return no("buffer counts must be ≥ 0, shared input buffers at most the input buffers", "fix the allocation")
    }
    if a.segment < 0 || a.segmentOperators < 1 || a.segmentMemoryArrays < 0 {
      return no("a segment index ≥ 0, ≥ 1 operator and ≥ 0 memory arrays", "fix the allocation")
    }
    return nil
  }

  /// What precedes the segment that operator `op` opens, when it is the first operator with
  /// arrays of its segment (`nil` otherwise): the arrays that change mode from the previous
  /// segment's (all arrays start in compute mode), each switching in `switch_cycles`, one after
  /// another (CMSwitch's T_swc); before that, the live outputs held in output buffers that
  /// switch back to compute are written back to main memory (T_wb), to the global buffer when
  /// the output fits there, to DRAM otherwise. Weights are written by each operator on its
  /// arrays (never resident; T_rw is inside each operator's time).
  func boundary(_ op: Int, placement: Placement, placements: [Placement]) -> Result<ShareEstimate?, Infeasibility> {
    guard let mine = placement.arrays, let t = placement.shares.first?.tier,
      let tier = architecture.tiers[t] as? any ModeSwitching
    else { return .success(nil) }
    var j = min(op, placements.count) - 1
    while j >= 0, placements[j].arrays == nil { j -= 1 }
    if j >= 0, placements[j].arrays?.segment == mine.segment { return .success(nil) }
    var previous: [(op: Int, arrays: ArrayAllocation)] = []
    if j >= 0, let last = placements[j].arrays?.segment {
      for k in stride(from: j, through: 0, by: -1) {
        guard let a = placements[k].arrays else { continue }
        if a.segment != last { break }
        previous.append((k, a))
      }
    }
    let before = previous.reduce(0) { $0 + $1.arrays.ownMemoryArrays }
    let after = mine.segmentMemoryArrays
    let switches = Double(abs(after - before))
    let switchCycles = switches * tier.switchCycles
    let switchSeconds = switchCycles / constants[t].hertz
    var actions = ActionCounts()
    actions[.modeSwitch] = switches
    let switchEnergy = tier.energyTable.price(actions)
    let lost = before > 0 ? min(1, Double(max(0, before - after)) / Double(before)) : 0
    var dramBytes = 0.0
    var bufferBytes = 0.0
    for (p, a) in previous where a.outputBuffers > 0 && lost > 0 && lastConsumer[p] >= op {
      let held = min(works[p].yBytes, Double(a.outputBuffers) * tier.memoryArrayBytes) * lost
      if spills(works[p].yBytes) { dramBytes += held } else { bufferBytes += held }
    }
    let d = dram(dramBytes)
    let b = globalBuffer(bufferBytes)
    let seconds = switchSeconds + d.seconds + b.seconds
    let watts = constants[t].unitWatts + constants[t].alwaysWatts
    var energy = switchEnergy
    energy[.staticPower] = .joules(watts * seconds)
    energy[.movement] = .joules(d.joules + b.joules)
    let slice = SliceCost(
      cycles: switchCycles, seconds: switchSeconds, energy: switchEnergy, utilization: nil, staticWatts: watts,
      wakeJoules: 0, refillBytes: 0)
    return .success(
      ShareEstimate(
        tier: t, slice: slice, dramBytes: dramBytes, bufferBytes: bufferBytes, dramSeconds: d.seconds,
        bufferSeconds: b.seconds, seconds: seconds, energy: energy, reprogrammed: false, transfers: []))
  }

  /// Plan-level problems of the segment covering `range`: its operators' arrays fit the tier,
  /// each operator states the segment's operator and memory-array counts, and shared input
  /// buffers are output buffers of the first operand's producer in the same segment.
  public func segmentProblems(_ range: Range<Int>, placements: [Placement]) -> [Infeasibility] {
    let members = range.filter { placements[$0].arrays != nil }
    guard let first = members.first, let t = placements[first].shares.first?.tier,
      let tier = architecture.tiers[t] as? any ModeSwitching
    else { return [] }
    var found: [String] = []
    let allocations = members.compactMap { placements[$0].arrays }
    let total = allocations.reduce(0) { $0 + $1.ownArrays }
    if total > tier.arrayCount { found.append("its operators use \(total) arrays, tier \(tier.id) has \(tier.arrayCount)") }
    let memory = allocations.reduce(0) { $0 + $1.ownMemoryArrays }
    var sharedFrom: [Int: Int] = [:]
    for i in members {
      guard let a = placements[i].arrays else { continue }
      if placements[i].shares.first?.tier != t { found.append("\(graph.operators[i].name) is on another tier") }
      if a.segmentOperators != members.count {
        found.append("\(graph.operators[i].name) says \(a.segmentOperators) operators, the segment has \(members.count)")
      }
      if a.segmentMemoryArrays != memory {
        found.append("\(graph.operators[i].name) says \(a.segmentMemoryArrays) memory arrays, the segment has \(memory)")
      }
      guard a.sharedInputBuffers > 0 else { continue }
      guard let x = graph.operators[i].inputs.first, let p = producer[x.index], members.contains(p) else {
        found.append("\(graph.operators[i].name) shares input buffers without a producer in its segment")
        continue
      }
      sharedFrom[p, default: 0] += a.sharedInputBuffers
    }
    for (p, shared) in sharedFrom.sorted(by: { $0.key < $1.key }) where shared > placements[p].arrays?.outputBuffers ?? 0 {
      found.append("\(shared) input buffers share the \(placements[p].arrays?.outputBuffers ?? 0) output buffers of \(graph.operators[p].name)")
    }
    return found.map {
      Infeasibility(tier: tier.id, statement: "segment of operators \(range.lowerBound)…\(range.upperBound - 1): \($0)", levers: ["fix the allocation"])
    }
  }
}

extension CostModel {
  /// Arrays the weights of operator `op` occupy on tier `t`, one copy each, with `columns` of
  /// its output columns (all of them when `nil`): the tier's own count
  /// (``ModeSwitching/weightArrays(_:)``), which CMSwitch's operator splitting sizes parts by;
  /// `nil` when `t` has no arrays to count or `op` is not a product.
  public func weightArrays(_ op: Int, tier t: Int, columns: Int? = nil) -> Double? {
    guard let tier = architecture.tiers[t] as? any ModeSwitching, works[op].matmul != nil else { return nil }
    var w = work(op, share: 0, of: .on(t), resident: false)
    if let columns { w.n = Double(columns) }
    return tier.weightArrays(w)
  }
}
