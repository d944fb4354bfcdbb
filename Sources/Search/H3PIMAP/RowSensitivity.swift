import Execution
import Foundation
import HybrixCore
import HybrixNumerics
import Workloads

/// How much the loss grows when one weight row (output channel) of a product operator is
/// perturbed — H3PIMAP's Row Remap ranks rows by it (arXiv 2503.07778v2 §4.2, papers.md §7.2).
///
/// The paper's estimate is the second-order Taylor term S ≈ ∇Lᵀ·ΔW + ½·diag(∇²L)ᵀ·ΔW² under
/// Gaussian row perturbations. We take its expectation over ΔW_r ~ N(0, σ_r² I), σ_r = ρ·max|w_r|
/// (noise relative to the row's range, as the tiers' per-row quantization makes it):
///
///     S_r = σ_r·√(2/π)·‖g_r‖₂ + ½·σ_r²·Σ_j H_jj        (the first term is E|g_rᵀ ΔW_r|; E[g_rᵀ ΔW_r] = 0)
///
/// - ``taylor(network:graph:images:labels:relativeSigma:probes:seed:)``: on real data — g from
///   backpropagation, Σ_j H_jj per row by Hutchinson's estimator with Rademacher probes z and
///   central differences of the gradient, zᵀ(∇L(w + εz) − ∇L(w − εz))/(2ε) restricted to the row.
/// - ``proxy(graph:)``: a model without weights (zoo models): S_r = fan-in k of the operator (the
///   number of noisy products summed into the row's output). Rows of one operator tie and keep
///   their index order, so the proxy ranks operators, not rows.
public struct RowSensitivity: Sendable, Hashable, Codable {
  public enum Method: String, Sendable, Hashable, Codable { case taylor, proxy }
  public var method: Method
  /// What was measured, for reports ("gradient + Hutchinson diagonal Hessian on 256 images, 8 probes").
  public var detail: String
  /// Per graph operator: each output row's sensitivity (nats), `nil` for an operator without a product.
  public var rows: [[Double]?]

  public init(method: Method, detail: String, rows: [[Double]?]) {
    (self.method, self.detail, self.rows) = (method, detail, rows)
  }

  /// The fan-in proxy for a graph without weights.
  public static func proxy(graph: Graph) -> RowSensitivity {
    RowSensitivity(
      method: .proxy, detail: "proxy: fan-in of the operator per row (no weights)",
      rows: graph.operators.map { op in op.matmul.map { [Double](repeating: Double($0.k), count: $0.n) } })
  }

  /// The Taylor estimate on `images`/`labels` for a chain network whose product operators are
  /// those of `graph` (by name). Parameters of rank ≥ 2 are the product weights in operator
  /// order, first axis the output rows (`Linear` [out, in], `Conv2d` [O, C, kh, kw]).
  ///
  /// Batch normalisation runs in training mode (batch statistics) so that backpropagation is
  /// exact for the loss it differentiates.
  public static func taylor<N: TrainableNetwork>(
    network: N, graph: Graph, images: HybrixNumerics.Tensor, labels: [Int], relativeSigma: Double = 0.01,
    probes: Int = 8, seed: UInt64
  ) throws(ConfigError) -> RowSensitivity {
    var net = network
    let weightIndices = net.parameters.indices.filter { net.parameters[$0].rank >= 2 }
    let names = net.productOperatorNames
    guard weightIndices.count == names.count else {
      throw ConfigError(
        message: "\(net.name): \(weightIndices.count) weight tensors for \(names.count) product operators",
        expected: "one weight tensor per conv or linear operator", hint: "use the fan-in proxy (no --weights)")
    }
    let (g, h) = gradientAndRowCurvature(network: &net, images: images, labels: labels, probes: probes, seed: seed)
    var rows = [[Double]?](repeating: nil, count: graph.operators.count)
    for (pi, name) in names.enumerated() {
      guard let oi = graph.operators.firstIndex(where: { $0.name == name }) else { continue }
      let w = net.parameters[weightIndices[pi]]
      let n = w.shape[0], per = w.count / max(1, n)
      if let mm = graph.operators[oi].matmul, mm.n != n {
        throw ConfigError(
          message: "operator \(name) has \(mm.n) output rows in the graph, \(n) in the weights",
          expected: "weights of this model", hint: "pass the checkpoint written for this model")
      }
      let grad = g[weightIndices[pi]], curvature = h[weightIndices[pi]]
      rows[oi] = (0..<n).map { r in
        var norm = 0.0, wmax = 0.0
        for j in (r * per)..<((r + 1) * per) {
          norm += Double(grad.scalars[j]) * Double(grad.scalars[j])
          wmax = max(wmax, Double(abs(w.scalars[j])))
        }
        let sigma = relativeSigma * wmax
        return sigma * (2 / Double.pi).squareRoot() * norm.squareRoot() + 0.5 * sigma * sigma * curvature[r]
      }
    }
    return RowSensitivity(
      method: .taylor,
      detail: "gradient + Hutchinson diagonal Hessian (\(probes) probes) on \(labels.count) training images, σ_r = \(relativeSigma)·max|w_r|",
      rows: rows)
  }

  /// ∇L (per parameter tensor) and, per parameter tensor of rank ≥ 2, the Hutchinson estimate of
  /// Σ_j H_jj over each row (first axis); tensors of lower rank get an empty array.
  public static func gradientAndRowCurvature<N: TrainableNetwork>(
    network: inout N, images: HybrixNumerics.Tensor, labels: [Int], probes: Int, seed: UInt64
  ) -> (gradients: [HybrixNumerics.Tensor], rowCurvature: [[Double]]) {
    func gradient(_ net: inout N) -> [HybrixNumerics.Tensor] {
      let logits = net.forward(images, training: true)
      let (_, dLogits) = SoftmaxCrossEntropy.lossAndGradient(logits: logits, labels: labels)
      net.backward(dLogits)
      return net.gradients
    }
    let base = network.parameters
    let g = gradient(&network)
    var curvature = base.map { $0.rank >= 2 ? [Double](repeating: 0, count: $0.shape[0]) : [] }
    var rng = SplitMix64(seed: seed)
    for _ in 0..<max(1, probes) {
      let z = base.map { t in t.rank >= 2 ? t.map { _ in rng.next() & 1 == 0 ? 1 : -1 } : t.map { _ in 0 } }
      let eps = base.map { t -> Float in
        let rms = (t.scalars.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, t.count))).squareRoot()
        return Float(max(1e-4, 1e-2 * rms))
      }
      func shifted(_ sign: Float) -> [HybrixNumerics.Tensor] {
        zip(base, zip(z, eps)).map { t, ze in
          HybrixNumerics.Tensor(shape: t.shape, scalars: zip(t.scalars, ze.0.scalars).map { $0 + sign * ze.1 * $1 })
        }
      }
      network.parameters = shifted(1)
      let plus = gradient(&network)
      network.parameters = shifted(-1)
      let minus = gradient(&network)
      for t in base.indices where base[t].rank >= 2 {
        let n = base[t].shape[0], per = base[t].count / max(1, n)
        for r in 0..<n {
          var s = 0.0
          for j in (r * per)..<((r + 1) * per) {
            s += Double(z[t].scalars[j]) * Double(plus[t].scalars[j] - minus[t].scalars[j]) / (2 * Double(eps[t]))
          }
          curvature[t][r] += s / Double(max(1, probes))
        }
      }
    }
    network.parameters = base
    return (g, curvature)
  }
}
