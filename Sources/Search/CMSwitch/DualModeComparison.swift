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

  /// Baseline latency ÷ dual-mode latency.
  public var speedup: Double {
    simulated.latency.seconds > 0 ? simulatedBaseline.latency.seconds / simulated.latency.seconds : 0
  }

  /// Compiles `graph` both ways with `compiler`'s settings; `nil` when the architecture has no CIM
  /// tier that can run its products (or a budget ran out). With `dualMode` false only the
  /// baseline is compiled and simulated, and it stands for the program too.
  public static func compile(
    _ graph: Graph, architecture: Architecture, precision: Precision, compiler: SegmentCompiler = SegmentCompiler(),
    dualMode: Bool = true
  ) throws(ConfigError) -> DualModeComparison? {
    let explorer = Explorer(graph: graph, architecture: architecture, precision: precision)
    var base = compiler
    base.computeOnly = true
    guard let reference = try base.compile(explorer.problem()) else { return nil }
    let simulatedBaseline = explorer.simulator.run(reference.plan)
    guard dualMode else {
      return DualModeComparison(program: reference, baseline: reference, simulated: simulatedBaseline, simulatedBaseline: simulatedBaseline)
    }
    guard let program = try compiler.compile(explorer.problem()) else { return nil }
    return DualModeComparison(
      program: program, baseline: reference, simulated: explorer.simulator.run(program.plan), simulatedBaseline: simulatedBaseline)
  }
}
