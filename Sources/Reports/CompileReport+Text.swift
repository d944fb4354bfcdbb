import Hardware
import HybrixCore
import Search
import Workloads

extension CompileReport {
  /// The text table of `hybrix compile`: summary, segments, and the first `top` operators' arrays
  /// (all when `nil`).
  public func renderText(top: Int?) -> String {
    func time(_ s: Double) -> String { Time.seconds(s).description }
    func energy(_ j: Double) -> String { Energy.joules(j).description }
    var out = "\(model) on \(architecture) (tier \(tier), \(arrays) arrays\(dualMode ? ", dual mode" : ", compute only"))\n"
    for n in notes { out += "note: \(n)\n" }
    for i in infeasible { out += "infeasible: \(i)\n" }
    out += "latency  \(time(latencySeconds))  vs compute-only \(time(baselineLatencySeconds))  speed-up \(formatSignificant(speedup, digits: 3))×\n"
    out += "energy   \(energy(energyJoules))  vs compute-only \(energy(baselineEnergyJoules))\n"
    out += "switching \(formatSignificant(100 * switchingShare, digits: 3)) % of the time; memory-mode arrays \(formatSignificant(100 * memoryArrayShare, digits: 3)) % (time-weighted)\n"
    for (label, c) in [("compile", compile), ("baseline", baselineCompile)] {
      let proven = c.provenOptimal == c.segmentProblems ? "all proven optimal" : "\(c.provenOptimal) proven optimal, largest gap \(formatSignificant(100 * c.largestGap, digits: 3)) %"
      out += "\(label): \(c.segmentProblems) segment MIPs by \(c.solver) (\(proven)); solver \(formatSignificant(c.solverSeconds, digits: 3)) s of \(formatSignificant(c.totalSeconds, digits: 3)) s\n"
    }
    if !splitOperators.isEmpty {
      let parts = splitOperators.reduce(0) { $0 + $1.parts }
      out += "split: \(splitOperators.count) products too large for the \(arrays) arrays became \(parts) parts along their output columns (each part a whole product, joined in place)\n"
      for s in splitOperators.prefix(top ?? splitOperators.count) {
        out += "  \(s.name): \(s.arrays) arrays → \(s.parts) parts of \(Self.runs(s.partArrays)) arrays, \(Self.segmentList(s.segments))\n"
      }
      if let top, splitOperators.count > top { out += "  … \(splitOperators.count - top) more split products (--all lists them)\n" }
    }
    var t = TextTable([
      .init("seg", .right), .init("operators"), .init("CIM ops", .right), .init("compute", .right), .init("memory", .right),
      .init("switches", .right), .init("boundary", .right), .init("segment", .right),
    ])
    for s in segments {
      t.add([
        "\(s.index)", s.firstOperator == s.lastOperator ? s.firstOperator : "\(s.firstOperator) … \(s.lastOperator)", "\(s.cimOperators)",
        "\(s.computeArrays)", "\(s.memoryArrays)", "\(s.switches)", time(s.boundarySeconds), time(s.seconds),
      ])
    }
    out += "\n" + t.render() + "\n"
    var o = TextTable([
      .init("operator"), .init("seg", .right), .init("compute", .right), .init("in-buffer", .right), .init("out-buffer", .right),
      .init("shared", .right), .init("part of"),
    ])
    for a in operators.prefix(top ?? operators.count) {
      o.add([a.name, "\(a.segment)", "\(a.compute)", "\(a.inputBuffers)", "\(a.outputBuffers)", "\(a.sharedInputBuffers)", a.partOf ?? ""])
    }
    out += "\n" + o.render()
    if let top, operators.count > top { out += "\n… \(operators.count - top) more operators (--all lists them)" }
    if let g = generation { out += "\n\n" + Self.renderGeneration(g, model: model) }
    return out
  }

  /// `79/79/79/78` as `3×79 + 78`: runs of equal counts.
  static func runs(_ counts: [Int]) -> String {
    var parts: [(n: Int, value: Int)] = []
    for c in counts {
      if let last = parts.last, last.value == c { parts[parts.count - 1].n += 1 } else { parts.append((1, c)) }
    }
    return parts.map { $0.n == 1 ? "\($0.value)" : "\($0.n)×\($0.value)" }.joined(separator: " + ")
  }

  /// The segments of a split product's parts: `in segment 2`, `in segments 1, 2`, `in segments 5…30 (26)`.
  static func segmentList(_ segments: [Int]) -> String {
    let distinct = Array(Set(segments)).sorted()
    guard let first = distinct.first, let last = distinct.last else { return "in no segment" }
    if distinct.count == 1 { return "in segment \(first)" }
    if distinct.count <= 4 { return "in segments " + distinct.map(String.init).joined(separator: ", ") }
    return "in segments \(first)…\(last) (\(distinct.count))"
  }

  /// The meta-operator program (CMSwitch §4.4, Fig. 13): per segment, the arrays switching mode
  /// (`CM.switch(TOM|TOC, array)`; memory-mode arrays take the lowest addresses), then
  /// `parallel{ … }` with each operator's weight write and product on its arrays.
  public static func program(_ p: CompiledProgram, graph: Graph, architecture: Architecture) -> String {
    var out = "# \(graph.name) on \(architecture.name): \(p.segments.count) segments on \(architecture.tiers[p.tier].id) (\(p.arrays) arrays)\n"
    let joins = graph.operators.filter { $0.kind == .layout && $0.attributes.function == Graph.joinFunction }
    if !joins.isEmpty {
      out += "# split products (parts name.partI, joined in place by name.join): "
        + joins.map { "\($0.name.dropLast(".join".count)) → \($0.inputs.count) parts" }.joined(separator: ", ") + "\n"
    }
    func span(_ r: Range<Int>) -> String { r.count == 1 ? "\(r.lowerBound)" : "\(r.lowerBound)..\(r.upperBound - 1)" }
    var memoryBefore = 0
    for (n, s) in p.segments.enumerated() {
      let m = s.allocation.memoryArrays
      out += "\n# segment \(n)\n"
      for a in memoryBefore..<max(memoryBefore, m) { out += "CM.switch(TOM, \(a))\n" }
      for a in m..<max(m, memoryBefore) { out += "CM.switch(TOC, \(a))\n" }
      memoryBefore = m
      out += "parallel{\n"
      var nextMemory = 0
      var nextCompute = m
      var outputs: [Int: Range<Int>] = [:]
      for (i, op) in p.cimOperators[s.first...s.last].enumerated() {
        let a = s.allocation
        let own = a.inputBuffers[i] - a.sharedInputBuffers[i]
        var input = nextMemory..<(nextMemory + own)
        nextMemory += own
        if a.sharedInputBuffers[i] > 0, let x = graph.operators[op].inputs.first, let prod = outputs.keys.first(where: { graph.operators[$0].outputs.contains(x) }), let r = outputs[prod] {
          input = r.lowerBound..<(r.lowerBound + a.sharedInputBuffers[i])
          if own > 0 { input = input.lowerBound..<(input.upperBound) }
        }
        let output = nextMemory..<(nextMemory + a.outputBuffers[i])
        nextMemory += a.outputBuffers[i]
        outputs[op] = output
        let compute = nextCompute..<(nextCompute + a.compute[i])
        nextCompute += a.compute[i]
        let name = graph.operators[op].name
        out += "  CIM.write_weights(\(name), arrays \(span(compute)))\n"
        var line = "  CIM.mvm(\(name), arrays \(span(compute))"
        if !input.isEmpty || own > 0 { line += ", in: M[\(span(input))]\(own > 0 && a.sharedInputBuffers[i] > 0 ? " + \(own) own" : "")" }
        if !output.isEmpty { line += ", out: M[\(span(output))]" }
        out += line + ")\n"
      }
      out += "}\n"
    }
    return out
  }

  /// The output-length table: per generated-token count, both programs' latency and the speed-up.
  static func renderGeneration(_ g: GenerationStudy.Outcome, model: String) -> String {
    func time(_ s: Double) -> String { Time.seconds(s).description }
    let contexts = g.decodeSamples.map(\.contextTokens)
    var out = "generation: \(model), prompt \(g.promptTokens) tokens (prefill \(time(g.prefillSeconds)) vs compute-only \(time(g.baselinePrefillSeconds))), "
    out += "then one decode step per generated token; decode compiled at \(contexts.count) contexts \(contexts.first ?? 0)…\(contexts.last ?? 0), linear between them"
    if let c = g.checkContextTokens {
      out += " (checked at \(c): error \(formatSignificant(100 * g.interpolationError, digits: 2)) %)"
    }
    var t = TextTable([.init("generated", .right), .init("latency", .right), .init("compute-only", .right), .init("speed-up", .right)])
    for r in g.rows {
      t.add(["\(r.generatedTokens)", time(r.latencySeconds), time(r.baselineLatencySeconds), formatSignificant(r.speedup, digits: 3) + "×"])
    }
    return out + "\n" + t.render()
  }
}
