import HybrixCore
import HybrixNumerics

/// Products on a photonic tensor core (an H3PIMAP photonic tier): converters, MZI phase noise and
/// Gaussian input/weight/output noise of ``PhotonicNoiseModel``, drawn afresh on every product
/// (dynamic noise: photonic weights are re-encoded per use, so there is nothing to program and
/// ``realize(weights:)`` returns the weights unchanged).
///
/// `roles` says which products run on the core; the others are exact Float32 (default: the
/// forward product only, as for inference on the core with a digital backward pass).
public struct PhotonicArithmetic: ProductArithmetic {
  public let model: PhotonicNoiseModel
  public let roles: Set<ProductRole>
  private var rng: SplitMix64

  public init(model: PhotonicNoiseModel, roles: Set<ProductRole> = [.forward], seed: UInt64) {
    self.model = model
    self.roles = roles
    self.rng = SplitMix64(seed: seed)
  }

  /// The default core: 8-bit converters and σ_φ = 0.01 rad (``PhotonicNoiseModel``'s defaults).
  public init(seed: UInt64) throws(ConfigError) {
    self.init(model: try PhotonicNoiseModel(), seed: seed)
  }

  /// Lightening-Transformer's DPTC precision: 4-bit inputs, weights and outputs (SimPhony
  /// configs/design/cores/dptc.yml, papers.md §1.4), with the default phase noise.
  public static func lighteningTransformer(seed: UInt64) throws(ConfigError) -> PhotonicArithmetic {
    PhotonicArithmetic(model: try PhotonicNoiseModel(inputBits: 4, weightBits: 4, outputBits: 4), seed: seed)
  }

  public var name: String {
    let bits = [model.inputBits, model.weightBits, model.outputBits].map { $0.map(String.init) ?? "∞" }
    return "photonic(\(bits.joined(separator: "/")) bit, σφ=\(model.phaseNoise) rad)"
  }

  public mutating func multiply(_ a: Tensor, _ b: Tensor, role: ProductRole) -> Tensor {
    guard roles.contains(role) else { return GEMM.multiply(a, b) }
    return model.product(a, b, rng: &rng)
  }
}
