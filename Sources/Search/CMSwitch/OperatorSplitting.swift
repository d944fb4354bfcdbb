import Hardware
import HybrixCore
import Mapping
import Workloads

/// CMSwitch's pre-processing (Zhao et al., ASPLOS 2025, §4.3): a product whose weights need
/// more arrays than the dual-mode chip has is split into sub-operators that fit, which the DP
/// may put in different segments.
///
/// The split is along the output columns `n` (``Graph/splittingColumns(_:)``): each part is a
/// whole product with the same input, its own weight columns and its own output slice (no
/// partial sums, no digital add), and a join writes the product's output in place. Parts are
/// as few as fit — `⌈n / n_max⌉`, `n_max` the most columns whose weights fit the chip — and
/// balanced in whole column tiles (`u`, the most columns one tile holds). Every array count is
/// the tier's own (``CostModel/weightArrays(_:tier:columns:)``, through ``ModeSwitching``).
///
/// What is not split stays whole and runs in `⌈arrays / c⌉` rounds on its `c` compute arrays,
/// as before, and is named (``unfit``): a product whose one column stripe needs more rows of
/// arrays than the chip has (`⌈k / rows⌉` stripes: only a `k` split, with partial sums, would
/// fit it), one with a run-time second operand (attention: its columns are an activation), and
/// a batch of GEMMs (grouped convolutions).
public struct OperatorSplitting: Sendable {
  /// A product too large for the chip that was not split, and why.
  public struct Unfit: Codable, Sendable, Hashable {
    public var name: String
    /// Arrays its weights need, and the chip's.
    public var arrays: Int
    public var chipArrays: Int
    public var reason: String

    /// The warning `hybrix compile` prints.
    public var warning: String { Self.warning(name, self) }

    static func warning(_ names: String, _ u: Unfit) -> String {
      "\(names) cannot fit even alone (its second operand needs \(u.arrays) arrays, the chip has \(u.chipArrays)): \(u.reason); "
        + "it stays whole and runs in rounds on its compute arrays, rewriting them each round"
    }
  }

  /// A split product: its parts' columns and the arrays of the whole and of each part.
  public struct Split: Codable, Sendable, Hashable {
    public var split: ColumnSplit
    public var arrays: Int
    public var partArrays: [Int]
    public var name: String { split.name }
    public var parts: Int { split.columns.count }
  }

  /// The rewritten graph (the graph itself when nothing was split).
  public var graph: Graph
  public var splits: [Split]
  public var unfit: [Unfit]
  /// The chip's arrays (0 without a dual-mode-capable CIM tier: nothing is split).
  public var chipArrays: Int

  /// The warnings to print: one per run of products left whole for the same reason with the
  /// same arrays (`layers.0.attn.av … layers.31.attn.av (32 products)`).
  public var warnings: [String] {
    var runs: [(first: Unfit, last: Unfit, count: Int)] = []
    for u in unfit {
      if let r = runs.last, r.first.reason == u.reason, r.first.arrays == u.arrays {
        runs[runs.count - 1] = (r.first, u, r.count + 1)
      } else {
        runs.append((u, u, 1))
      }
    }
    return runs.map { r in
      Unfit.warning(r.count == 1 ? r.first.name : "\(r.first.name) … \(r.last.name) (\(r.count) products)", r.first)
    }
  }

  /// The part names of each split product, by the product's name (for reports that map parts
  /// back to the original operator).
  public var original: [String: String] {
    var names: [String: String] = [:]
    for s in splits {
      for p in s.split.partNames { names[p] = s.name }
      names[s.split.joinName] = s.name
    }
    return names
  }

  /// `graph` pre-processed for the first CIM tier of `architecture` whose arrays the cost model
  /// can count (``ModeSwitching``); unchanged when there is none or nothing exceeds its arrays.
  public static func apply(_ graph: Graph, architecture: Architecture, precision: Precision) throws(ConfigError)
    -> OperatorSplitting
  {
    var result = OperatorSplitting(graph: graph, splits: [], unfit: [], chipArrays: 0)
    guard
      let t = architecture.tiers.indices.first(where: {
        type(of: architecture.tiers[$0]).kind == .cim && architecture.tiers[$0] is any ModeSwitching
      }), let tier = architecture.tiers[t] as? any ModeSwitching
    else { return result }
    let chip = tier.arrayCount
    result.chipArrays = chip
    let cost = CostModel(graph: graph, architecture: architecture, precision: precision)
    var plan: [Int: Split] = [:]
    for (i, op) in graph.operators.enumerated() {
      guard let g = op.matmul, let whole = cost.weightArrays(i, tier: t), whole > Double(chip) else { continue }
      func unfit(_ reason: String) {
        result.unfit.append(Unfit(name: op.name, arrays: Int(whole), chipArrays: chip, reason: reason))
      }
      guard op.secondOperand == .staticWeight else {
        unfit("its second operand is computed at run time (a split along n would slice an activation)")
        continue
      }
      guard g.batch == 1 else {
        unfit("it is a batch of \(g.batch) GEMMs (a grouped convolution; only whole groups could be split)")
        continue
      }
      func arrays(_ columns: Int) -> Double { cost.weightArrays(i, tier: t, columns: columns) ?? .infinity }
      let one = arrays(1)
      guard one <= Double(chip) else {
        unfit("one column stripe needs \(Int(one)) arrays (its k = \(g.k) rows); only a k split with partial sums would fit it")
        continue
      }
      // The most columns that fit the chip, and that one column tile holds (arrays grow with n).
      func largest(_ ok: (Int) -> Bool) -> Int {
        var lo = 1
        var hi = g.n
        while lo < hi {
          let mid = (lo + hi + 1) / 2
          if ok(mid) { lo = mid } else { hi = mid - 1 }
        }
        return lo
      }
      let most = largest { arrays($0) <= Double(chip) }
      let tile = largest { arrays($0) <= one }
      let parts = (g.n + most - 1) / most
      let tiles = (g.n + tile - 1) / tile
      var columns = (0..<parts).map { p in (tiles / parts + (p < tiles % parts ? 1 : 0)) * tile }
      columns[parts - 1] = g.n - columns.dropLast().reduce(0, +)
      if columns.contains(where: { $0 < 1 || arrays($0) > Double(chip) }) {
        // Tiles that do not divide evenly: equal columns, each at most `most`.
        columns = (0..<parts).map { p in g.n / parts + (p < g.n % parts ? 1 : 0) }
      }
      plan[i] = Split(split: ColumnSplit(name: op.name, columns: columns), arrays: Int(whole), partArrays: columns.map { Int(arrays($0)) })
    }
    // A product whose weight or output has no axis of n columns cannot be rewritten: name it.
    func rewriteError(_ i: Int) -> ConfigError? {
      do {
        _ = try graph.splittingColumns([i: plan[i]?.split.columns ?? []])
        return nil
      } catch { return error }
    }
    for i in plan.keys.sorted() {
      guard let why = rewriteError(i) else { continue }
      let s = plan.removeValue(forKey: i)
      result.unfit.append(Unfit(name: graph.operators[i].name, arrays: s?.arrays ?? 0, chipArrays: chip, reason: why.message))
    }
    result.graph = try graph.splittingColumns(plan.mapValues(\.split.columns))
    result.splits = plan.keys.sorted().compactMap { plan[$0] }
    var index: [String: Int] = [:]
    for (i, op) in graph.operators.enumerated() { index[op.name] = i }
    result.unfit.sort { (index[$0.name] ?? 0) < (index[$1.name] ?? 0) }
    return result
  }
}
