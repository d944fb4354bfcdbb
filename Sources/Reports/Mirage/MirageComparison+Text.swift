import HybrixCore

extension MirageComparison {
  /// The comparison as `hybrix compare` prints it: both conventions side by side with the
  /// paper's headline for this baseline and mode, and the ratios as baseline ÷ Mirage.
  public var text: String {
    func f(_ v: Double) -> String { formatSignificant(v, digits: 4) }
    func ratio(_ v: Double) -> String { v >= 1 ? "\(f(v))×" : "1/\(f(1 / v))×" }
    var out = "\(model) \(phase), batch \(batch): Mirage vs \(baseline) systolic arrays, iso-\(iso.rawValue)\n"
    out += "\(gemms) GEMMs, \(NumberFormat.count(macs)) MACs; Mirage ran \(inputStationaryGEMMs) of them input-stationary (OPT2)\n\n"
    var t = TextTable([
      .init("convention"), .init("system"), .init("MAC units", .right), .init("runtime", .right),
      .init("energy", .right), .init("power", .right), .init("EDP (J·s)", .right),
    ])
    for c in conventions {
      for (name, s) in [("Mirage", c.mirage), (baseline, c.baseline)] {
        t.add([
          c.name, name + (s.arrays.map { " (\($0) arrays)" } ?? ""), NumberFormat.count(s.macUnits),
          Time.seconds(s.runtimeSeconds).formatted(significantDigits: 4), Energy.joules(s.energyJoules).formatted(significantDigits: 4), "\(f(s.powerWatts)) W",
          f(s.edpJouleSeconds),
        ])
      }
      t.addSeparator()
    }
    out += t.render() + "\n"
    var r = TextTable([
      .init("baseline ÷ Mirage"), .init("runtime", .right), .init("EDP", .right), .init("power", .right),
    ])
    for c in conventions {
      r.add([c.name, ratio(c.ratios.runtime), ratio(c.ratios.edp), ratio(c.ratios.power)])
    }
    if let p = paper {
      r.add(["paper headline (mean of its models)", ratio(p.ratios.runtime), ratio(p.ratios.edp), ratio(p.ratios.power)])
    }
    out += r.render() + "\n"
    out += "runtime, EDP > 1: Mirage better; power > 1: the baseline draws more.\n"
    for c in conventions { out += "\(c.name): \(c.description); scaling: \(c.scaling)\n" }
    if let p = paper { out += "paper: \(p.statement) [\(p.source)]\n" } else {
      out += "paper: no headline for \(baseline) at iso-\(iso.rawValue) (its per-model bars, Fig. 8, are log-scale only)\n"
    }
    for n in notes { out += "note: \(n)\n" }
    return out
  }
}
