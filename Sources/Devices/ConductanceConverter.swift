import HybrixNumerics

/// Weights mapped onto device conductances: one tensor per device plane (µS) and the scale
/// factor that turned weights into conductances (µS per weight unit).
public struct ConductanceMapping: Sendable, Hashable {
  /// The weights that were mapped (kept so a noise-free read returns them bit for bit).
  public var weights: Tensor
  /// Target conductance of each device plane, in µS.
  public var planes: [Tensor]
  /// Sign with which each plane contributes to the weight (+1 or −1).
  public var signs: [Float]
  /// Conductance per unit weight, in µS.
  public var scale: Float

  public init(weights: Tensor, planes: [Tensor], signs: [Float], scale: Float) {
    precondition(planes.count == signs.count, "one sign per plane")
    self.weights = weights
    self.planes = planes
    self.signs = signs
    self.scale = scale
  }
}

/// Maps weights to device conductances and back [aihwkit `BaseConductanceConverter`,
/// `IBM/aihwkit` src/aihwkit/inference/converter/base.py].
public protocol ConductanceConverter: Sendable {
  /// Target conductances (µS) for weights `w`.
  func conductances(for w: Tensor) -> ConductanceMapping
  /// Weights from (possibly noisy) conductances `planes` (µS) of a tile mapped as `mapping`.
  func weights(from planes: [Tensor], mapping: ConductanceMapping) -> Tensor
}

extension ConductanceConverter {
  /// Read-back relative to the targets: w + Σₖ sₖ·(gₖ − gₖᵀ)/scale.
  ///
  /// This equals Σₖ sₖ·gₖ/scale mathematically (the targets satisfy Σₖ sₖ·gₖᵀ = w·scale), but
  /// in Float32 `w·scale/scale` is not always `w` (about 14 % of random weights differ by an
  /// ulp). Reading back the *deviation* makes a noise-free round trip bit-exact, so
  /// "all noise off ⇒ identity" holds exactly, and it avoids cancelling two large conductances.
  public func weights(from planes: [Tensor], mapping: ConductanceMapping) -> Tensor {
    precondition(planes.count == mapping.planes.count, "plane count differs from the mapping")
    var out = mapping.weights.scalars
    let inv = 1 / Double(mapping.scale)
    for (k, plane) in planes.enumerated() {
      precondition(plane.shape == mapping.weights.shape, "plane shape \(plane.shape)")
      let target = mapping.planes[k].scalars
      let sign = Double(mapping.signs[k])
      for i in out.indices {
        let dev = Double(plane.scalars[i]) - Double(target[i])
        if dev != 0 { out[i] = Float(Double(out[i]) + sign * dev * inv) }
      }
    }
    return Tensor(shape: mapping.weights.shape, scalars: out)
  }
}

/// One pair of devices per weight; one device of the pair sits at `gMin` [aihwkit
/// `SinglePairConductanceConverter`, `IBM/aihwkit` src/aihwkit/inference/converter/conductance.py].
///
/// With scale = (gMax − gMin) / max(|W|, 1e-7): G⁺ = clip(W·scale, 0, gMax) + gMin and
/// G⁻ = clip(−W·scale, 0, gMax) + gMin; the weight read back is (G⁺ − G⁻)/scale.
///
/// - Parameters:
///   - gMax: Conductance the largest |weight| maps to, in µS (aihwkit default 25 µS).
///   - gMin: Conductance of logical zero, in µS (default 0).
public struct SinglePairConductanceConverter: ConductanceConverter, Hashable {
  public var gMax: Float
  public var gMin: Float

  public init(gMax: Float = 25, gMin: Float = 0) {
    precondition(gMax > 0 && gMin >= 0 && gMin < gMax, "need 0 ≤ gMin < gMax")
    self.gMax = gMax
    self.gMin = gMin
  }

  public func conductances(for w: Tensor) -> ConductanceMapping {
    let scale = (gMax - gMin) / max(w.absMax, 1e-7)
    let plus = w.map { min(max($0 * scale, 0), gMax) + gMin }
    let minus = w.map { min(max(-$0 * scale, 0), gMax) + gMin }
    return ConductanceMapping(weights: w, planes: [plus, minus], signs: [1, -1], scale: scale)
  }
}
