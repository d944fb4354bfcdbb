import HybrixCore

/// Arithmetic operations per output element that Hybrix counts for pointwise functions.
///
/// These are conventions for costing on a vector unit, not measurements: one for a plain
/// arithmetic or comparison, a few for functions evaluated by polynomial or table.
public enum PointwiseCost {
  public static let opsPerElement: [String: Int] = [
    "relu": 1, "add": 1, "sub": 1, "mul": 1, "div": 1, "max": 1, "min": 1, "neg": 1, "abs": 1,
    "clip": 2, "leakyrelu": 2, "relu6": 2, "sigmoid": 4, "tanh": 4, "silu": 5, "swish": 5,
    "gelu": 8, "exp": 4, "log": 4, "sqrt": 4, "pow": 4, "erf": 6, "hardswish": 4,
    "hardsigmoid": 3, "elu": 4, "selu": 5, "softplus": 6, "reciprocal": 1, "where": 1,
    "rope": 3, "equal": 1, "less": 1, "greater": 1, "not": 1, "and": 1, "or": 1, "cast": 1,
    // Normalizations, per element: batch norm at inference folds to scale and shift.
    "batchnorm": 2, "layernorm": 7, "rmsnorm": 5, "groupnorm": 7, "instancenorm": 7,
    // Softmax: max, subtract, exp, sum, divide.
    "softmax": 5, "logsoftmax": 6,
  ]

  /// Operations per element for `function` (lower-case); unknown functions count 1.
  public static func ops(_ function: String) -> Int { opsPerElement[function] ?? 1 }
}

extension GraphBuilder {
  /// A pointwise function of one or more broadcast-compatible inputs (Add, Mul, ReLU, GELU …).
  /// Inputs that are weights (a bias, a scale) count as parameters.
  public mutating func elementwise(_ name: String, _ function: String, _ xs: [TensorID])
    throws(ConfigError) -> TensorID
  {
    precondition(!xs.isEmpty, "elementwise \(name) needs an input")
    var out = dims(xs[0])
    for t in xs.dropFirst() { out = try Self.broadcast(out, dims(t), name) }
    return try pointwise(name, kind: .elementwise, function: function, xs, outDims: out)
  }

  /// A normalization of `x` with learned parameters `params` (scale, shift) and fixed statistics
  /// `stats` (batch norm's running mean and variance, stored as constants).
  public mutating func normalization(
    _ name: String, _ function: String, _ x: TensorID, params: [TensorID], stats: [TensorID] = []
  ) throws(ConfigError) -> TensorID {
    try pointwise(
      name, kind: .normalization, function: function, [x] + params + stats, outDims: dims(x))
  }

  /// Batch norm for the zoo: creates scale and shift (trained) and running statistics (constants)
  /// over channel axis 1.
  public mutating func batchNorm(_ name: String, _ x: TensorID) throws(ConfigError) -> TensorID {
    let c = dims(x).count > 1 ? dims(x)[1] : 1
    let scale = try weight("\(name).weight", [c])
    let shift = try weight("\(name).bias", [c])
    let mean = try tensor("\(name).running_mean", [c], role: .constant)
    let variance = try tensor("\(name).running_var", [c], role: .constant)
    return try normalization(name, "batchnorm", x, params: [scale, shift], stats: [mean, variance])
  }

  /// Layer norm (or RMS norm when `shift` is false) over the last axis, for the zoo.
  public mutating func layerNorm(_ name: String, _ x: TensorID, rms: Bool = false)
    throws(ConfigError) -> TensorID
  {
    let d = dims(x).last ?? 1
    var params = [try weight("\(name).weight", [d])]
    if !rms { params.append(try weight("\(name).bias", [d])) }
    return try normalization(name, rms ? "rmsnorm" : "layernorm", x, params: params)
  }

  /// Softmax along an axis (the axis does not change the cost).
  public mutating func softmax(_ name: String, _ x: TensorID, function: String = "softmax")
    throws(ConfigError) -> TensorID
  {
    try pointwise(name, kind: .softmax, function: function, [x], outDims: dims(x))
  }

  private mutating func pointwise(
    _ name: String, kind: OperatorKind, function: String, _ xs: [TensorID], outDims: [Int]
  ) throws(ConfigError) -> TensorID {
    let y = try tensor(name, outDims, role: .activation)
    let outCount = shape(y).elementCount
    let ops = try Self.count([outCount, PointwiseCost.ops(function)], "operation count", name)
    let (operands, params) = try traffic(reading: xs, writing: [y], name)
    var attributes = OperatorAttributes()
    attributes.function = function
    append(
      Operator(
        name: name, kind: kind, inputs: xs, outputs: [y], vectorOps: ops,
        parameterCount: params, operands: operands, attributes: attributes))
    return y
  }
}
