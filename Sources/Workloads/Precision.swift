import HybrixCore

/// Bits per element of weights and of activations (the KV cache and gradients follow activations).
///
/// Written as `fp32`, `fp16`, `bf16`, `int8`, `int4`, or `wXaY` (e.g. `w4a16`, `w8a8`).
public struct Precision: Hashable, Codable, Sendable, CustomStringConvertible {
  public var weightBits: Int
  public var activationBits: Int

  public init(weightBits: Int, activationBits: Int) {
    self.weightBits = weightBits
    self.activationBits = activationBits
  }

  public static let fp32 = Precision(weightBits: 32, activationBits: 32)
  public static let fp16 = Precision(weightBits: 16, activationBits: 16)
  public static let int8 = Precision(weightBits: 8, activationBits: 8)

  static let named: [String: Precision] = [
    "fp32": .fp32, "float32": .fp32, "fp16": .fp16, "bf16": .fp16, "float16": .fp16,
    "int8": .int8, "int4": Precision(weightBits: 4, activationBits: 4),
  ]

  /// Parses a precision name; the error lists the accepted forms.
  public static func parse(_ text: String, path: String = "--precision") throws(ConfigError)
    -> Precision
  {
    let t = text.lowercased()
    if let p = named[t] { return p }
    if t.hasPrefix("w"), let a = t.firstIndex(of: "a"),
      let w = Int(t[t.index(after: t.startIndex)..<a]), let act = Int(t[t.index(after: a)...]),
      (1...64).contains(w), (1...64).contains(act)
    {
      return Precision(weightBits: w, activationBits: act)
    }
    throw ConfigError(
      path: path, message: "unknown precision \"\(text)\"",
      expected: "fp32, fp16, bf16, int8, int4 or wXaY with X, Y in 1…64 (e.g. w4a16)",
      hint: "int8 means 8-bit weights and 8-bit activations")
  }

  /// Bits for a tensor of this role.
  public func bits(for role: TensorRole) -> Int {
    role == .weight ? weightBits : activationBits
  }

  /// Bytes to hold `elements` values of `role`, rounded up to whole bytes.
  public func bytes(_ elements: Int, _ role: TensorRole) -> Int {
    // elements ≤ TensorShape.maxElements = Int.max / 8, so elements * bits stays in range for
    // bits ≤ 64 only after the division below; compute in two steps to be safe.
    let b = bits(for: role)
    return (elements / 8) * b + ((elements % 8) * b + 7) / 8
  }

  public var description: String {
    if weightBits == activationBits {
      switch weightBits {
      case 32: return "fp32"
      case 16: return "fp16"
      default: return "int\(weightBits)"
      }
    }
    return "w\(weightBits)a\(activationBits)"
  }
}
