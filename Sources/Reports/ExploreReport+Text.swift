import HybrixCore

extension ExploreReport {
  static func time(_ s: Double) -> String { Time(baseValue: s).description }
  static func energy(_ j: Double) -> String { Energy(baseValue: j).description }
  static func ratio(_ r: Double) -> String { r.isFinite ? formatSignificant(r, digits: 3) + "×" : "–" }

  func macs(_ p: Point) -> String {
    p.macShare.map { "\(Int(($0.fraction * 100).rounded()))" }.joined(separator: "/")
  }

  /// The terminal form: the front, its hypervolume, the baselines, the ratios and the picked
  /// point's rows per tier (the `top` operators with the most rows when the graph is large).
  public func renderText(top: Int? = 25) -> String {
    var out: [String] = []
    var head = "\(model.name) on \(architecture.name) — H3PIMAP stage 1 (NSGA-II)\(rowRemap == nil ? "" : " + stage 2 (Row Remap)"), objectives \(objectives.joined(separator: ", "))"
    head += "\nphase \(workload.phase.rawValue), batch \(workload.batch)"
    if let s = workload.sequenceLength { head += ", sequence \(s)" }
    head += ", precision \(precision.name)"
    out.append(head)
    var line = "search: seed \(settings.seed), population \(settings.population), \(search.generationsRun)/\(settings.generations) generations, grid 1/\(settings.grid)"
    line += ", \(search.evaluations) simulations in \(formatSignificant(search.wallSeconds, digits: 3)) s"
    if let stop = search.stoppedBy { line += " — cut by the \(stop): the best front so far" }
    out.append(line)
    out += warnings.map { "note: " + $0 }
    out.append("")
    guard !front.isEmpty else {
      out.append("No feasible mapping found.")
      out += rowRemapText()
      return out.joined(separator: "\n")
    }
    out.append("Front (\(front.count) point\(front.count == 1 ? "" : "s")); hypervolume \(formatSignificant(hypervolume.normalised, digits: 4)) of the box (\(hypervolume.note)):")
    var t = TextTable([
      .init("#", .right), .init("latency", .right), .init("energy", .right), .init("EDP (J·s)", .right), .init("area", .right),
      .init("MACs % " + tiers.joined(separator: "/"), .right),
    ] + (rowRemap == nil ? [] : [.init("drop [95 %]", .right)]) + [.init("")])
    for (i, p) in front.enumerated() {
      t.add([
        "\(i + 1)", Self.time(p.latencySeconds), Self.energy(p.energyJoules), formatSignificant(p.edpJouleSeconds, digits: 3),
        Area(baseValue: p.areaSquareMetres).description, macs(p),
      ] + (rowRemap == nil ? [] : [Self.drop(p.accuracy)]) + [i == pick.index ? "← \(pick.rule)" : ""])
    }
    out.append(t.render())
    out.append("")
    out.append("Baselines (simulated the same way):")
    var b = TextTable([.init("mapping"), .init("latency", .right), .init("energy", .right), .init("MACs %", .right)])
    for x in baselines {
      if let p = x.point {
        b.add([x.name, Self.time(p.latencySeconds), Self.energy(p.energyJoules), macs(p)])
      } else {
        b.add([x.name, "infeasible", x.reason ?? "", ""])
      }
    }
    out.append(b.render())
    out.append("")
    out.append("Ratios, baseline ÷ front point (above 1× the front point is better):")
    var r = TextTable([.init("front point"), .init("baseline"), .init("latency", .right), .init("energy", .right)])
    for x in ratios { r.add([x.point, x.baseline, Self.ratio(x.latency), Self.ratio(x.energy)]) }
    out.append(r.render())
    if let i = pick.index {
      out.append("")
      let p = front[i]
      out.append("Picked (\(pick.rule)): point \(i + 1), \(Self.time(p.latencySeconds)), \(Self.energy(p.energyJoules)). Rows per tier:")
      var ops = pick.operators
      let cut = top.map { ops.count > $0 } ?? false
      if let top, cut { ops = Array(ops.sorted { ($0.rows ?? 0) > ($1.rows ?? 0) }.prefix(top)).sorted { $0.index < $1.index } }
      var o = TextTable([.init("#", .right), .init("operator"), .init("kind"), .init("rows", .right), .init("tiers (rows)")])
      for x in ops {
        let shares = x.shares.map { s in s.rows.map { "\(s.tier) \($0)" } ?? s.tier }.joined(separator: ", ")
        o.add(["\(x.index)", x.name, x.kind, x.rows.map(String.init) ?? "", shares])
      }
      out.append(o.render())
      if cut { out.append("(\(ops.count) of \(pick.operators.count) operators, those with the most rows; --all shows every one)") }
    }
    out += rowRemapText()
    return out.joined(separator: "\n")
  }
}
