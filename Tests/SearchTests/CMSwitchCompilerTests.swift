import Hardware
import HybrixCore
import Testing
import Workloads

@testable import Mapping
@testable import Search

/// The CMSwitch compiler [issue 11]: the DP equals brute force over all segmentations; the
/// simulator prices exactly what the compiler predicts (one truth); the compute-only baseline
/// uses no memory mode; architectures without dual mode get the baseline.
@Suite struct CMSwitchCompilerTests {
  /// With `split`, the graph pre-processed for the chip (``OperatorSplitting``) as `hybrix compile` runs it.
  static func explorer(_ model: String, _ options: ZooOptions = ZooOptions(), preset: String = "cmswitch", split: Bool = false) throws -> Explorer {
    var graph = try ModelZoo.model(named: model).graph(options).loweredForDeployment().graph
    let architecture = try PresetRegistry.architecture(named: preset)
    if split {
      let s = try OperatorSplitting.apply(graph, architecture: architecture, precision: .int8)
      #expect(!s.splits.isEmpty, "\(model): nothing to split, the split case is not exercised")
      graph = s.graph
    }
    return Explorer(graph: graph, architecture: architecture, precision: .int8)
  }

  /// The least total seconds over every segmentation of the CIM operators (each segment solved
  /// exactly, boundaries from the cost model), by enumeration.
  static func bruteForce(_ costs: SegmentCosts) -> Double {
    let k = costs.cims.count
    var best = Double.infinity
    var solved: [String: (SegmentAllocation, Double)?] = [:]
    func segment(_ a: Int, _ b: Int) -> (SegmentAllocation, Double)? {
      let key = "\(a)-\(b)"
      if let s = solved[key] { return s }
      var r: (SegmentAllocation, Double)?
      if let s = ExactSegmentSolver().solve(costs.allocationProblem(a, b), timeLimit: nil), let intra = costs.intra(a, b, s) {
        r = (s, intra)
      }
      solved[key] = r
      return r
    }
    // Every composition of k: bit i set = a segment ends after CIM operator i.
    for mask in 0..<(1 << max(0, k - 1)) {
      var total = 0.0
      var start = 0
      var previous: (a: Int, b: Int, s: SegmentAllocation)?
      var ok = true
      for i in 0..<k where i == k - 1 || mask & (1 << i) != 0 {
        guard let (s, intra) = segment(start, i), let inter = costs.inter(from: previous, to: start, i, s) else {
          ok = false
          break
        }
        total += inter + intra
        previous = (start, i, s)
        start = i + 1
      }
      if ok { best = min(best, total) }
    }
    return best
  }

  @Test(arguments: [("lenet5", ZooOptions()), ("mlp", ZooOptions(batch: 4))])
  func dpEqualsBruteForceOverSegmentations(model: String, options: ZooOptions) throws {
    let explorer = try Self.explorer(model, options)
    let problem = explorer.problem()
    var checked = 0
    for computeOnly in [false, true] {
      let costs = try #require(SegmentCosts(problem, computeOnly: computeOnly))
      #expect(costs.cims.count >= 3 && costs.cims.count <= 12)
      let compiler = SegmentCompiler(maxSegment: costs.cims.count, computeOnly: computeOnly)
      let program = try #require(try compiler.compile(problem))
      let brute = Self.bruteForce(costs)
      #expect(brute.isFinite)
      #expect(abs(program.predictedSeconds - brute) <= 1e-12 * brute, "\(model): DP \(program.predictedSeconds) vs brute force \(brute)")
      checked += 1
    }
    #expect(checked == 2)
  }

  /// Also on BERT-base with its FFN split into parts that fit the chip (issue 11 §2).
  @Test(arguments: [("lenet5", false), ("resnet20", false), ("bert-base", false), ("bert-base", true)])
  func simulatorPricesWhatTheCompilerPredicts(model: String, split: Bool) throws {
    let explorer = try Self.explorer(model, model == "bert-base" ? ZooOptions(sequenceLength: 16) : ZooOptions(), split: split)
    var memoryModeSegments = 0
    for computeOnly in [false, true] {
      let program = try #require(try SegmentCompiler(computeOnly: computeOnly).compile(explorer.problem()))
      let result = explorer.simulator.run(program.plan)
      #expect(result.isFeasible, "\(result.infeasible)")
      let predicted = program.predictedSeconds
      #expect(abs(result.latency.seconds - predicted) <= 1e-12 * predicted, "\(model): simulated \(result.latency.seconds) vs predicted \(predicted)")
      // Each segment's operators run inside its predicted window.
      var start = 0.0
      for seg in program.segments {
        let open = start + seg.interSeconds
        let close = open + seg.intraSeconds
        for row in result.operators where seg.operators.contains(row.index) {
          #expect(row.start.seconds >= open * (1 - 1e-12) && row.end.seconds <= close * (1 + 1e-12), "\(row.name)")
        }
        if seg.allocation.memoryArrays > 0 { memoryModeSegments += 1 }
        #expect(!computeOnly || seg.allocation.memoryArrays == 0)
        #expect(seg.allocation.arrays <= program.arrays)
        start = close
      }
      // Energy: the estimates' joules plus idle, nothing else.
      #expect(result.energy.total.joules > 0)
    }
    // Low-intensity products (attention at short sequences) get memory-mode arrays.
    if model == "bert-base" { #expect(memoryModeSegments >= 1, "\(model): no segment used memory mode") }
  }

  @Test func memoryModeSpeedsUpALowIntensityModel() throws {
    let explorer = try Self.explorer("bert-base", ZooOptions(sequenceLength: 16))
    let dual = try #require(try SegmentCompiler().compile(explorer.problem()))
    let baseline = try #require(try SegmentCompiler(computeOnly: true).compile(explorer.problem()))
    #expect(dual.dualMode && !baseline.dualMode)
    // The dual-mode search includes every compute-only allocation; switching costs 1 cycle.
    #expect(dual.predictedSeconds < baseline.predictedSeconds)
    #expect(dual.segments.contains { $0.allocation.memoryArrays > 0 })
  }

  @Test func withoutDualModeTheCompilerGivesTheComputeOnlyBaseline() throws {
    // h3pimap's CIM tiers have no memory mode: the dual-mode compile is the baseline.
    let explorer = try Self.explorer("lenet5", preset: "h3pimap")
    let problem = explorer.problem()
    let dual = try #require(try SegmentCompiler().compile(problem))
    let baseline = try #require(try SegmentCompiler(computeOnly: true).compile(problem))
    #expect(!dual.dualMode)
    #expect(dual.predictedSeconds == baseline.predictedSeconds)
    #expect(dual.segments.allSatisfy { $0.allocation.memoryArrays == 0 })
    #expect(explorer.simulator.run(dual.plan).isFeasible)
  }

  @Test func segmentedPlansThatBreakTheChipAreInfeasibleWithReasons() throws {
    let explorer = try Self.explorer("lenet5")
    let program = try #require(try SegmentCompiler().compile(explorer.problem()))
    var plan = program.plan
    let op = try #require(plan.placements.firstIndex { $0.arrays != nil })
    plan.placements[op].arrays?.compute = 10_000
    let r = explorer.simulator.run(plan)
    #expect(!r.isFeasible)
    #expect(r.infeasible.contains { $0.statement.contains("arrays") })
    var broken = program.plan
    broken.placements[op].arrays?.segmentMemoryArrays += 1
    #expect(!explorer.simulator.run(broken).isFeasible)
  }

  /// The regression of issue 11: with a broadcast input bus an operator in rounds reads its
  /// inputs once per round, so its traffic depends on its compute arrays; a MIP on two
  /// separable profiles then under-priced small compute counts (BERT-large at 512 tokens got
  /// slower when every operator got cheaper). Each segment's bottleneck must be exactly the
  /// slowest operator's seconds on its arrays, as the simulator prices it.
  @Test(arguments: [("bert-base", 128), ("resnet20", 0)])
  func segmentBottleneckIsTheSlowestOperatorsPricedTime(model: String, sequence: Int) throws {
    let explorer = try Self.explorer(model, sequence > 0 ? ZooOptions(sequenceLength: sequence) : ZooOptions())
    let problem = explorer.problem()
    let program = try #require(try SegmentCompiler().compile(problem))
    let placements = program.plan.placements
    var checked = 0
    var inRounds = 0
    for seg in program.segments {
      var slowest = 0.0
      for op in seg.operators where placements[op].arrays != nil {
        let e = try #require(problem.estimate(op, placements[op], residency: problem.residency, after: placements))
        slowest = max(slowest, e.shares.first?.seconds ?? 0)
      }
      #expect(abs(slowest - seg.allocation.seconds) <= 1e-12 * slowest, "\(model) segment \(seg.first)…\(seg.last): MIP \(seg.allocation.seconds) s, priced \(slowest) s")
      if seg.allocation.compute.contains(where: { $0 < 60 }) && seg.allocation.memoryArrays > 0 { inRounds += 1 }
      checked += 1
    }
    #expect(checked >= 3)
    if model == "bert-base" { #expect(inRounds >= 1, "no segment with memory mode and few compute arrays: the case is not exercised") }
  }

  /// Making every operator cheaper never makes the compiled program slower: the broadcast input
  /// bus only removes input reads, so the dual-mode program with it is at least as fast.
  @Test func aCheaperTierNeverCompilesASlowerProgram() throws {
    let graph = try ModelZoo.model(named: "bert-base").graph(ZooOptions(sequenceLength: 128)).loweredForDeployment().graph
    var seconds: [Bool: Double] = [:]
    for broadcast in [false, true] {
      var architecture = try PresetRegistry.architecture(named: "cmswitch")
      let t = try #require(architecture.tiers.firstIndex { $0 is CIMCrossbarTier })
      var spec = try #require(architecture.tiers[t] as? CIMCrossbarTier).spec
      spec.inputBroadcast = broadcast
      architecture.tiers[t] = try CIMCrossbarTier(spec: spec)
      let explorer = Explorer(graph: graph, architecture: architecture, precision: .int8)
      let program = try #require(try SegmentCompiler().compile(explorer.problem()))
      seconds[broadcast] = explorer.simulator.run(program.plan).latency.seconds
    }
    let with = try #require(seconds[true])
    let without = try #require(seconds[false])
    #expect(with <= without, "broadcast \(with) s vs per-column-tile reads \(without) s")
  }

  /// Solver ties [issue 11 §2]: CBC and the exact solver optimise the same lexicographic
  /// objective (bottleneck, then arrays) and return the canonical allocation among equal ones,
  /// so `--solver cbc` and `--solver exact` compile the same program.
  @Test(
    .enabled(if: CBCSolver.isAvailable, "CBC cannot be loaded: apt-get install coinor-libcbc-dev"),
    arguments: [("lenet5", ZooOptions()), ("mlp", ZooOptions(batch: 4)), ("resnet18", ZooOptions())])
  func cbcAndTheExactSolverCompileTheSameProgram(model: String, options: ZooOptions) throws {
    let explorer = try Self.explorer(model, options)
    let exact = try #require(try SegmentCompiler().compile(explorer.problem()))
    let cbc = try #require(try SegmentCompiler(solver: MIPSegmentSolver.cbc).compile(explorer.problem()))
    #expect(cbc.solver == "cbc" && exact.solver == "exact")
    #expect(cbc.proven == cbc.solves, "\(model): \(cbc.solves - cbc.proven) MIPs not proven optimal")
    #expect(cbc.plan == exact.plan, "\(model): the solvers compiled different programs")
    #expect(cbc.predictedSeconds == exact.predictedSeconds)
    #expect(cbc.segments.count >= 1)
  }
}
