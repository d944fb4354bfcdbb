import Hardware
import HybrixCore
import Mapping
import Workloads

/// One graph compiled twice on the same cost model — CMSwitch's dual-mode program and the
/// compute-only baseline (every array computing, CIM-MLC-like) — and both simulated: what
/// `hybrix compile`, its `--generate` study and `reproduce cmswitch` compare.
public struct DualModeComparison: Sendable {
  public var program: CompiledProgram
  public var baseline: CompiledProgram
  public var simulated: MappingResult
  public var simulatedBaseline: MappingResult
  /// The pre-processing both programs were compiled from: the graph with the products too large
  /// for the chip split (``OperatorSplitting``).
  public var splitting: OperatorSplitting
  /// The graph both programs place.
  public var graph: Graph { splitting.graph }

  /// Baseline latency ÷ dual-mode latency.
  public var speedup: Double {
    simulated.latency.seconds > 0 ? simulatedBaseline.latency.seconds / simulated.latency.seconds : 0
  }

  /// Compiles `graph`, pre-processed for the chip (``OperatorSplitting``: products too large for
  /// it split into parts that fit), both ways with `compiler`'s settings; `nil` when the architecture has no CIM
  /// tier that can run its products (or a budget ran out). With `dualMode` false only the
  /// baseline is compiled and simulated, and it stands for the program too.
  public static func compile(
    _ graph: Graph, architecture: Architecture, precision: Precision, compiler: SegmentCompiler = SegmentCompiler(),
    dualMode: Bool = true
  ) throws(ConfigError) -> DualModeComparison? {
    let splitting = try OperatorSplitting.apply(graph, architecture: architecture, precision: precision)
    let explorer = Explorer(graph: splitting.graph, architecture: architecture, precision: precision)
    var base = compiler
    base.computeOnly = true
    guard let reference = try base.compile(explorer.problem()) else { return nil }
    let simulatedBaseline = explorer.simulator.run(reference.plan)
    guard dualMode else {
      return DualModeComparison(
        program: reference, baseline: reference, simulated: simulatedBaseline, simulatedBaseline: simulatedBaseline, splitting: splitting)
    }
    guard let program = try compiler.compile(explorer.problem()) else { return nil }
    return DualModeComparison(
      program: program, baseline: reference, simulated: explorer.simulator.run(program.plan), simulatedBaseline: simulatedBaseline,
      splitting: splitting)
  }
}
