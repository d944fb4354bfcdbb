import HybrixCore
import Mapping

/// H3PIMAP's stage 2, *Row Remap* (arXiv 2503.07778v2 §4.2; papers.md §7.2), from one stage-1
/// point: the rows of each product keep their counts per tier but are dealt by sensitivity (the
/// most sensitive rows on the most precise tier); then, step by step, the `stepRows` most
/// sensitive rows of the noisiest tier that holds rows move to the most precise tier that is
/// less noisy and not full (a move the simulator finds infeasible marks the tier full), each step
/// re-measuring the Monte-Carlo drop (``AccuracyProbe/searchDrop(of:at:threshold:)``: sequential
/// stopping) until the mean drop is at most the limit, or nothing can move.
///
/// Tiers are ranked by `tierError` (relative error of a product on the tier; exact tiers 0; ties
/// by index). A tier with error 0 is never a source.
struct RowRemapStage {
  var problem: MappingProblem
  var probe: any AccuracyProbe
  var limit: Double
  var time: Time
  var sensitivity: RowSensitivity
  var tierError: [Double]
  var allowed: [[Int]]
  /// Rows moved per step, as a fraction of all product rows (rounded up, at least one row).
  var stepFraction: Double
  var maxSteps: Int = 400

  var rank: [Int] {
    let order = tierError.indices.sorted { tierError[$0] != tierError[$1] ? tierError[$0] < tierError[$1] : $0 < $1 }
    var r = [Int](repeating: 0, count: tierError.count)
    for (i, t) in order.enumerated() { r[t] = i }
    return r
  }

  func run(start: MappingPlan) async throws(ConfigError) -> (trace: RowRemapTrace, plan: MappingPlan) {
    let rank = rank
    let ids = problem.tierIDs
    var assignment = RowAssignment(plan: start, rows: problem.graph.operators.map { $0.matmul?.n }, sensitivity: sensitivity, rank: rank)
    let totalRows = assignment.tierOfRow.reduce(0) { $0 + ($1?.count ?? 0) }
    let stepRows = max(1, Int((Double(totalRows) * stepFraction).rounded(.up)))
    var plan = assignment.plan(base: start, rank: rank)
    var plans: [MappingPlan] = []
    var steps: [RowRemapTrace.Step] = []
    var full = Set<Int>()
    var moved: [RowRemapTrace.Move] = []
    var met = false
    for index in 0...maxSteps {
      if index > 0 && problem.isOverBudget { break }
      let result = problem.simulate(plan)
      let drop = try await probe.searchDrop(of: plan, at: time, threshold: limit)
      problem.ledger.recordProbe()
      steps.append(.init(index: index, moved: moved, drop: drop, latencySeconds: result.latency.seconds, energyJoules: result.energy.total.joules))
      plans.append(plan)
      if drop.points <= limit {
        met = true
        break
      }
      guard let next = nextMove(assignment, rank: rank, stepRows: stepRows, full: &full, base: start) else { break }
      (assignment, plan) = (next.assignment, next.plan)
      moved = next.moves.map { m in
        RowRemapTrace.Move(operator: problem.graph.operators[m.op].name, rows: m.rows, from: ids[m.from], to: ids[m.to])
      }
    }
    let best = steps.indices.min { steps[$0].drop.points < steps[$1].drop.points } ?? 0
    let trace = RowRemapTrace(
      thresholdPoints: limit, atSeconds: time.seconds, sensitivity: sensitivity.detail, sensitivityMethod: sensitivity.method,
      tierOrder: tierError.indices.sorted { rank[$0] < rank[$1] }.map { ids[$0] },
      tierError: tierError.indices.sorted { rank[$0] < rank[$1] }.map { tierError[$0].isFinite ? tierError[$0] : nil }, stepRows: stepRows, steps: steps,
      met: met, mostAccurateStep: met ? steps.count - 1 : best, before: [], after: [])
    return (trace, met ? plan : plans[best])
  }

  struct Moved { var op: Int; var rows: [Int]; var from: Int; var to: Int }

  /// The next step: from the noisiest tier holding rows to the most precise less noisy tier that
  /// can take them and is not full; `nil` when no row can move.
  func nextMove(
    _ a: RowAssignment, rank: [Int], stepRows: Int, full: inout Set<Int>, base: MappingPlan
  ) -> (assignment: RowAssignment, plan: MappingPlan, moves: [Moved])? {
    var used = Set<Int>()
    for rows in a.tierOfRow { if let rows { used.formUnion(rows) } }
    let sources = used.filter { tierError[$0] > 0 }.sorted { rank[$0] > rank[$1] }
    for source in sources {
      let targets = tierError.indices.filter { rank[$0] < rank[source] && !full.contains($0) }.sorted { rank[$0] < rank[$1] }
      for target in targets {
        var candidates: [(op: Int, row: Int, s: Double)] = []
        for (op, rows) in a.tierOfRow.enumerated() {
          guard let rows, allowed[op].contains(target), let s = sensitivity.rows[op] else { continue }
          for (r, t) in rows.enumerated() where t == source { candidates.append((op, r, s[r])) }
        }
        guard !candidates.isEmpty else { continue }
        candidates.sort { $0.s != $1.s ? $0.s > $1.s : ($0.op, $0.row) < ($1.op, $1.row) }
        var trial = a
        var byOp: [Int: [Int]] = [:]
        for c in candidates.prefix(stepRows) {
          trial.tierOfRow[c.op]?[c.row] = target
          byOp[c.op, default: []].append(c.row)
        }
        let plan = trial.plan(base: base, rank: rank)
        if !problem.simulate(plan).infeasible.isEmpty {
          full.insert(target)
          continue
        }
        let moves = byOp.keys.sorted().map { Moved(op: $0, rows: byOp[$0, default: []].sorted(), from: source, to: target) }
        return (trial, plan, moves)
      }
    }
    return nil
  }
}
