import Hardware
import HybrixCore
import Workloads

/// Turns a share of an operator into the ``TileWork`` a tier evaluates.
///
/// Bytes are at the workload's precision (the tier compares the bits it is asked for with its own
/// and bit-slices or refuses). A row share scales the rows and the activation traffic and keeps
/// all weights; a column share scales the output columns, the weights and the outputs and keeps
/// all inputs.
public enum Lowering {
  public static func work(
    _ op: Operator, fraction f: Double, axis: SplitAxis, precision: Precision, weightsResident: Bool
  ) -> TileWork {
    let b = op.bytes(at: precision)
    let input = Double(b.activationsIn + b.kvCache)
    let weights = Double(b.weights)
    let output = Double(b.out)
    let rows = axis == .rows
    if let g = op.matmul {
      return TileWork(
        kind: .matrix, batch: Double(g.batch), m: Double(g.m) * (rows ? f : 1), k: Double(g.k),
        n: Double(g.n) * (rows ? 1 : f), staticWeights: op.secondOperand == .staticWeight,
        vectorOps: Double(op.vectorOps) * f, inputBytes: input * (rows ? f : 1),
        weightBytes: weights * (rows ? 1 : f), outputBytes: output * f,
        weightBits: precision.weightBits, activationBits: precision.activationBits,
        weightsResident: weightsResident)
    }
    let kind: TileWork.Kind = op.vectorOps > 0 ? .vector : .movement
    return TileWork(
      kind: kind, vectorOps: Double(op.vectorOps) * f, inputBytes: input * f, weightBytes: weights * f,
      outputBytes: output * f, weightBits: precision.weightBits, activationBits: precision.activationBits,
      weightsResident: true)
  }
}
