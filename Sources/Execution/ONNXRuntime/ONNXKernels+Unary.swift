import Foundation
import HybrixCore
import HybrixNumerics

/// The operator kernels of the ONNX executor, one family per file. Each takes the node and
/// returns its outputs; errors are relative to the node.
enum ONNXKernels {}

extension ONNXKernels {
  /// Float → float functions without attributes.
  static let unaryFunctions: [String: @Sendable (Float) -> Float] = [
    "Relu": { max(0, $0) },
    "Sigmoid": { Activations.sigmoid($0) },
    "Tanh": { Foundation.tanh($0) },
    "Sqrt": { $0.squareRoot() },
    "Exp": { Foundation.exp($0) },
    "Log": { Foundation.log($0) },
    "Reciprocal": { 1 / $0 },
    "Floor": { $0.rounded(.down) },
    "Ceil": { $0.rounded(.up) },
    "Round": { $0.rounded(.toNearestOrEven) },
    "Erf": { Foundation.erf($0) },
    "Sin": { Foundation.sin($0) },
    "Cos": { Foundation.cos($0) },
    "Tan": { Foundation.tan($0) },
    "Asin": { Foundation.asin($0) },
    "Acos": { Foundation.acos($0) },
    "Atan": { Foundation.atan($0) },
    "Sinh": { Foundation.sinh($0) },
    "Cosh": { Foundation.cosh($0) },
    "Asinh": { Foundation.asinh($0) },
    "Acosh": { Foundation.acosh($0) },
    "Atanh": { Foundation.atanh($0) },
    "Softplus": { $0 > 20 ? $0 : Foundation.log1p(Foundation.exp($0)) },
    "Softsign": { $0 / (1 + abs($0)) },
    "HardSwish": { $0 * max(0, min(1, $0 / 6 + 0.5)) },
  ]

  /// Unary operators with float attributes or integer support.
  static let parameterizedUnary: Set<String> = [
    "Neg", "Abs", "Sign", "LeakyRelu", "Elu", "Selu", "Celu", "HardSigmoid", "ThresholdedRelu", "Gelu",
    "Shrink",
  ]

  /// The function of unary operator `n`, with its attributes read.
  static func unaryFunction(_ n: ONNXNodeContext) throws(ConfigError) -> @Sendable (Float) -> Float {
    if let f = unaryFunctions[n.opType] { return f }
    switch n.opType {
    case "Neg": return { -$0 }
    case "Abs": return { abs($0) }
    case "Sign": return { $0 > 0 ? 1 : $0 < 0 ? -1 : 0 }
    case "LeakyRelu":
      let alpha = try n.float("alpha", default: 0.01)
      return { $0 < 0 ? alpha * $0 : $0 }
    case "Elu":
      let alpha = try n.float("alpha", default: 1)
      return { $0 < 0 ? alpha * (Foundation.exp($0) - 1) : $0 }
    case "Selu":
      let alpha = try n.float("alpha", default: 1.67326319217681884765625)
      let gamma = try n.float("gamma", default: 1.05070102214813232421875)
      return { $0 <= 0 ? gamma * (alpha * Foundation.exp($0) - alpha) : gamma * $0 }
    case "Celu":
      let alpha = try n.float("alpha", default: 1)
      return { max(0, $0) + min(0, alpha * (Foundation.exp($0 / alpha) - 1)) }
    case "HardSigmoid":
      let alpha = try n.float("alpha", default: 0.2)
      let beta = try n.float("beta", default: 0.5)
      return { max(0, min(1, alpha * $0 + beta)) }
    case "ThresholdedRelu":
      let alpha = try n.float("alpha", default: 1)
      return { $0 > alpha ? $0 : 0 }
    case "Shrink":
      let bias = try n.float("bias", default: 0)
      let lambd = try n.float("lambd", default: 0.5)
      return { $0 < -lambd ? $0 + bias : $0 > lambd ? $0 - bias : 0 }
    case "Gelu":
      let approximate = try n.string("approximate", default: "none")
      switch approximate {
      case "none": return { 0.5 * $0 * (1 + Foundation.erf($0 / Float(2).squareRoot())) }
      case "tanh":
        let c = Float((2 / Double.pi).squareRoot())
        return { 0.5 * $0 * (1 + Foundation.tanh(c * ($0 + 0.044715 * $0 * $0 * $0))) }
      default:
        throw ConfigError(
          path: "attribute.approximate", message: "approximate '\(approximate)'", expected: "none or tanh")
      }
    default:
      throw ConfigError(message: "\(n.opType) is not a unary operator", expected: "a unary operator")
    }
  }

  /// Applies a unary operator elementwise; Neg, Abs and Sign also take integer tensors.
  static func unary(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    if case .int(let shape, let v)? = n.optional(0), ["Neg", "Abs", "Sign"].contains(n.opType) {
      let f: (Int64) -> Int64 =
        switch n.opType {
        case "Neg": { 0 &- $0 }
        case "Abs": { $0 < 0 ? 0 &- $0 : $0 }
        default: { $0.signum() }
        }
      return [.int(shape: shape, values: v.map(f))]
    }
    let x = try n.float(0, "X")
    return [.float(x.map(try unaryFunction(n)))]
  }

  /// Clip to `[min, max]`: attributes before opset 11, optional scalar inputs from 11 on.
  static func clip(_ n: ONNXNodeContext) throws(ConfigError) -> [ONNXValue] {
    if n.opset < 11 {
      let lo = try n.float("min", default: -Float.greatestFiniteMagnitude)
      let hi = try n.float("max", default: Float.greatestFiniteMagnitude)
      return [.float(try n.float(0, "input").map { min(hi, max(lo, $0)) })]
    }
    switch try n.value(0, "input") {
    case .int(let shape, let v):
      let lo = try n.optionalInts(1, "min")?.first ?? Int64.min
      let hi = try n.optionalInts(2, "max")?.first ?? Int64.max
      return [.int(shape: shape, values: v.map { min(hi, max(lo, $0)) })]
    case .float(let x):
      let lo = try n.optionalFloat(1, "min")?.scalars.first ?? -Float.infinity
      let hi = try n.optionalFloat(2, "max")?.scalars.first ?? Float.infinity
      return [.float(x.map { min(hi, max(lo, $0)) })]
    }
  }
}
