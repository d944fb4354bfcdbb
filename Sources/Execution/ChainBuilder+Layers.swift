import HybrixCore
import HybrixNumerics
import Workloads

/// One method per layer kind: read the operator's geometry and weights, make the layer.
extension ChainBuilder {
  mutating func addConv(_ op: Operator, input: [Int], output: [Int]) throws(ConfigError) {
    let a = op.attributes
    guard input.count == 3, op.inputs.count >= 2 else {
      throw notChain(op, "is not a 2-D convolution of an image [C, H, W] (input \(input))")
    }
    let w = graph[op.inputs[1]].shape.dims
    guard w.count == 4, w[2] == w[3] else {
      throw notChain(op, "has weight \(w); only square 2-D kernels are supported")
    }
    let groups = a.groups ?? 1
    let strides = a.strides ?? [1, 1]
    let pads = a.pads ?? [0, 0, 0, 0]
    let dilations = a.dilations ?? [1, 1]
    guard strides.count == 2, dilations.count == 2, pads.count == 4, pads[0] == pads[2],
      pads[1] == pads[3], groups >= 1, input[0] % groups == 0, w[0] % groups == 0,
      strides.allSatisfy({ $0 >= 1 }), dilations.allSatisfy({ $0 >= 1 }),
      pads.allSatisfy({ $0 >= 0 })
    else {
      throw notChain(
        op, "has strides \(strides), pads \(pads), dilations \(dilations), groups \(groups)")
    }
    let options = Conv2DOptions(
      strideH: strides[0], strideW: strides[1], padH: pads[0], padW: pads[1],
      dilationH: dilations[0], dilationW: dilations[1], groups: groups)
    let (oh, ow) = options.outputSize(h: input[1], w: input[2], kh: w[2], kw: w[3])
    guard output == [w[0], oh, ow] else {
      throw notChain(op, "writes \(output) where the convolution computes \([w[0], oh, ow])")
    }
    let expected = [w[0], input[0] / groups, w[2], w[3]]
    let weight = try values(op, op.inputs[1], "weight", expected: expected)
    if op.inputs.count > 2 {
      var layer = Conv2d(
        inChannels: input[0], outChannels: w[0], kernel: w[2], options: options, rng: &rng)
      let bias = try values(op, op.inputs[2], "bias", expected: [w[0]])
      if let weight, let bias {
        layer.parameters = [
          HybrixNumerics.Tensor(shape: expected, scalars: weight),
          HybrixNumerics.Tensor(shape: [w[0]], scalars: bias),
        ]
      } else if let weight {
        layer.parameters = [HybrixNumerics.Tensor(shape: expected, scalars: weight), layer.bias]
      }
      append(op, .conv, layer, output)
    } else {
      var layer = UnbiasedConv2d(
        inChannels: input[0], outChannels: w[0], kernel: w[2], options: options, rng: &rng)
      if let weight { layer.parameters = [HybrixNumerics.Tensor(shape: expected, scalars: weight)] }
      append(op, .conv, layer, output)
    }
  }

  mutating func addLinear(_ op: Operator, input: [Int], output: [Int]) throws(ConfigError) {
    let w = op.inputs.count >= 2 ? graph[op.inputs[1]].shape.dims : []
    // [features], or [tokens, features] with the same weights for every token (graphs only).
    guard !input.isEmpty, output.count == input.count, output.dropLast() == input.dropLast(),
      w.count == 2, op.secondOperand == .staticWeight,
      [.weight, .constant].contains(graph[op.inputs[1]].role)
    else {
      throw notChain(op, "is not a fully connected layer with a weight matrix on [features]")
    }
    let (k, n) = (input[input.count - 1], output[output.count - 1])
    let facts = numerics[op.name]
    if let facts, facts.transposeA || facts.alpha != 1 || (facts.beta != 1 && op.inputs.count > 2) {
      throw notChain(
        op, "is a Gemm with transA \(facts.transposeA), alpha \(facts.alpha), beta \(facts.beta)")
    }
    // [out, in] (PyTorch, Gemm transB = 1) or [in, out] (the zoo, MatMul, Gemm transB = 0).
    let transposed = facts?.transposeB ?? (w == [n, k] && k != n)
    let expected = transposed ? [n, k] : [k, n]
    guard w == expected else {
      throw shapeError(op, "weight '\(graph[op.inputs[1]].name)'", found: w, expected: expected)
    }
    var layer = Linear(inputs: k, outputs: n, rng: &rng)
    if let v = try values(op, op.inputs[1], "weight", expected: expected) {
      let matrix = HybrixNumerics.Tensor(shape: expected, scalars: v)
      layer.parameters = [transposed ? matrix : matrix.transposed(), layer.bias]
    }
    // A product without a bias gets a zero one, which training may move (saved as Gemm's C).
    if op.inputs.count > 2, let b = try values(op, op.inputs[2], "bias", expected: [n]) {
      layer.parameters = [layer.weight, HybrixNumerics.Tensor(shape: [n], scalars: b)]
    }
    append(op, .linear, layer, output)
  }

  mutating func addBatchNorm(_ op: Operator, input: [Int]) throws(ConfigError) {
    guard !input.isEmpty, op.inputs.count == 5 else {
      throw notChain(op, "is a batch norm without scale, shift, mean and variance")
    }
    let c = input[0]
    var layer = BatchNorm2d(channels: c, epsilon: numerics[op.name]?.epsilon ?? 1e-5)
    let what = ["scale", "shift", "running mean", "running variance"]
    var found: [[Float]?] = []
    for (i, id) in op.inputs.dropFirst().enumerated() {
      found.append(try values(op, id, what[i], expected: [c]))
    }
    if let v = found[0] { layer.gamma = HybrixNumerics.Tensor(shape: [c], scalars: v) }
    if let v = found[1] { layer.beta = HybrixNumerics.Tensor(shape: [c], scalars: v) }
    if let v = found[2] { layer.runningMean = HybrixNumerics.Tensor(shape: [c], scalars: v) }
    if let v = found[3] { layer.runningVariance = HybrixNumerics.Tensor(shape: [c], scalars: v) }
    append(op, .batchnorm, layer, input)
  }

  mutating func addMaxPool(_ op: Operator, input: [Int], output: [Int]) throws(ConfigError) {
    let a = op.attributes
    let kernel = a.kernel ?? []
    let strides = a.strides ?? kernel
    let pads = a.pads ?? [0, 0, 0, 0]
    guard input.count == 3, kernel.count == 2, kernel[0] == kernel[1], strides.count == 2,
      strides[0] == strides[1], pads.count == 4, Set(pads).count == 1, kernel[0] >= 1,
      strides[0] >= 1, pads[0] >= 0, pads[0] < kernel[0]
    else {
      throw notChain(
        op, "is not a square max pool (kernel \(kernel), strides \(strides), pads \(pads))")
    }
    let options = Conv2DOptions(stride: strides[0], padding: pads[0])
    let (oh, ow) = options.outputSize(h: input[1], w: input[2], kh: kernel[0], kw: kernel[0])
    guard output == [input[0], oh, ow] else {
      throw notChain(
        op, "writes \(output) where a floor-mode max pool computes \([input[0], oh, ow])")
    }
    append(op, .maxpool, MaxPool2d(kernel: kernel[0], stride: strides[0], padding: pads[0]), output)
  }
}
