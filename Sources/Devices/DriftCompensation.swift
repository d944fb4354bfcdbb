import HybrixNumerics

/// Rescales tile outputs digitally so that the average output magnitude after drift matches
/// the one measured right after programming [aihwkit `BaseDriftCompensation`,
/// `IBM/aihwkit` src/aihwkit/inference/compensation/base.py].
public protocol DriftCompensation: Sendable {
  /// The read-out inputs for a tile with `inputSize` inputs, shape [r, inputSize].
  func readoutInputs(inputSize: Int) -> Tensor
  /// A scalar summary of the tile's answer to ``readoutInputs(inputSize:)``.
  func readout(_ outputs: Tensor) -> Float
}

extension DriftCompensation {
  /// Reads a tile through `forward` (inputs [r, inputSize] → outputs [r, n]) and summarises it.
  public func measure(inputSize: Int, forward: (Tensor) -> Tensor) -> Float {
    readout(forward(readoutInputs(inputSize: inputSize)))
  }

  /// Factor α = reference / current that multiplies every output after drift (dimensionless).
  public func factor(reference: Float, current: Float) -> Float { reference / current }

  /// `outputs` multiplied by α = reference / current.
  public func compensate(_ outputs: Tensor, reference: Float, current: Float) -> Tensor {
    let alpha = factor(reference: reference, current: current)
    return outputs.map { $0 * alpha }
  }
}

/// Global drift compensation: one-hot (identity) read-out inputs, summary r = max(mean|y|, 1e-4)
/// [aihwkit `GlobalDriftCompensation`, `IBM/aihwkit` src/aihwkit/inference/compensation/drift.py].
///
/// aihwkit's docs describe an all-ones read vector; its code uses `eye(in_size)`, as here.
public struct GlobalDriftCompensation: DriftCompensation, Hashable {
  public init() {}

  public func readoutInputs(inputSize: Int) -> Tensor {
    var eye = Tensor.zeros([inputSize, inputSize])
    for i in 0..<inputSize { eye.scalars[i * inputSize + i] = 1 }
    return eye
  }

  public func readout(_ outputs: Tensor) -> Float {
    guard outputs.count > 0 else { return 1e-4 }
    var sum = 0.0
    for v in outputs.scalars { sum += Double(abs(v)) }
    return max(Float(sum / Double(outputs.count)), 1e-4)
  }
}
