import Hardware
import HybrixCore
import Mapping
import Reports
import Search
import Workloads

/// What `hybrix compile` reports (schema `hybrix.compile v1`): the segments, each operator's
/// arrays by mode, the switches per boundary, latency and energy against the compute-only
/// baseline (both simulated), and what compiling cost.
struct CompileReport: Encodable {
  struct Segment: Encodable {
    var index: Int
    var firstOperator: String
    var lastOperator: String
    var cimOperators: Int
    var computeArrays: Int
    var memoryArrays: Int
    /// Arrays switching mode at the boundary before it.
    var switches: Int
    var boundarySeconds: Double
    var seconds: Double
  }
  struct OperatorArrays: Encodable {
    var name: String
    var segment: Int
    var compute: Int
    var inputBuffers: Int
    var outputBuffers: Int
    var sharedInputBuffers: Int
  }
  struct Compilation: Encodable {
    var solver: String
    var segmentProblems: Int
    var provenOptimal: Int
    var largestGap: Double
    var solverSeconds: Double
    var totalSeconds: Double
    init(_ p: CompiledProgram) {
      solver = p.solver
      segmentProblems = p.solves
      provenOptimal = p.proven
      largestGap = p.largestGap
      solverSeconds = p.solverSeconds
      totalSeconds = p.totalSeconds
    }
  }
  var schema = "hybrix.compile v1"
  var model: String
  var architecture: String
  var tier: String
  var arrays: Int
  var dualMode: Bool
  var notes: [String]
  var latencySeconds: Double
  var energyJoules: Double
  var baselineLatencySeconds: Double
  var baselineEnergyJoules: Double
  var speedup: Double
  /// Share of the latency spent at segment boundaries (switches and write-back).
  var switchingShare: Double
  /// Time-weighted share of the arrays in memory mode.
  var memoryArrayShare: Double
  var compile: Compilation
  var baselineCompile: Compilation
  var segments: [Segment]
  var operators: [OperatorArrays]
  var infeasible: [String]

  init(
    graph: Graph, architecture: Architecture, program: CompiledProgram, baseline: CompiledProgram,
    simulated: MappingResult, simulatedBaseline: MappingResult, notes: [String]
  ) {
    model = graph.name
    self.architecture = architecture.name
    tier = architecture.tiers[program.tier].id
    arrays = program.arrays
    dualMode = program.dualMode
    self.notes = notes
    latencySeconds = simulated.latency.seconds
    energyJoules = simulated.energy.total.joules
    baselineLatencySeconds = simulatedBaseline.latency.seconds
    baselineEnergyJoules = simulatedBaseline.energy.total.joules
    speedup = latencySeconds > 0 ? baselineLatencySeconds / latencySeconds : 0
    switchingShare = latencySeconds > 0 ? program.boundarySeconds / latencySeconds : 0
    let busy = program.segments.reduce(0) { $0 + $1.intraSeconds }
    memoryArrayShare =
      busy > 0 ? program.segments.reduce(0) { $0 + $1.intraSeconds * Double($1.allocation.memoryArrays) } / (busy * Double(max(1, program.arrays))) : 0
    compile = Compilation(program)
    baselineCompile = Compilation(baseline)
    var previous = 0
    segments = program.segments.enumerated().map { n, s in
      let m = s.allocation.memoryArrays
      defer { previous = m }
      return Segment(
        index: n, firstOperator: graph.operators[s.operators.lowerBound].name,
        lastOperator: graph.operators[s.operators.upperBound - 1].name, cimOperators: s.last - s.first + 1,
        computeArrays: s.allocation.compute.reduce(0, +), memoryArrays: m, switches: abs(m - previous),
        boundarySeconds: s.interSeconds, seconds: s.intraSeconds)
    }
    operators = program.plan.placements.enumerated().compactMap { i, p in
      p.arrays.map {
        OperatorArrays(
          name: graph.operators[i].name, segment: $0.segment, compute: $0.compute, inputBuffers: $0.inputBuffers,
          outputBuffers: $0.outputBuffers, sharedInputBuffers: $0.sharedInputBuffers)
      }
    }
    infeasible = simulated.infeasible.map(\.description)
  }

  func renderText(top: Int?) -> String {
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
      .init("shared", .right),
    ])
    for a in operators.prefix(top ?? operators.count) {
      o.add([a.name, "\(a.segment)", "\(a.compute)", "\(a.inputBuffers)", "\(a.outputBuffers)", "\(a.sharedInputBuffers)"])
    }
    out += "\n" + o.render()
    if let top, operators.count > top { out += "\n… \(operators.count - top) more operators (--all lists them)" }
    return out
  }

  /// The meta-operator program (CMSwitch §4.4, Fig. 13): per segment, the arrays switching mode
  /// (`CM.switch(TOM|TOC, array)`; memory-mode arrays take the lowest addresses), then
  /// `parallel{ … }` with each operator's weight write and product on its arrays.
  static func program(_ p: CompiledProgram, graph: Graph, architecture: Architecture) -> String {
    var out = "# \(graph.name) on \(architecture.name): \(p.segments.count) segments on \(architecture.tiers[p.tier].id) (\(p.arrays) arrays)\n"
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
}
