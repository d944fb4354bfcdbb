import HybrixCore
import HybrixNumerics

/// Device-level noise of an analog memory: what happens to a target conductance when it is
/// programmed, how fast it drifts, and what a read at time *t* returns.
///
/// The protocol holds only the device hooks; the extension supplies the template method
/// (weights → conductances → program → drift/read → weights), as aihwkit's `BaseNoiseModel`
/// does (`IBM/aihwkit` src/aihwkit/inference/noise/base.py). Every conductance is in µS.
/// Every random draw comes from the caller's `SplitMix64`, so a seed reproduces a run bit for bit.
public protocol NoiseModel: Sendable {
  /// Programmed conductances (µS) for target conductances `g` (µS), one draw per device.
  func programmed(_ g: Tensor, rng: inout SplitMix64) -> Tensor
  /// Drift exponents ν (dimensionless), one per device, drawn at programming time from the
  /// target conductances `g` (µS); `nil` when the device does not drift.
  func driftExponents(for g: Tensor, rng: inout SplitMix64) -> Tensor?
  /// Conductances (µS) read at time `t` after programming ended, from programmed conductances
  /// `g` (µS) and the exponents `drift`. Read noise is re-sampled on every call.
  func read(_ g: Tensor, drift: Tensor?, after t: Time, rng: inout SplitMix64) -> Tensor
}

/// The state of a tile after programming: the noise that is drawn once (programming noise
/// and drift exponents) is stored here, so later reads at any time re-use it.
public struct ProgrammedWeights: Sendable, Hashable {
  /// The noise-free mapping the devices were programmed towards.
  public var target: ConductanceMapping
  /// Programmed conductance of every device plane, in µS, same order as `target.planes`.
  public var programmed: [Tensor]
  /// Drift exponent of every device plane (dimensionless), or `nil` without drift.
  public var driftExponents: [Tensor?]

  public init(target: ConductanceMapping, programmed: [Tensor], driftExponents: [Tensor?]) {
    precondition(programmed.count == target.planes.count && driftExponents.count == programmed.count,
      "one programmed plane and one drift plane per target plane")
    self.target = target
    self.programmed = programmed
    self.driftExponents = driftExponents
  }
}

extension NoiseModel {
  /// Programs weights `w`: maps them to conductances with `converter`, then draws programming
  /// noise and drift exponents once per device (plane by plane, noise before exponents).
  ///
  /// - Complexity: O(*n*) in the number of weights.
  public func program(
    _ w: Tensor, converter: some ConductanceConverter, rng: inout SplitMix64
  ) -> ProgrammedWeights {
    let target = converter.conductances(for: w)
    var programmedPlanes: [Tensor] = []
    var exponents: [Tensor?] = []
    for plane in target.planes {
      programmedPlanes.append(programmed(plane, rng: &rng))
      exponents.append(driftExponents(for: plane, rng: &rng))
    }
    return ProgrammedWeights(target: target, programmed: programmedPlanes, driftExponents: exponents)
  }

  /// Reads programmed weights at time `t` after programming (drift plus fresh read noise) and
  /// converts the conductances back to weights.
  public func read(
    _ p: ProgrammedWeights, after t: Time, converter: some ConductanceConverter,
    rng: inout SplitMix64
  ) -> Tensor {
    var planes: [Tensor] = []
    for (g, nu) in zip(p.programmed, p.driftExponents) {
      planes.append(read(g, drift: nu, after: t, rng: &rng))
    }
    return converter.weights(from: planes, mapping: p.target)
  }

  /// Weights as seen at time `t` after programming: program once, then read once.
  ///
  /// With every noise scale at 0 this returns `w` exactly (see ``ConductanceConverter``).
  public func apply(
    to w: Tensor, after t: Time, converter: some ConductanceConverter, rng: inout SplitMix64
  ) -> Tensor {
    let p = program(w, converter: converter, rng: &rng)
    return read(p, after: t, converter: converter, rng: &rng)
  }
}
