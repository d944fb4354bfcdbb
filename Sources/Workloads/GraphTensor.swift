import HybrixCore

/// Index of a tensor in its ``Graph``.
public struct TensorID: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
  public let index: Int
  public init(_ index: Int) { self.index = index }
  public static func < (a: TensorID, b: TensorID) -> Bool { a.index < b.index }
  public var description: String { "t\(index)" }
}

/// What a tensor is to the workload, which decides its precision and whether it stays on chip.
public enum TensorRole: String, Codable, Sendable, CaseIterable {
  /// Data fed to the model (images, token ids).
  case input
  /// An intermediate result computed by an operator.
  case activation
  /// A trained parameter: static for inference, so it can be programmed into a crossbar.
  case weight
  /// A constant that is not a parameter (a shape for Reshape, an index list).
  case constant
  /// Keys or values of earlier tokens, read from the KV cache during LLM decoding.
  case kvCache
  /// A gradient (training only).
  case gradient
}

/// A tensor of the graph: name, shape and role. Weight values, when a file carried them, live in
/// ``Graph/weightValues``.
public struct GraphTensor: Hashable, Codable, Sendable {
  public var name: String
  public var shape: TensorShape
  public var role: TensorRole
  public init(name: String, shape: TensorShape, role: TensorRole) {
    self.name = name
    self.shape = shape
    self.role = role
  }
}

/// A concrete tensor shape; symbolic dimensions are bound before a shape is made.
public struct TensorShape: Hashable, Codable, Sendable, CustomStringConvertible {
  public var dims: [Int]
  /// Product of the dimensions. Construction through ``GraphBuilder`` guarantees it fits
  /// (with room for 64-bit elements), so this never overflows.
  public let elementCount: Int

  /// The largest element count Hybrix accepts, so that byte counts at up to 64 bits per element
  /// still fit in `Int`.
  public static let maxElements = Int.max / 8

  /// Checks every dimension (≥ 0; 0 only where `allowZero`) and the element count.
  public init(_ dims: [Int], allowZero: Bool = false) throws(ConfigError) {
    for (i, d) in dims.enumerated() where d < 0 || (d == 0 && !allowZero) {
      throw ConfigError(
        path: "dims[\(i)]", message: "dimension \(d) in shape \(dims)",
        expected: "a positive size", hint: "every tensor dimension must be at least 1")
    }
    let count = try Checked.product(dims, "the element count of shape \(dims)")
    guard count <= Self.maxElements else {
      throw ConfigError(
        message: "shape \(dims) has \(count) elements, too many to count its bytes in 64-bit integers",
        expected: "at most \(Self.maxElements) elements",
        hint: "reduce the batch size, sequence length or image size")
    }
    self.dims = dims
    self.elementCount = count
  }

  public var rank: Int { dims.count }
  public subscript(i: Int) -> Int { dims[i] }
  public var description: String { "[" + dims.map(String.init).joined(separator: ",") + "]" }
}
