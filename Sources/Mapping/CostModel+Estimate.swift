import Hardware
import HybrixCore
import Workloads

/// An input moved from the tier that produced it to the tier of a share that needs it.
public struct TransferEstimate: Hashable, Sendable {
  /// The producing operator (its output must be complete before the move starts).
  public var producer: Int
  public var from: Int
  public var to: Int
  public var bytes: Double
  public var route: CostModel.Route
  public var seconds: Double
  public var joules: Double
}

/// One share of an operator on its tier, with the memory traffic it streams while it runs.
public struct ShareEstimate: Hashable, Sendable {
  public var tier: Int
  /// What the tier computes.
  public var slice: SliceCost
  /// Bytes read or written in DRAM (model inputs, KV cache, streamed weights, spilled
  /// activations, refills) and in the global buffer (weights it holds, refills).
  public var dramBytes: Double
  public var bufferBytes: Double
  public var dramSeconds: Double
  public var bufferSeconds: Double
  /// Seconds the share occupies its tier: the longer of computing and streaming its traffic
  /// (the traffic overlaps the computation, double-buffered).
  public var seconds: Double
  /// Dynamic energy, static energy over ``seconds``, and DRAM and global-buffer traffic
  /// (as movement). Transfers are in ``transfers``.
  public var energy: EnergyBreakdown
  /// Whether static weights are written for this run (not resident).
  public var reprogrammed: Bool
  /// Inputs that must be moved here from other tiers before the share starts.
  public var transfers: [TransferEstimate]

  /// Seconds from the first transfer to the end, when nothing else competes.
  public var pathSeconds: Double { transfers.reduce(0) { $0 + $1.seconds } + seconds }
  public var joules: Double { energy.total.joules + transfers.reduce(0) { $0 + $1.joules } }
}

/// What one operator costs under a placement: the same figures a strategy estimates and the
/// simulator schedules.
public struct OperatorEstimate: Hashable, Sendable {
  public var shares: [ShareEstimate]
  /// For a `k` split over several tiers: the partial sums moved to and added on the host tier.
  public var reduction: ShareEstimate?
  /// For the first operator of a segment (``ArrayAllocation``): the arrays switching mode and
  /// the live outputs written back before the segment starts, on the CIM tier.
  public var boundary: ShareEstimate? = nil

  public var all: [ShareEstimate] { shares + (reduction.map { [$0] } ?? []) + (boundary.map { [$0] } ?? []) }
  /// Every joule: dynamic, static while busy, memory traffic and transfers.
  public var joules: Double { all.reduce(0) { $0 + $1.joules } }
  /// The energy by component, transfers as movement.
  public var energy: EnergyBreakdown {
    all.reduce(into: EnergyBreakdown()) { e, s in
      e += s.energy
      e[.movement] = e[.movement] + .joules(s.transfers.reduce(0) { $0 + $1.joules })
    }
  }
  /// Seconds when the shares run side by side after their transfers, then the reduction: the
  /// operator's latency with nothing else competing.
  public var criticalSeconds: Double {
    (boundary?.seconds ?? 0) + (shares.map(\.pathSeconds).max() ?? 0) + (reduction?.pathSeconds ?? 0)
  }
  /// Seconds when every part runs one after the other: an upper bound of its share of any
  /// schedule's latency.
  public var serialSeconds: Double { all.reduce(0) { $0 + $1.pathSeconds } }
}

extension CostModel {
  /// Where operator `p`'s output lives under `placement`: its shares' tiers, or the host tier
  /// that added the partial sums of a `k` split.
  public func outputLocations(_ placement: Placement) -> [TierShare] {
    if placement.reducesPartialSums, let h = hostTier { return [TierShare(tier: h, fraction: 1)] }
    return placement.shares
  }

  /// Whether an activation of `bytes` does not fit the global buffer and lives in DRAM.
  func spills(_ bytes: Double) -> Bool { bytes > architecture.memory.globalBuffer.bytes }

  /// The cost of operator `op` under `placement`, with `resident` saying per share whether its
  /// static weights are programmed ahead (``Residency``) and `placements` holding the placements
  /// of (at least) every operator before `op`.
  public func estimate(
    _ op: Int, placement: Placement, resident: [Bool], placements: [Placement]
  ) -> Result<OperatorEstimate, Infeasibility> {
    if placement.arrays != nil, let why = allocationProblem(op, placement) { return .failure(why) }
    if let refusal = splitRefusal(op, placement) { return .failure(refusal) }
    let w = works[op]
    let operation = graph.operators[op]
    let extents = self.extents(op, placement)
    let partial = placement.reducesPartialSums
    let inputMovedBefore = firstPart[op].map { $0 < placements.count && placements[$0].shares.map(\.tier) == placement.shares.map(\.tier) } ?? false
    var shares: [ShareEstimate] = []
    shares.reserveCapacity(placement.shares.count)
    for (s, share) in placement.shares.enumerated() {
      let t = share.tier
      let holdsWeights = weightCapacity[t] != nil
      let isResident = s < resident.count ? resident[s] : true
      let extent = extents[s]
      let scale = w.scale(axis: placement.axis, extent: extent)
      let work = self.work(op, extent: extent, of: placement, resident: isResident)
      let slice: SliceCost
      switch cost(work, on: t) {
      case .failure(let why): return .failure(why)
      case .success(let c): slice = c
      }
      guard extent > 0 || w.matmul == nil else {
        shares.append(Self.empty(tier: t, slice: slice))
        continue
      }
      var dram = (inputMovedBefore ? 0 : w.xFromDRAM * scale.x) + w.wFromDRAM * scale.w
      var buffer = 0.0
      // Static weights that are not programmed here stream in on every run.
      let streamed = w.matmul == nil ? w.wBytes * scale.w : (w.staticWeights ? w.wBytes * scale.w : 0)
      if streamed > 0, !(holdsWeights && isResident && w.staticWeights) {
        if weightsInGlobalBuffer { buffer += streamed } else { dram += streamed }
      }
      if slice.refillBytes > 0 {
        if spills(w.xBytes + w.yBytes) { dram += slice.refillBytes } else { buffer += slice.refillBytes }
      }
      // Outputs too large for the global buffer are written to DRAM (a k share's partial sums go
      // to the reducing tier instead).
      if !partial, spills(w.yBytes) { dram += w.yBytes * scale.y }
      var transfers: [TransferEstimate] = []
      for (j, input) in operation.inputs.enumerated() where !w.readsInPlace && !(j == 0 && inputMovedBefore) {
        guard let p = producer[input.index], p < placements.count else { continue }
        let whole = Double(precision.bytes(graph[input].shape.elementCount, graph[input].role))
        let needed = whole * (w.matmul != nil && j > 0 ? scale.w : scale.x)
        if spills(whole) {
          dram += needed
          continue
        }
        for src in outputLocations(placements[p]) where src.tier != t {
          guard let move = transfer(needed * src.fraction, from: src.tier, to: t) else { continue }
          transfers.append(
            TransferEstimate(
              producer: p, from: src.tier, to: t, bytes: needed * src.fraction, route: move.route,
              seconds: move.seconds, joules: move.joules))
        }
      }
      shares.append(
        finish(
          tier: t, slice: slice, dram: dram, buffer: buffer, transfers: transfers,
          reprogrammed: w.staticWeights && holdsWeights && !isResident))
    }
    guard partial else {
      var e = OperatorEstimate(shares: shares, reduction: nil)
      if placement.arrays != nil {
        switch boundary(op, placement: placement, placements: placements) {
        case .failure(let why): return .failure(why)
        case .success(let b): e.boundary = b
        }
      }
      return .success(e)
    }
    return reduce(op, shares: shares).map { OperatorEstimate(shares: shares, reduction: $0) }
  }

  /// The host's share of a `k` split: every part's partial sums moved to it and added there.
  func reduce(_ op: Int, shares: [ShareEstimate]) -> Result<ShareEstimate, Infeasibility> {
    let w = works[op]
    guard let h = hostTier else { return .failure(infeasibility(op, SplitRule.kSplitWithoutDigitalTier)) }
    let work = Lowering.reduction(w, parts: shares.count, precision: precision)
    switch cost(work, on: h) {
    case .failure(let why): return .failure(why)
    case .success(let slice):
      let words = w.outputElements * Lowering.partialSumBytes
      var transfers: [TransferEstimate] = []
      for s in shares where s.tier != h {
        guard let move = transfer(words, from: s.tier, to: h) else { continue }
        transfers.append(
          TransferEstimate(
            producer: op, from: s.tier, to: h, bytes: words, route: move.route, seconds: move.seconds,
            joules: move.joules))
      }
      let dram = spills(w.yBytes) ? w.yBytes : 0
      return .success(finish(tier: h, slice: slice, dram: dram, buffer: 0, transfers: transfers, reprogrammed: false))
    }
  }

  func finish(
    tier: Int, slice: SliceCost, dram: Double, buffer: Double, transfers: [TransferEstimate],
    reprogrammed: Bool
  ) -> ShareEstimate {
    let d = self.dram(dram)
    let b = globalBuffer(buffer)
    let seconds = max(slice.seconds, d.seconds, b.seconds)
    var energy = slice.energy
    energy[.staticPower] = .joules(slice.staticWatts * seconds + slice.wakeJoules)
    energy[.movement] = .joules(d.joules + b.joules)
    return ShareEstimate(
      tier: tier, slice: slice, dramBytes: dram, bufferBytes: buffer, dramSeconds: d.seconds,
      bufferSeconds: b.seconds, seconds: seconds, energy: energy, reprogrammed: reprogrammed,
      transfers: transfers)
  }

  static func empty(tier: Int, slice: SliceCost) -> ShareEstimate {
    ShareEstimate(
      tier: tier, slice: slice, dramBytes: 0, bufferBytes: 0, dramSeconds: 0, bufferSeconds: 0, seconds: 0,
      energy: EnergyBreakdown(), reprogrammed: false, transfers: [])
  }
}
