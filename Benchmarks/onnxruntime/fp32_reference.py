#!/usr/bin/env python3
"""onnxruntime's single-thread CPU time for FP32 inference over the 10 000 Fashion-MNIST test
images: the yardstick of issue 14 §5 ("FP32 inference within 2x of onnxruntime").

Not part of the build or the tests (Python is never needed at run time). Run:
    pip install onnxruntime numpy onnx
    python3 Benchmarks/onnxruntime/fp32_reference.py [models/resnet20-fm.onnx ...] [--batch 256]
and compare with `hybrix accuracy MODEL --mapping homogeneous:cpu --repeats 1` (release build).
"""
import gzip, sys, time, resource
import numpy as np
import onnxruntime as ort

DATA = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"
LABELS = "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"

def load():
    with gzip.open(DATA) as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28).astype(np.float32) / 255
    with gzip.open(LABELS) as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)
    return x, y

def runnable(path):
    """The model's bytes; Gelu exists in the default domain from opset 20 on, so a model that
    uses it at an older opset (Hybrix's exporter writes 17) is declared at 20 for onnxruntime."""
    import onnx
    m = onnx.load(path)
    if any(n.op_type == "Gelu" for n in m.graph.node):
        for o in m.opset_import:
            if o.domain in ("", "ai.onnx") and o.version < 20:
                o.version = 20
    return m.SerializeToString()

def main():
    args = sys.argv[1:]
    batch = 256
    if "--batch" in args:
        i = args.index("--batch"); batch = int(args[i + 1]); del args[i:i + 2]
    models = args or ["models/resnet20-fm.onnx", "models/vgg-fm.onnx", "models/tiny-transformer-fm.onnx"]
    x, y = load()
    for path in models:
        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        so.inter_op_num_threads = 1
        so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        s = ort.InferenceSession(runnable(path), so, providers=["CPUExecutionProvider"])
        name = s.get_inputs()[0].name
        s.run(None, {name: x[:batch]})  # warm-up
        c0 = time.process_time(); w0 = time.perf_counter()
        correct = 0
        for i in range(0, len(x), batch):
            logits = s.run(None, {name: x[i:i + batch]})[0]
            correct += int((logits.argmax(1) == y[i:i + batch]).sum())
        cpu = time.process_time() - c0; wall = time.perf_counter() - w0
        print(f"{path}: accuracy {100 * correct / len(x):.2f} %, batch {batch}, "
              f"cpu {cpu:.2f} s, wall {wall:.2f} s, {len(x) / wall:.0f} images/s (onnxruntime {ort.__version__}, 1 thread)")

if __name__ == "__main__":
    main()
