#!/usr/bin/env python3
"""Writes the ONNX fixtures of the ONNX importer tests to Tests/Fixtures/onnx/.

Needs Python's `onnx` and `numpy` (`pip install onnx`). Weights are seeded, so running the script
again writes the same files. Usage: scripts/make_onnx_fixtures.py [output directory]

Facts the Swift tests (Tests/WorkloadsTests/ONNX*Tests.swift) check; the script asserts each one
from the models it writes (parameters by numpy, MACs by hand below):

small_cnn.onnx (opset 17, input x[N, 3, 32, 32], output y[N, 10]):
  Conv(8, 3x3, pad 1) -> BatchNormalization -> Relu -> MaxPool(2, stride 2) -> Conv(16, 3x3, pad 1)
  -> Relu -> GlobalAveragePool -> Flatten -> Gemm(10, transB = 1)
  parameters                 1578  (conv1 216 + 8, bn scale/bias 8 + 8, conv2 1152 + 16,
                                    fc 160 + 10; bn running mean/var are constants)
  MACs per image           516256  (conv1 32*32*8*27 = 221184, conv2 16*16*16*72 = 294912, fc 160)
  sum of conv1.weight      -0.6817336  (float32 values summed in float64)
  first conv1.weight value  -0.0211189

mlp.onnx (opset 17, input x[batch, 64], output y[batch, 10]):
  Gemm(32, transB = 1) -> Relu -> Gemm(10, transB = 0)
  parameters 2410, MACs per row 2368

transformer_block.onnx (opset 20, input ids[batch, seq] int64, output y[batch, seq, 16]):
  one pre-LN block, model width 16, 2 heads of 8, MLP width 32, vocabulary 50
  parameters 3024; MACs = 2048*batch*seq + 32*batch*seq^2 (36864 for batch 2, seq 8)
  exactly one MatMul Q.K^T (attention scores) and one MatMul A.V (attention values)

matmul_dims.onnx: MatMul a[M, K] x b[K, N] with symbolic M, K, N (binding, overflow tests).

Malformed: cycle.onnx (two nodes reading each other's output), unknown_tensor.onnx (a node input
that names no tensor), zero_dim.onnx (input x[1, 0, 4]), negative_dim.onnx (input x[-3, 4]),
unsupported_op.onnx (Conv -> Resize, and two LSTMs: warning "LSTM ×2, Resize ×1").

Fixed batch (`--fixed-batch` writes only these; see fixed_batch()): lenet5_batch1.onnx (the weights
of models/lenet5.onnx, input [1, 1, 28, 28], Flatten as Reshape [1, -1]), residual_28_batch1.onnx,
residual_28_hidden_batch.onnx (symbolic input batch, Reshape [1, -1] inside).

External data (`--external`; see external_data()): external/mlp_external.onnx with its weights in
external/mlp_external.onnx.data, and missing_data.onnx, beyond_end.onnx, escaping.onnx.

Reference runs for the executor tests (Tests/ExecutionTests/ONNXExecutorTests.swift): for
small_cnn, mlp and transformer_block, a seeded input and the output computed by numpy are saved
next to the model as NAME.input_0.pb and NAME.output_0.pb (serialized TensorProtos, as in ONNX's
node tests). small_cnn and mlp are computed by the hand-written numpy below, the transformer block
by onnx's numpy ReferenceEvaluator; small_cnn is checked against the evaluator as well.
`scripts/make_onnx_fixtures.py --references` rewrites only these files.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper, shape_inference

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
OUT = ARGS[0] if ARGS else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "onnx")
RNG = np.random.default_rng(20240611)


def weight(name, *shape):
    return numpy_helper.from_array((RNG.standard_normal(shape) * 0.1).astype(np.float32), name)


def ints(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


def save(model, name, infer=True, check=True, limit=100_000):
    if infer:
        model = shape_inference.infer_shapes(model)
    if check:
        onnx.checker.check_model(model)
    path = os.path.join(OUT, name)
    onnx.save(model, path)
    size = os.path.getsize(path)
    assert size < limit, f"{name} is {size} bytes"
    print(f"{name}: {size} bytes")
    return model


def model(nodes, name, inputs, outputs, initializers, opset=17):
    graph = helper.make_graph(nodes, name, inputs, outputs, initializers)
    return helper.make_model(graph, ir_version=10, opset_imports=[helper.make_opsetid("", opset)])


def params(m):
    """Trained parameters: float initializers except batch-norm running statistics."""
    stats = {n.input[k] for n in m.graph.node if n.op_type == "BatchNormalization" for k in (3, 4)}
    return sum(int(np.prod(i.dims)) for i in m.graph.initializer
               if i.data_type == TensorProto.FLOAT and i.name not in stats)


def small_cnn():
    w1 = weight("conv1.weight", 8, 3, 3, 3)
    inits = [
        w1, weight("conv1.bias", 8),
        weight("bn.weight", 8), weight("bn.bias", 8), weight("bn.running_mean", 8),
        numpy_helper.from_array(np.abs(RNG.standard_normal(8)).astype(np.float32) + 0.5, "bn.running_var"),
        weight("conv2.weight", 16, 8, 3, 3), weight("conv2.bias", 16),
        weight("fc.weight", 10, 16), weight("fc.bias", 10),
    ]
    nodes = [
        helper.make_node("Conv", ["x", "conv1.weight", "conv1.bias"], ["c1"], name="conv1",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["c1", "bn.weight", "bn.bias", "bn.running_mean",
                                                "bn.running_var"], ["b1"], name="bn", epsilon=1e-5),
        helper.make_node("Relu", ["b1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "conv2.weight", "conv2.bias"], ["c2"], name="conv2",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
        helper.make_node("GlobalAveragePool", ["r2"], ["g"], name="gap"),
        helper.make_node("Flatten", ["g"], ["f"], name="flatten", axis=1),
        helper.make_node("Gemm", ["f", "fc.weight", "fc.bias"], ["y"], name="fc", transB=1),
    ]
    m = model(nodes, "small_cnn",
              [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 32, 32])],
              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 10])], inits)
    save(m, "small_cnn.onnx")
    w = numpy_helper.to_array(w1)
    assert params(m) == 1578
    assert 32 * 32 * 8 * 27 + 16 * 16 * 16 * 72 + 160 == 516256
    print(f"  conv1.weight sum {w.astype(np.float64).sum():.7f}, first {w.flat[0]:.7f}")
    assert abs(w.astype(np.float64).sum() - (-0.6817336)) < 1e-6 and abs(w.flat[0] - -0.0211189) < 1e-6


def mlp():
    inits = [weight("fc1.weight", 32, 64), weight("fc1.bias", 32),
             weight("fc2.weight", 32, 10), weight("fc2.bias", 10)]
    nodes = [
        helper.make_node("Gemm", ["x", "fc1.weight", "fc1.bias"], ["h"], name="fc1", transB=1),
        helper.make_node("Relu", ["h"], ["a"], name="relu"),
        helper.make_node("Gemm", ["a", "fc2.weight", "fc2.bias"], ["y"], name="fc2"),
    ]
    m = model(nodes, "mlp", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 64])],
              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 10])], inits)
    save(m, "mlp.onnx")
    assert params(m) == 2410 and 64 * 32 + 32 * 10 == 2368


def transformer_block():
    d, heads, hd, ffn, vocab = 16, 2, 8, 32, 50
    inits = [weight("embed.weight", vocab, d),
             numpy_helper.from_array(np.ones(d, np.float32), "ln1.weight"), weight("ln1.bias", d),
             numpy_helper.from_array(np.ones(d, np.float32), "ln2.weight"), weight("ln2.bias", d),
             ints("axis0", [0]), ints("idx0", 0), ints("idx1", 1), ints("heads_hd", [heads, hd])]
    for p in ["q", "k", "v", "o"]:
        inits += [weight(f"attn.{p}.weight", d, d), weight(f"attn.{p}.bias", d)]
    inits += [weight("mlp.fc1.weight", d, ffn), weight("mlp.fc1.bias", ffn),
              weight("mlp.fc2.weight", ffn, d), weight("mlp.fc2.bias", d)]
    N = helper.make_node
    nodes = [
        N("Gather", ["embed.weight", "ids"], ["emb"], name="embed", axis=0),
        N("LayerNormalization", ["emb", "ln1.weight", "ln1.bias"], ["ln1"], name="ln1", axis=-1),
        # Batch and sequence sizes as 1-D tensors, the way torch.onnx exports view(b, s, h, hd).
        N("Shape", ["ln1"], ["ln1_shape"], name="shape"),
        N("Gather", ["ln1_shape", "idx0"], ["b"], name="get_b", axis=0),
        N("Gather", ["ln1_shape", "idx1"], ["s"], name="get_s", axis=0),
        N("Unsqueeze", ["b", "axis0"], ["b1"], name="unsq_b"),
        N("Unsqueeze", ["s", "axis0"], ["s1"], name="unsq_s"),
        N("Concat", ["b1", "s1", "heads_hd"], ["split_shape"], name="split_shape", axis=0),
        N("Constant", [], ["minus_one"], name="minus_one",
          value=helper.make_tensor("minus_one", TensorProto.INT64, [1], [-1])),
        N("Concat", ["b1", "s1", "minus_one"], ["merge_shape"], name="merge_shape", axis=0),
        N("Constant", [], ["scale"], name="scale", value=helper.make_tensor("scale", TensorProto.FLOAT, [], [hd ** 0.5])),
    ]
    for p in ["q", "k", "v"]:
        nodes += [
            N("MatMul", ["ln1", f"attn.{p}.weight"], [f"{p}_mm"], name=f"{p}_proj"),
            N("Add", [f"{p}_mm", f"attn.{p}.bias"], [f"{p}"], name=f"{p}_bias"),
            N("Reshape", [p, "split_shape"], [f"{p}_heads"], name=f"{p}_reshape"),
            N("Transpose", [f"{p}_heads"], [f"{p}_t"], name=f"{p}_transpose",
              perm=[0, 2, 3, 1] if p == "k" else [0, 2, 1, 3]),
        ]
    nodes += [
        N("MatMul", ["q_t", "k_t"], ["scores"], name="qk"),
        N("Div", ["scores", "scale"], ["scaled"], name="qk_scale"),
        N("Softmax", ["scaled"], ["probs"], name="softmax", axis=-1),
        N("MatMul", ["probs", "v_t"], ["ctx"], name="av"),
        N("Transpose", ["ctx"], ["ctx_t"], name="merge_transpose", perm=[0, 2, 1, 3]),
        N("Reshape", ["ctx_t", "merge_shape"], ["merged"], name="merge_reshape"),
        N("MatMul", ["merged", "attn.o.weight"], ["o_mm"], name="o_proj"),
        N("Add", ["o_mm", "attn.o.bias"], ["o"], name="o_bias"),
        N("Add", ["emb", "o"], ["res1"], name="residual1"),
        N("LayerNormalization", ["res1", "ln2.weight", "ln2.bias"], ["ln2"], name="ln2", axis=-1),
        N("MatMul", ["ln2", "mlp.fc1.weight"], ["h_mm"], name="fc1"),
        N("Add", ["h_mm", "mlp.fc1.bias"], ["h"], name="fc1_bias"),
        N("Gelu", ["h"], ["g"], name="gelu"),
        N("MatMul", ["g", "mlp.fc2.weight"], ["m_mm"], name="fc2"),
        N("Add", ["m_mm", "mlp.fc2.bias"], ["m"], name="fc2_bias"),
        N("Add", ["res1", "m"], ["y"], name="residual2"),
    ]
    m = model(nodes, "transformer_block",
              [helper.make_tensor_value_info("ids", TensorProto.INT64, ["batch", "seq"])],
              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", "seq", d])], inits, opset=20)
    save(m, "transformer_block.onnx")
    assert params(m) == 3024
    b, s = 2, 8
    assert 4 * b * s * d * d + 2 * b * heads * s * s * hd + 2 * b * s * d * ffn == 2048 * b * s + 32 * b * s * s == 36864


def matmul_dims():
    nodes = [helper.make_node("MatMul", ["a", "b"], ["y"], name="mm")]
    m = model(nodes, "matmul_dims",
              [helper.make_tensor_value_info("a", TensorProto.FLOAT, ["M", "K"]),
               helper.make_tensor_value_info("b", TensorProto.FLOAT, ["K", "N"])],
              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["M", "N"])], [])
    save(m, "matmul_dims.onnx")


def malformed():
    vi = helper.make_tensor_value_info
    cycle = model([helper.make_node("Add", ["x", "c"], ["a"], name="add"),
                   helper.make_node("Relu", ["a"], ["c"], name="relu")], "cycle",
                  [vi("x", TensorProto.FLOAT, [1, 4])], [vi("c", TensorProto.FLOAT, [1, 4])], [])
    save(cycle, "cycle.onnx", infer=False, check=False)
    unknown = model([helper.make_node("Relu", ["x"], ["r"], name="relu"),
                     helper.make_node("Add", ["r", "does_not_exist"], ["y"], name="add")], "unknown_tensor",
                    [vi("x", TensorProto.FLOAT, [1, 4])], [vi("y", TensorProto.FLOAT, [1, 4])], [])
    save(unknown, "unknown_tensor.onnx", infer=False, check=False)
    zero = model([helper.make_node("Relu", ["x"], ["y"], name="relu")], "zero_dim",
                 [vi("x", TensorProto.FLOAT, [1, 0, 4])], [vi("y", TensorProto.FLOAT, [1, 0, 4])], [])
    save(zero, "zero_dim.onnx", infer=False, check=False)
    negative = model([helper.make_node("Relu", ["x"], ["y"], name="relu")], "negative_dim",
                     [vi("x", TensorProto.FLOAT, [-3, 4])], [vi("y", TensorProto.FLOAT, [-3, 4])], [])
    save(negative, "negative_dim.onnx", infer=False, check=False)

    hidden = 6
    inits = [weight("conv.weight", 4, 3, 3, 3), numpy_helper.from_array(np.array([], np.float32), "roi"),
             numpy_helper.from_array(np.array([1, 1, 2, 2], np.float32), "scales")]
    nodes = [helper.make_node("Conv", ["x", "conv.weight"], ["c"], name="conv", pads=[1, 1, 1, 1]),
             helper.make_node("Resize", ["c", "roi", "scales"], ["up"], name="upsample", mode="nearest")]
    for i in range(2):
        inits += [weight(f"lstm{i}.W", 1, 4 * hidden, 5 if i == 0 else hidden),
                  weight(f"lstm{i}.R", 1, 4 * hidden, hidden)]
        nodes.append(helper.make_node("LSTM", ["seq" if i == 0 else "h0", f"lstm{i}.W", f"lstm{i}.R"],
                                      [f"h{i}4d" if i else "h04d"], name=f"lstm{i}", hidden_size=hidden))
        if i == 0:
            nodes.append(helper.make_node("Squeeze", ["h04d", "axis1"], ["h0"], name="squeeze"))
    inits.append(ints("axis1", [1]))
    m = model(nodes, "unsupported_op",
              [vi("x", TensorProto.FLOAT, [1, 3, 8, 8]), vi("seq", TensorProto.FLOAT, [7, 1, 5])],
              [vi("up", TensorProto.FLOAT, None), vi("h14d", TensorProto.FLOAT, None)], inits)
    save(m, "unsupported_op.onnx")


def save_reference(name, x, y):
    for kind, value in (("input_0", x), ("output_0", y)):
        path = os.path.join(OUT, f"{name}.{kind}.pb")
        with open(path, "wb") as f:
            f.write(numpy_helper.from_array(value).SerializeToString())
    print(f"{name}: reference input {list(x.shape)} -> output {list(y.shape)}")


def references():
    """Seeded inputs and numpy outputs for the models with weights (see the module docstring)."""
    from onnx.reference import ReferenceEvaluator
    rng = np.random.default_rng(7)

    def load(name):
        m = onnx.load(os.path.join(OUT, name + ".onnx"))
        return m, {i.name: numpy_helper.to_array(i).astype(np.float64) for i in m.graph.initializer}

    def conv(x, w, b, pad):
        n, c, h, wd = x.shape
        o, _, kh, kw = w.shape
        xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
        oh, ow = h + 2 * pad - kh + 1, wd + 2 * pad - kw + 1
        y = np.zeros((n, o, oh, ow))
        for i in range(kh):
            for j in range(kw):
                y += np.einsum("nchw,oc->nohw", xp[:, :, i:i + oh, j:j + ow], w[:, :, i, j])
        return y + b[None, :, None, None]

    m, p = load("small_cnn")
    x = rng.standard_normal((2, 3, 32, 32)).astype(np.float32)
    h = conv(x.astype(np.float64), p["conv1.weight"], p["conv1.bias"], 1)
    scale = p["bn.weight"] / np.sqrt(p["bn.running_var"] + 1e-5)
    h = (h - p["bn.running_mean"][None, :, None, None]) * scale[None, :, None, None] + p["bn.bias"][None, :, None, None]
    h = np.maximum(h, 0)
    h = h.reshape(2, 8, 16, 2, 16, 2).max(axis=(3, 5))
    h = np.maximum(conv(h, p["conv2.weight"], p["conv2.bias"], 1), 0).mean(axis=(2, 3))
    y = (h @ p["fc.weight"].T + p["fc.bias"]).astype(np.float32)
    (check,) = ReferenceEvaluator(m).run(None, {"x": x})
    assert np.allclose(check, y, rtol=1e-4, atol=1e-5), np.abs(check - y).max()
    save_reference("small_cnn", x, y)

    m, p = load("mlp")
    x = rng.standard_normal((4, 64)).astype(np.float32)
    h = np.maximum(x.astype(np.float64) @ p["fc1.weight"].T + p["fc1.bias"], 0)
    save_reference("mlp", x, (h @ p["fc2.weight"] + p["fc2.bias"]).astype(np.float32))

    m = onnx.load(os.path.join(OUT, "transformer_block.onnx"))
    ids = rng.integers(0, 50, size=(2, 8)).astype(np.int64)
    (y,) = ReferenceEvaluator(m).run(None, {"ids": ids})
    save_reference("transformer_block", ids, y.astype(np.float32))


def residual_28():
    """A non-chain classifier for 28×28 grayscale images (a residual Add), for accuracy runs on
    the ONNX interpreter. Its own seeded generator, so the other fixtures stay byte-identical."""
    rng = np.random.default_rng(28)
    def w(name, *shape):
        return numpy_helper.from_array((rng.standard_normal(shape) * 0.3).astype(np.float32), name)
    inits = [w("stem.weight", 4, 1, 3, 3), w("stem.bias", 4), w("res.weight", 4, 4, 3, 3),
             w("fc.weight", 10, 4 * 14 * 14), w("fc.bias", 10)]
    nodes = [
        helper.make_node("Conv", ["image", "stem.weight", "stem.bias"], ["s"], name="stem",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["s"], ["sr"], name="stem.relu"),
        helper.make_node("Conv", ["sr", "res.weight"], ["r"], name="res", kernel_shape=[3, 3],
                         pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["sr", "r"], ["a"], name="add"),
        helper.make_node("Relu", ["a"], ["ar"], name="add.relu"),
        helper.make_node("MaxPool", ["ar"], ["p"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["p"], ["f"], name="flatten", axis=1),
        helper.make_node("Gemm", ["f", "fc.weight", "fc.bias"], ["logits"], name="fc", transB=1),
    ]
    m = model(nodes, "residual_28",
              [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 1, 28, 28])],
              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 10])], inits)
    save(m, "residual_28.onnx")


def with_fixed_batch(m, flatten_to_reshape):
    """`m` with the first dimension of its input and output fixed at 1, and (optionally) its
    Flatten nodes replaced by Reshape to [1, -1], as a traced PyTorch export at batch 1 writes."""
    m = onnx.ModelProto.FromString(m.SerializeToString())
    for vi in list(m.graph.input) + list(m.graph.output):
        dim = vi.type.tensor_type.shape.dim[0]
        dim.Clear()
        dim.dim_value = 1
    if flatten_to_reshape:
        for i, n in enumerate(m.graph.node):
            if n.op_type == "Flatten":
                shape = f"{n.name}.shape"
                m.graph.initializer.append(ints(shape, [1, -1]))
                m.graph.node[i].CopyFrom(helper.make_node("Reshape", [n.input[0], shape], list(n.output), name=n.name))
    return m


def fixed_batch():
    """Models whose batch is fixed at 1, for `hybrix accuracy` (issue 8 §2): the same weights as a
    batched model, so their accuracy must equal it.

    lenet5_batch1.onnx: models/lenet5.onnx with input image[1, 1, 28, 28], output logits[1, 10]
      and its Flatten written as Reshape(pool2, [1, -1]).
    residual_28_batch1.onnx: residual_28.onnx with input image[1, 1, 28, 28] (Flatten kept).
    residual_28_hidden_batch.onnx: residual_28.onnx with input image[N, 1, 28, 28] but Flatten
      written as Reshape(p, [1, -1]): it runs only one image at a time, which its input does not
      say (a failed inference must be an error, never an accuracy)."""
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    lenet = onnx.load(os.path.join(root, "models", "lenet5.onnx"))
    m = save(with_fixed_batch(lenet, True), "lenet5_batch1.onnx", limit=300_000)
    assert [i.name for i in m.graph.initializer][:10] == [i.name for i in lenet.graph.initializer]
    residual = onnx.load(os.path.join(OUT, "residual_28.onnx"))
    save(with_fixed_batch(residual, False), "residual_28_batch1.onnx")
    hidden = with_fixed_batch(residual, True)
    for vi in list(hidden.graph.input) + list(hidden.graph.output):
        vi.type.tensor_type.shape.dim[0].dim_param = "N"
    save(hidden, "residual_28_hidden_batch.onnx", infer=False)


def external_data():
    """mlp.onnx with its weights in an external data file, as current PyTorch exporters write
    them (issue 8 §2), and three broken copies, in OUT/external/:

    mlp_external.onnx + mlp_external.onnx.data: every initializer stored externally (offsets
      aligned to 4 KiB, as onnx writes them); running it must give mlp.output_0.pb.
    missing_data.onnx: location 'absent.onnx.data', which does not exist.
    beyond_end.onnx: fc1.weight's offset moved so that offset + length passes the file's end.
    escaping.onnx: fc1.weight's location '../mlp.onnx', outside the model's folder (the file
      exists, so only the folder rule can refuse it)."""
    from onnx.external_data_helper import convert_model_to_external_data
    folder = os.path.join(OUT, "external")
    os.makedirs(folder, exist_ok=True)
    m = onnx.load(os.path.join(OUT, "mlp.onnx"))
    convert_model_to_external_data(m, all_tensors_to_one_file=True, location="mlp_external.onnx.data",
                                   size_threshold=0)
    onnx.save_model(m, os.path.join(folder, "mlp_external.onnx"))
    m = onnx.load(os.path.join(folder, "mlp_external.onnx"), load_external_data=False)
    assert all(t.data_location == TensorProto.EXTERNAL for t in m.graph.initializer)
    size = os.path.getsize(os.path.join(folder, "mlp_external.onnx.data"))
    print(f"external/mlp_external.onnx: {os.path.getsize(os.path.join(folder, 'mlp_external.onnx'))} bytes,"
          f" data {size} bytes")

    def broken(name, key, value, tensor="fc1.weight"):
        b = onnx.ModelProto.FromString(m.SerializeToString())
        for t in b.graph.initializer:
            if t.name == tensor or key == "location" and tensor == "*":
                for e in t.external_data:
                    if e.key == key:
                        e.value = value
        onnx.save_model(b, os.path.join(folder, name))
        print(f"external/{name}: {key} = {value}")

    broken("missing_data.onnx", "location", "absent.onnx.data", tensor="*")
    broken("beyond_end.onnx", "offset", str(size - 16))
    broken("escaping.onnx", "location", "../mlp.onnx")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    if "--external" in sys.argv:
        external_data()
        sys.exit(0)
    if "--fixed-batch" in sys.argv:
        fixed_batch()
        sys.exit(0)
    if "--residual" in sys.argv:
        residual_28()
        sys.exit(0)
    if "--references" in sys.argv:
        references()
        sys.exit(0)
    small_cnn()
    mlp()
    transformer_block()
    matmul_dims()
    malformed()
    references()
    residual_28()
    fixed_batch()
    external_data()
