import HybrixCore
import Workloads

extension MapReport.SearchInfo {
  /// One line: what the search spent and found (wall time left out: it varies run to run).
  var line: String {
    var l = "search: seed \(seed), \(evaluations) evaluation\(evaluations == 1 ? "" : "s")"
    if infeasibleEvaluations > 0 { l += " (\(infeasibleEvaluations) infeasible)" }
    if accuracyProbes > 0 { l += ", \(accuracyProbes) accuracy probe\(accuracyProbes == 1 ? "" : "s")" }
    if objectives.count > 1 { l += ", front of \(front.count) point\(front.count == 1 ? "" : "s")" }
    if !constraints.isEmpty { l += ", subject to " + constraints.joined(separator: ", ") }
    if let stoppedBy { l += " — stopped by the \(stoppedBy)" }
    return l
  }
}

extension MapReport {
  /// The terminal form: what was mapped where, the per-operator table (the `top` longest
  /// operators when the graph is large), tier use, energy by component, totals and the
  /// comparison with baselines.
  public func renderText(top: Int? = nil) -> String {
    var out: [String] = []
    var what = "\(model.name) on \(architecture.name) (\(architecture.origin)) — strategy \(strategy), objective \(objective)"
    what += "\nphase \(workload.phase.rawValue), batch \(workload.batch)"
    if let s = workload.sequenceLength { what += ", sequence \(s)" }
    if let c = workload.contextLength { what += ", context \(c)" }
    if let i = workload.imageSize { what += ", image \(i)×\(i)" }
    what += ", precision \(precision.name)"
    out.append(what)
    if let l = deploymentLowering { out.append(l.line) }
    if let s = search { out.append(s.line) }
    out.append("")
    guard result.feasible else {
      out.append("INFEASIBLE:")
      out += result.infeasible.prefix(10).map { "  - " + $0 }
      if result.infeasible.count > 10 { out.append("  … and \(result.infeasible.count - 10) more") }
      if let s = search, s.infeasibleEvaluations > 1 {
        out.append("Infeasible evaluations by reason:")
        out += s.infeasibleReasons.prefix(5).map { "  \($0.count) × \($0.reason)" }
      }
      return out.joined(separator: "\n")
    }

    var rows = operators
    if let top, top < rows.count {
      rows = Array(rows.sorted { ($0.endSeconds - $0.startSeconds) > ($1.endSeconds - $1.startSeconds) }.prefix(top))
        .sorted { $0.index < $1.index }
      out.append("The \(rows.count) longest of \(operators.count) operators (--all shows every one):")
    }
    var table = TextTable([
      .init("#", .right), .init("operator"), .init("kind"), .init("tier"), .init("MACs", .right),
      .init("start", .right), .init("time", .right), .init("energy", .right), .init("moved", .right),
      .init("util", .right),
    ])
    for r in rows {
      let tier = r.shares.count == 1 ? r.mainTier : r.shares.sorted { $0.key < $1.key }
        .map { "\($0.key) \(Int(($0.value * 100).rounded()))%" }.joined(separator: " + ")
      table.add([
        String(r.index), r.name, FusedOperator.label(r.label, fused: r.fused ?? []),
        tier + (r.reprogrammed ? " (reprog.)" : ""),
        r.macs == 0 ? "" : NumberFormat.count(r.macs), Time.seconds(r.startSeconds).formatted(significantDigits: 3),
        Time.seconds(r.endSeconds - r.startSeconds).formatted(significantDigits: 3),
        Energy.joules(r.energyJoules).formatted(significantDigits: 3),
        r.movementJoules == 0 ? "" : Energy.joules(r.movementJoules).formatted(significantDigits: 3),
        r.utilization.map { "\(Int(($0 * 100).rounded()))%" } ?? "",
      ])
    }
    out.append(table.render())
    out.append("")

    var tierTable = TextTable([
      .init("tier"), .init("kind"), .init("units", .right), .init("ops", .right), .init("MACs", .right),
      .init("busy", .right), .init("occupancy", .right), .init("energy", .right), .init("area", .right),
    ])
    for t in tiers {
      tierTable.add([
        t.id, t.kind, String(t.count), String(t.operators), NumberFormat.count(t.macs),
        Time.seconds(t.busySeconds).formatted(significantDigits: 3), "\(Int((t.occupancy * 100).rounded()))%",
        Energy.joules(t.energyJoules).formatted(significantDigits: 3),
        Area.squareMillimetres(t.areaMM2).formatted(significantDigits: 3),
      ])
    }
    out.append(tierTable.render())
    out.append("")

    var energyTable = TextTable([.init("energy component"), .init("energy", .right), .init("share", .right)])
    let total = max(result.energyJoules, .leastNonzeroMagnitude)
    for (name, j) in result.energyByComponentJoules.sorted(by: { $0.value > $1.value }) where j > 0 {
      energyTable.add([name, Energy.joules(j).formatted(significantDigits: 3), "\(formatSignificant(100 * j / total, digits: 3)) %"])
    }
    out.append(energyTable.render())
    out.append("")

    var totals = TextTable([.init("total"), .init("value", .right)])
    totals.add(["latency", Time.seconds(result.latencySeconds).formatted(significantDigits: 4)])
    totals.add(["throughput (pipelined)", "\(formatSignificant(result.throughputSamplesPerSecond, digits: 4)) samples/s"])
    totals.add(["energy", Energy.joules(result.energyJoules).formatted(significantDigits: 4)])
    totals.add(["energy × delay", "\(formatSignificant(result.edpJouleSeconds, digits: 4)) J·s"])
    totals.add(["area (compute tiers)", Area.squareMillimetres(architecture.areaMM2).formatted(significantDigits: 4)])
    if result.programmingJoules > 0 {
      totals.add(["one-time weight programming", "\(Energy.joules(result.programmingJoules).formatted(significantDigits: 3)), \(Time.seconds(result.programmingSeconds).formatted(significantDigits: 3))"])
    }
    out.append(totals.render())

    if !baselines.isEmpty {
      out.append("")
      var b = TextTable([
        .init("compared with"), .init("baseline is"), .init("area", .right), .init("latency", .right),
        .init("energy", .right), .init("speed-up", .right), .init("energy gain", .right), .init("EDP gain", .right),
      ])
      for x in baselines {
        let area = x.areaMM2.map { Area(baseValue: $0 * 1e-6).formatted(significantDigits: 3) } ?? ""
        guard x.feasible, let l = x.latencySeconds, let e = x.energyJoules else {
          b.add([x.strategy, x.kind ?? "", area, "infeasible", "", "", "", ""])
          continue
        }
        b.add([
          x.strategy, x.kind ?? "", area, Time.seconds(l).formatted(significantDigits: 3),
          Energy.joules(e).formatted(significantDigits: 3),
          x.latencyRatio.map { formatSignificant($0, digits: 3) + "×" } ?? "",
          x.energyRatio.map { formatSignificant($0, digits: 3) + "×" } ?? "",
          x.edpRatio.map { formatSignificant($0, digits: 3) + "×" } ?? "",
        ])
      }
      out.append(b.render())
      out.append("(gain = baseline ÷ this mapping; above 1× this mapping is better)")
    }
    if let s = search, s.front.count > 1 {
      out.append("")
      out.append("Pareto front (\(s.objectives.joined(separator: ", "))): \(s.front.count) mappings; the one above is the first row")
      var f = TextTable([
        .init("#", .right), .init("latency", .right), .init("energy", .right), .init("EDP", .right),
        .init("area used", .right), .init("accuracy drop", .right),
      ])
      for (i, p) in s.front.enumerated() {
        f.add([
          "\(i + 1)", Time.seconds(p.latencySeconds).formatted(significantDigits: 4),
          Energy.joules(p.energyJoules).formatted(significantDigits: 4), formatSignificant(p.edpJouleSeconds, digits: 4) + " J·s",
          Area(baseValue: p.usedAreaMM2 * 1e-6).formatted(significantDigits: 4),
          p.accuracyDropPoints.map { formatSignificant($0, digits: 3) + " pt" } ?? "",
        ])
      }
      out.append(f.render())
    }
    if !fallbacks.isEmpty {
      out.append("note: \(fallbacks.count) operators the strategy could not place as intended ran on the host tier (e.g. \(fallbacks.prefix(3).joined(separator: ", ")))")
    }
    let assumed = sources.filter(\.assumed).count
    out.append("\(sources.count) technology numbers used, \(assumed) of them assumed where papers are silent (--json or --html lists each with its source).")
    for w in warnings { out.append("warning: \(w)") }
    return out.joined(separator: "\n")
  }
}
